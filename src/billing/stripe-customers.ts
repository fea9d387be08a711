import type { DataSource } from 'typeorm';
import type { AccountEntity } from '../accounts/account.entity';
import type { Logger } from '../shared/logger';
import { Stripe, type StripeClient } from '../stripe/stripe-client';
import { translateStripeError } from '../stripe/stripe-errors';

export interface StripeCustomerDeps {
  dataSource: DataSource;
  stripe: StripeClient;
  logger: Logger;
  /** Local mode only (src/local/local-mode.ts): customers live on test clocks, as in Stripe test mode. */
  customerClocks?: CustomerClocks;
}

/** Stripe test clocks for customers; never given with a real Stripe key. */
export interface CustomerClocks {
  /** The test clock a new account's customer is created on. */
  forNewCustomer(accountId: string): Promise<string>;
  /** Brings the customer's test clock level with the service's clock before the service uses it. */
  catchUp(customerId: string): Promise<void>;
}

/**
 * The account's Stripe customer, created on first need. NOTE: the create call carries only
 * the account id (idempotency key `customer-<account id>`), so a retry — even after the
 * account's e-mail changed — replays the same customer instead of making a second one;
 * name, e-mail and locale follow in an update, which is naturally idempotent. The customer's
 * currency is fixed by its first subscription, which always passes the price list's currency.
 */
export async function ensureStripeCustomer(deps: StripeCustomerDeps, account: AccountEntity): Promise<string> {
  try {
    if (account.stripeCustomerId) {
      await deps.customerClocks?.catchUp(account.stripeCustomerId);
      return account.stripeCustomerId;
    }
    const created = await createCustomer(deps, account);
    await deps.dataSource.query(
      `UPDATE accounts SET stripe_customer_id = $2, updated_at = now() WHERE id = $1 AND stripe_customer_id IS NULL`,
      [account.id, created.id],
    );
    const rows: Array<{ stripe_customer_id: string }> = await deps.dataSource.query(
      'SELECT stripe_customer_id FROM accounts WHERE id = $1',
      [account.id],
    );
    const customerId = rows[0]?.stripe_customer_id ?? created.id;
    if (customerId === created.id) await describeCustomer(deps, account, customerId);
    account.stripeCustomerId = customerId;
    return customerId;
  } catch (error) {
    throw translateStripeError(error);
  }
}

/**
 * NOTE: Stripe saves a 500 under its key once the request began executing and replays it (marked
 * `Idempotent-Replayed`; STRIPE.md), and a 500 made nothing: the next key of the chain
 * `customer-<id>`, `customer-<id>-r1`, … is tried, so one 500 never blocks the account for the
 * key's 24 hours. A fresh 500 is thrown; the next try replays it and moves on.
 */
async function createCustomer(deps: StripeCustomerDeps, account: AccountEntity): Promise<Stripe.Customer> {
  const clock = deps.customerClocks ? { test_clock: await deps.customerClocks.forNewCustomer(account.id) } : {};
  for (let round = 0; ; round += 1) {
    try {
      return await deps.stripe.customers.create(
        { ...clock, metadata: { tierlift_account_id: account.id } },
        { idempotencyKey: round === 0 ? `customer-${account.id}` : `customer-${account.id}-r${round}` },
      );
    } catch (error) {
      const replayed500 =
        error instanceof Stripe.errors.StripeAPIError && error.headers?.['idempotent-replayed'] === 'true';
      if (!replayed500 || round >= 20) throw error;
    }
  }
}

async function describeCustomer(deps: StripeCustomerDeps, account: AccountEntity, customerId: string): Promise<void> {
  await deps.stripe.customers.update(customerId, {
    email: account.email,
    name: account.name,
    preferred_locales: [account.locale],
    metadata: { tierlift_account_id: account.id },
  });
}

/** Account hook: keep the Stripe customer in step with the account; a Stripe outage never fails the upsert. */
export function stripeCustomerHook(deps: StripeCustomerDeps): (account: AccountEntity) => Promise<void> {
  return async (account) => {
    try {
      if (account.stripeCustomerId) await describeCustomer(deps, account, account.stripeCustomerId);
      else await ensureStripeCustomer(deps, account);
    } catch (error) {
      deps.logger.warn('could not sync the Stripe customer; it will be created on first need', {
        accountId: account.id,
        error: String(error),
      });
    }
  };
}
