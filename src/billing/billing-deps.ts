import type { DataSource } from 'typeorm';
import type { AccountRepository } from '../accounts/account.repository';
import type { MessagesByLocale } from '../catalog/catalog-messages';
import type { Catalog } from '../catalog/catalog.types';
import type { Logger } from '../shared/logger';
import type { StripeClient } from '../stripe/stripe-client';
import type { PriceCodeResolver } from '../webhooks/price-codes';
import type { StripeCustomerDeps } from './stripe-customers';

/** What every billing use case receives: built once in the composition root. */
export interface BillingDeps {
  dataSource: DataSource;
  stripe: StripeClient;
  catalog: Catalog;
  messages: MessagesByLocale;
  accounts: AccountRepository;
  logger: Logger;
  clock: { now(): Date };
  resolvePrice: PriceCodeResolver;
  /** How long a quote may be turned into a change. */
  quoteTtlSeconds: number;
  /** Where Stripe Checkout sends the customer back (success and cancel). */
  checkoutReturnUrl: string;
  /** Local mode only: each Stripe customer lives on its own test clock, kept level with `clock`. */
  customerClocks?: StripeCustomerDeps['customerClocks'];
}
