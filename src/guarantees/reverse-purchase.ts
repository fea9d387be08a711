import { mirrorSubscription } from '../billing/mirror-subscription';
import type { Stripe } from '../stripe/stripe-client';
import type { GuaranteeDeps } from './guarantee-deps';
import type { ClaimablePurchase } from './guarantee-purchases.repository';
import { itemsBack, onlyWhatItAdded, quantitiesTaken } from './items-back';
import { nextAnchor } from './next-anchor';
import { readPurchaseInvoices, type PurchaseInvoices } from './read-ledger';
import { claimKey, type RefundClaim } from './refund-claims.repository';
import { renewalCredit } from './renewal-credit';

export type RenewalRefund = { invoice: string; refund: string; amount: number };

export type Reversal =
  | {
      action: 'reverted';
      subscription: string;
      plan: string | null;
      /** What renewals charged for the refunded items beyond the previous ones, refunded on their charges. */
      renewal_refunds?: RenewalRefund[];
      /** The previous interval came back free until the end of the period already paid for it (unix seconds). */
      free_until?: number;
    }
  | { action: 'canceled'; subscription: string; renewal_refunds?: RenewalRefund[] }
  | { action: 'training_refunded' }
  | { action: 'none'; why: string };

/**
 * Why this purchase could not be taken back now, if so. A first subscription whose items are still
 * in place but carry what later purchases added (seats on the plan) cannot be canceled without
 * taking those too, nor kept without keeping what is refunded: such a claim is refused before any
 * refund (`later_purchases_first`). One whose items a later change already replaced is reversible
 * (nothing left to undo; the ledger has subtracted the credit that change returned).
 */
export async function reversalBlocker(
  deps: GuaranteeDeps,
  purchase: ClaimablePurchase,
): Promise<'later_purchases_first' | null> {
  if (purchase.kind === 'one_time' || !purchase.stripeSubscriptionId) return null;
  if (purchase.kind !== 'subscription_start' && (purchase.previous.items ?? []).length > 0) return null;
  const subscription = await deps.stripe.subscriptions.retrieve(purchase.stripeSubscriptionId);
  if (subscription.status === 'canceled') return null;
  const bought = purchase.bought.items ?? [];
  const held = new Map(subscription.items.data.map((item) => [item.price.id, item.quantity ?? 0]));
  const stillHeld = bought.length > 0 && bought.every((item) => (held.get(item.price) ?? 0) >= item.quantity);
  return stillHeld && !onlyWhatItAdded(subscription, bought) ? 'later_purchases_first' : null;
}

/**
 * Takes back what a refunded purchase added, as it is now: the items it added go, what they
 * replaced comes back, with `proration_behavior: 'none'`. NOTE: Stripe then creates no proration
 * lines and no invoice (the refund already settled the money). A reversal never creates a charge
 * and never takes what later purchases added: a purchase a later change already replaced leaves
 * nothing to undo, and a first subscription is canceled (no proration, no final invoice) only
 * while it holds nothing else. Where a renewal already charged for the refunded items, the
 * difference is refunded on that renewal's charge; where the previous items had another interval,
 * they come back free until the period already paid for them ends (a trial: Stripe would otherwise
 * start and invoice a new period). A training package is only marked.
 */
export async function reversePurchase(
  deps: GuaranteeDeps,
  claim: RefundClaim,
  purchase: ClaimablePurchase,
  key: (step: string) => string = (step) => claimKey(claim, step),
): Promise<Reversal> {
  if (purchase.kind === 'one_time') return { action: 'training_refunded' };
  const subscriptionId = purchase.stripeSubscriptionId;
  if (!subscriptionId) return { action: 'none', why: 'no subscription recorded' };
  const subscription = await deps.stripe.subscriptions.retrieve(subscriptionId);
  if (subscription.status === 'canceled') return { action: 'canceled', subscription: subscriptionId };
  const previous = purchase.previous.items ?? [];
  const bought = purchase.bought.items ?? [];
  if (purchase.kind === 'subscription_start' || previous.length === 0) {
    if (!onlyWhatItAdded(subscription, bought))
      return { action: 'none', why: 'later purchases replaced or rest on what it bought' };
    // A renewal already charged for it: everything that renewal charged for these items comes back.
    const taken = new Map(subscription.items.data.map((item) => [item.price.id, item.quantity ?? 0]));
    const renewalRefunds = await refundRenewals(deps, claim, key, await readPurchaseInvoices(deps, purchase), {
      taken,
      restoredCost: 0,
    });
    await deps.stripe.subscriptions.cancel(
      subscriptionId,
      { prorate: false, invoice_now: false },
      { idempotencyKey: key('cancel') },
    );
    await mirrorSubscription(deps, subscriptionId);
    return {
      action: 'canceled',
      subscription: subscriptionId,
      ...(renewalRefunds.length > 0 ? { renewal_refunds: renewalRefunds } : {}),
    };
  }
  const items = itemsBack(subscription, previous, bought);
  if (items.length === 0) {
    // A retry after the update finds the previous items back; otherwise a later change replaced the purchase.
    const have = new Set(subscription.items.data.map((item) => item.price.id));
    if (previous.every((item) => have.has(item.price)))
      return { action: 'reverted', subscription: subscriptionId, plan: purchase.previous.plan ?? null };
    return { action: 'none', why: 'a later change already replaced what it bought' };
  }
  const invoices = await readPurchaseInvoices(deps, purchase);
  const restored = await restoredPrices(deps, items);
  const freeUntil = changesInterval(subscription, items, restored) ? paidUntil(deps, invoices, restored) : undefined;
  if (freeUntil === null) return { action: 'none', why: 'the previous interval would start a new paid period' };
  const renewalRefunds = await refundRenewals(deps, claim, key, invoices, {
    taken: quantitiesTaken(subscription, items),
    restoredCost: restored.reduce(
      (sum, entry) => sum + unitAmount(entry.price, subscription.currency) * entry.quantity,
      0,
    ),
  });
  await deps.stripe.subscriptions.update(
    subscriptionId,
    { items, proration_behavior: 'none', ...(freeUntil ? { trial_end: freeUntil } : {}) },
    { idempotencyKey: key('revert') },
  );
  await mirrorSubscription(deps, subscriptionId);
  return {
    action: 'reverted',
    subscription: subscriptionId,
    plan: purchase.previous.plan ?? null,
    ...(renewalRefunds.length > 0 ? { renewal_refunds: renewalRefunds } : {}),
    ...(freeUntil ? { free_until: freeUntil } : {}),
  };
}

