import type { AccountEntity } from './account.entity';
import type { AccountRepository } from './account.repository';
import type { UpsertAccountInput } from './accounts.validators';

export interface AccountHooks {
  /** Runs after the account row is committed (e.g. to create or update its Stripe customer). */
  afterUpsert?(account: AccountEntity): Promise<void>;
  /** Runs once, after the account row was created (e.g. to start a reverse trial). */
  afterCreate?(account: AccountEntity): Promise<void>;
}

/** Creates or updates a customer account as the SaaS backend describes it. */
export async function upsertAccount(
  deps: { accounts: AccountRepository; hooks?: AccountHooks },
  id: string,
  input: UpsertAccountInput,
): Promise<{ account: AccountEntity; created: boolean }> {
  const result = await deps.accounts.upsert({
    id,
    name: input.name,
    email: input.email.toLowerCase(),
    country: input.country,
    locale: input.locale,
    industry: input.industry ?? null,
    companySize: input.company_size ?? null,
    signedUpAt: input.created_at ? new Date(input.created_at) : null,
  });
  await deps.hooks?.afterUpsert?.(result.account);
  if (result.created) await deps.hooks?.afterCreate?.(result.account);
  return result;
}
