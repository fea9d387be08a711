import type { DataSource, EntityManager } from 'typeorm';
import { AccountEntity } from './account.entity';

export interface AccountFields {
  id: string;
  name: string;
  email: string;
  country: string;
  locale: string;
  industry: string | null;
  companySize: string | null;
  signedUpAt: Date | null;
}

/** Persistence of accounts; the only place that writes the accounts table. */
export class AccountRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(id: string, manager: EntityManager = this.dataSource.manager): Promise<AccountEntity | null> {
    return manager.findOneBy(AccountEntity, { id });
  }

  /** Inserts or updates in one statement; `created` tells which happened. */
  async upsert(fields: AccountFields): Promise<{ account: AccountEntity; created: boolean }> {
    const rows: Array<{ id: string; created: boolean }> = await this.dataSource.query(
      `INSERT INTO accounts (id, name, email, country, locale, industry, company_size, signed_up_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8, now()))
       ON CONFLICT (id) DO UPDATE SET
         name = EXCLUDED.name, email = EXCLUDED.email, country = EXCLUDED.country, locale = EXCLUDED.locale,
         industry = EXCLUDED.industry, company_size = EXCLUDED.company_size,
         signed_up_at = COALESCE($8, accounts.signed_up_at), updated_at = now()
       RETURNING id, (xmax = 0) AS created`,
      [
        fields.id,
        fields.name,
        fields.email,
        fields.country,
        fields.locale,
        fields.industry,
        fields.companySize,
        fields.signedUpAt,
      ],
    );
    const row = rows[0];
    const account = row ? await this.find(row.id) : null;
    if (!row || !account) throw new Error(`account ${fields.id} vanished during upsert`);
    return { account, created: row.created };
  }

  async setStripeCustomer(
    id: string,
    customerId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.update(AccountEntity, { id }, { stripeCustomerId: customerId });
  }
}
