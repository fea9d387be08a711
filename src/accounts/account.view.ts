import type { AccountEntity } from './account.entity';

/** The account as the API shows it (snake_case, ISO dates). Other modules add sections beside it. */
export function accountView(account: AccountEntity): Record<string, unknown> {
  return {
    id: account.id,
    object: 'account',
    name: account.name,
    email: account.email,
    country: account.country,
    locale: account.locale,
    industry: account.industry,
    company_size: account.companySize,
    created_at: account.signedUpAt.toISOString(),
    stripe_customer_id: account.stripeCustomerId,
  };
}
