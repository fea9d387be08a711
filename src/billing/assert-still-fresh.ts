import { conflict } from '../shared/errors';
import type { Stripe } from '../stripe/stripe-client';
import { translateStripeError } from '../stripe/stripe-errors';
import type { BillingDeps } from './billing-deps';
import { catalogFingerprint, catalogFingerprintOf } from './catalog-fingerprint';
import { operations, type Operation } from './operation-journal';
import { quotes, type QuoteRecord } from './quote.repository';
import { customerFactsOf, readLiveSubscription, subscriptionStateOf } from './read-subscription-state';
import { subscriptionFingerprint } from './subscription-state';

/**
 * The quote's assumptions, checked under the lane: the catalog version, and Stripe's subscription,
 * customer balance and discounts. Stale → the operation fails (nothing was sent; the lane is
 * given back) and the answer is 409 quote_stale.
 */
export async function assertStillFresh(deps: BillingDeps, quote: QuoteRecord, operation: Operation): Promise<void> {
  let reason: 'catalog' | 'subscription' | null = null;
  let strays: string[] = [];
  try {
    // NOTE: the catalog version live at the claim is read by the claim's own statement (a sync
    // does not take the lane: a read one statement later would be no fresher). Only then Stripe's
    // reads, at once, so that a stale catalog sends Stripe nothing.
    const catalog =
      operation.liveCatalogVersion !== undefined
        ? catalogFingerprintOf(operation.liveCatalogVersion, deps.catalog)
        : await catalogFingerprint(deps.dataSource, deps.catalog);
    if (catalog !== quote.catalogFingerprint) reason = 'catalog';
    else {
      const [subscription, pending] = await Promise.all([
        currentFingerprint(deps, quote),
        quote.kind === 'update' || quote.kind === 'one_time' ? pendingItems(deps, quote) : [],
      ]);
      if (subscription !== quote.subscriptionFingerprint) reason = 'subscription';
      else strays = pending;
    }
  } catch (error) {
    await operations.finish(deps.dataSource.manager, operation.id, 'failed', { status: 'not_sent' });
    throw translateStripeError(error);
  }
  if (strays.length > 0) {
    // NOTE: Stripe bills every pending invoice item of the customer on the next invoice (an update's
    // always_invoice, a one-time invoice that includes pending items): a stray one (a failed
    // purchase's, not yet withdrawn) would make the charge differ from the quote. Never sent.
    deps.logger.error('pending invoice items outside any running operation; change refused', {
      operationId: operation.id,
      items: strays,
    });
    await operations.finish(deps.dataSource.manager, operation.id, 'failed', { status: 'not_sent' });
    throw conflict(
      'pending_invoice_items',
      'Items of an earlier purchase are still waiting to be billed; they are being removed. Please retry in a minute.',
      { items: strays },
    );
  }
  if (!reason) return;
  await operations.finish(deps.dataSource.manager, operation.id, 'failed', { status: 'stale', reason });
  throw conflict(
    'quote_stale',
    reason === 'catalog'
      ? 'Prices changed since this quote; ask for a new one.'
      : 'The subscription or the balance changed since this quote; ask for a new one.',
    { reason },
  );
}

/** The customer's pending invoice items (under the lane, none can belong to a running operation of ours). */
async function pendingItems(deps: BillingDeps, quote: QuoteRecord): Promise<string[]> {
  const pending = await deps.stripe.invoiceItems.list({
    customer: quote.stripeParams.customer,
    pending: true,
    limit: 100,
  });
  return pending.data.map((item) => item.id);
}

async function currentFingerprint(deps: BillingDeps, quote: QuoteRecord): Promise<string> {
  const customerId = quote.stripeParams.customer;
  const [live, customer] = await Promise.all([
    readLiveSubscription(deps.stripe, customerId),
    deps.stripe.customers.retrieve(customerId) as Promise<Stripe.Customer>,
  ]);
  return subscriptionFingerprint(live ? subscriptionStateOf(live, deps.resolvePrice) : null, customerFactsOf(customer));
}

/**
 * A run that resumes an operation nothing was sent for yet (state `claimed`: the process died, or
 * lost its database, between the claim and the first Stripe call) checks the quote again first: the
 * first run may never have got as far as its own check, and the subscription, the balance or the
 * catalog may have moved since. Stale → failed, nothing sent, the lane given back, 409 quote_stale.
 * Operations without a quote (operators' actions) carry their own parameters and are not checked.
 */
export async function assertFreshOnResume(deps: BillingDeps, operation: Operation): Promise<void> {
  if (operation.state !== 'claimed' || !operation.quoteId) return;
  const quote = await quotes.find(deps.dataSource, operation.quoteId);
  if (quote) await assertStillFresh(deps, quote, operation);
}