type Restored = { price: Stripe.Price; quantity: number };

async function restoredPrices(
  deps: GuaranteeDeps,
  items: readonly Stripe.SubscriptionUpdateParams.Item[],
): Promise<Restored[]> {
  const restored: Restored[] = [];
  for (const item of items) {
    if (!item.price) continue;
    const price = await deps.stripe.prices.retrieve(item.price, { expand: ['currency_options'] });
    restored.push({ price, quantity: item.quantity ?? 1 });
  }
  return restored;
}

function unitAmount(price: Stripe.Price, currency: string): number {
  if (price.currency === currency) return price.unit_amount ?? 0;
  return price.currency_options?.[currency]?.unit_amount ?? 0;
}

const intervalOf = (price: Pick<Stripe.Price, 'recurring'>) =>
  price.recurring ? `${price.recurring.interval_count}:${price.recurring.interval}` : null;

/** Whether the items put back bill on another interval than the items taken away (Stripe would reset the cycle). */
function changesInterval(
  subscription: Stripe.Subscription,
  items: readonly Stripe.SubscriptionUpdateParams.Item[],
  restored: readonly Restored[],
): boolean {
  const removed = new Set(items.filter((item) => item.deleted).map((item) => item.id));
  const kept = subscription.items.data.filter((item) => !removed.has(item.id)).map((item) => intervalOf(item.price));
  const taken = subscription.items.data.filter((item) => removed.has(item.id)).map((item) => intervalOf(item.price));
  const now = [...kept, ...taken];
  return restored.some((entry) => !now.includes(intervalOf(entry.price)));
}

/**
 * Until when the items put back are free: the end of the period the purchase credited for them
 * (its "Unused time on …" line). NOTE: once that is past, their next billing date on the old cycle,
 * as Stripe would have renewed them: at most one period is given, never a charge made. Null when
 * the purchase credited none of them: the previous interval cannot come back without a charge.
 */
function paidUntil(deps: GuaranteeDeps, invoices: PurchaseInvoices, restored: readonly Restored[]): number | null {
  const prices = new Set(restored.map((entry) => entry.price.id));
  const credited = (invoices.invoice?.lines.data ?? []).filter(
    (line) => line.amount < 0 && prices.has(String(line.pricing?.price_details?.price ?? '')),
  );
  const recurring = restored.find((entry) => entry.price.recurring)?.price.recurring;
  if (credited.length === 0 || !recurring) return null;
  const end = Math.max(...credited.map((line) => line.period.end));
  return nextAnchor(end, recurring, Math.floor(deps.clock.now().getTime() / 1000));
}

async function refundRenewals(
  deps: GuaranteeDeps,
  claim: RefundClaim,
  key: (step: string) => string,
  invoices: PurchaseInvoices,
  what: { taken: ReadonlyMap<string, number>; restoredCost: number },
): Promise<RenewalRefund[]> {
  const refunds: RenewalRefund[] = [];
  const renewals = invoices.later.filter((invoice) => invoice.billing_reason === 'subscription_cycle');
  for (const renewal of renewals) {
    const paid = await deps.stripe.invoices.retrieve(renewal.id, { expand: ['payments.data.payment.payment_intent'] });
    const intent = paid.payments?.data[0]?.payment.payment_intent;
    if (paid.status !== 'paid' || typeof intent !== 'object' || intent === null) continue;
    const amount = renewalCredit({
      lines: paid.lines.data.map((line) => ({
        price: typeof line.pricing?.price_details?.price === 'string' ? line.pricing.price_details.price : null,
        amount: line.amount - (line.discount_amounts ?? []).reduce((sum, entry) => sum + entry.amount, 0),
        quantity: line.quantity,
      })),
      ...what,
      captured: intent.amount_received,
    });
    if (amount <= 0) continue;
    // NOTE: a resumed run sends under keys of its own (Stripe replays a saved 500 for the first):
    // a refund an interrupted run already made is found by its metadata, never made twice.
    const made = (await deps.stripe.refunds.list({ payment_intent: intent.id, limit: 100 })).data.find(
      (refund) =>
        refund.metadata?.tierlift_claim_id === claim.id && refund.metadata?.tierlift_renewal_invoice === renewal.id,
    );
    if (made) {
      refunds.push({ invoice: renewal.id, refund: made.id, amount: made.amount });
      continue;
    }
    const refund = await deps.stripe.refunds.create(
      {
        payment_intent: intent.id,
        amount,
        reason: 'requested_by_customer',
        metadata: { tierlift_claim_id: claim.id, tierlift_renewal_invoice: renewal.id },
      },
      { idempotencyKey: key(`renewal-${renewal.id}`) },
    );
    refunds.push({ invoice: renewal.id, refund: refund.id, amount });
  }
  return refunds;
}
