import type { DataSource } from 'typeorm';
import type { AccountRepository } from '../accounts/account.repository';
import type { Logger } from '../shared/logger';
import type { StripeClient } from '../stripe/stripe-client';
import type { PriceCodeResolver } from '../webhooks/price-codes';
import type { GuaranteePolicies } from './guarantee.types';

/** What every guarantees use case receives: built once in the composition root. */
export interface GuaranteeDeps {
  dataSource: DataSource;
  stripe: StripeClient;
  policies: GuaranteePolicies | undefined;
  accounts: AccountRepository;
  logger: Logger;
  clock: { now(): Date };
  resolvePrice: PriceCodeResolver;
  /** Highest share (0–1) of any metered limit the account uses now; null when unknown. */
  usageShare(accountId: string): Promise<number | null>;
}
