import request from 'supertest';
import { adminAuth } from '../support/tokens';
import { chargeViolations } from './money-charge-invariants';
import { journalViolations } from './money-journal-invariants';
import { refundViolations } from './money-refund-invariants';
import { purchasesOf, stripeView, type AccountCheck } from './money-stripe-view';
import { subscriptionViolations } from './money-subscription-invariants';
import type { ModelAccount, World } from './money-world';

/** One broken invariant: its name (stable, used to shrink towards the same bug) and what was seen. */
export interface Violation {
  invariant: InvariantName;
  account?: string;
  detail: string;
}

export type InvariantName =
  | 'one_live_subscription'
  | 'mirror_equals_stripe'
  | 'charge_equals_quote'
  | 'charge_has_consent'
  | 'refusal_is_final'
  | 'refund_within_captured'
  | 'refund_within_purchase'
  | 'pending_item_has_owner'
  | 'revenue_equals_stripe'
  | 'webhooks_settle'
  // the other journal kinds (money-journal-invariants.ts)
  | 'lane_one_holder'
  | 'lane_never_shared'
  | 'credit_once_per_key'
  | 'no_money_moved'
  | 'trial_first_charge'
  | 'card_set_once';

/**
 * Every invariant for one account (after the step's webhooks settled). Each returns what it saw
 * when broken; nothing is compared that Stripe and Tierlift could legitimately disagree on.
 */
async function accountViolations(w: World, account: ModelAccount, inFlight: Set<string>): Promise<Violation[]> {
  const out: Violation[] = [];
  const s = await stripeView(w, account);
  const check: AccountCheck = {
    w,
    account,
    s,
    purchases: await purchasesOf(w, account),
    invoiceById: new Map(s.invoices.map((invoice) => [invoice.id, invoice])),
    inFlight,
    fail: (invariant, detail) => out.push({ invariant, account: account.name, detail }),
  };
  await subscriptionViolations(check);
  await chargeViolations(check);
  await refundViolations(check);
  return out;
}

/** Stripe's captured and refunded totals per currency over every model account. */
async function stripeTotals(
  w: World,
  inFlight: Set<string>,
): Promise<Map<string, { captured: number; refunded: number }>> {
  const totals = new Map<string, { captured: number; refunded: number }>();
  for (const account of w.accounts) {
    const { data } = await w.h.stripe.charges.list({ customer: account.customerId, limit: 100 });
    for (const charge of data) {
      if (charge.status !== 'succeeded' || !charge.captured || inFlight.has(charge.id)) continue;
      const t = totals.get(charge.currency) ?? { captured: 0, refunded: 0 };
      t.captured += charge.amount_captured;
      t.refunded += charge.amount_refunded;
      totals.set(charge.currency, t);
    }
  }
  return totals;
}

/**
 * 8. revenue_equals_stripe: the revenue report's `collected` over a period spanning every model
 * time (2000–2100) equals, per currency, Stripe's captured charges (purchases + renewals) and
 * their refunds, leaving out charges in flight (see charge_has_consent). Comparable because each world has its own database and emulator, so every
 * charge the emulator holds belongs to a model account.
 */
async function revenueViolations(w: World, inFlight: Set<string>): Promise<Violation[]> {
  const report = await request(w.h.app)
    .get('/admin/v1/analytics/revenue')
    .query({ from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' })
    .set('Authorization', adminAuth);
  if (report.status !== 200)
    return [{ invariant: 'revenue_equals_stripe', detail: `report answered ${report.status}` }];
  const collected = (
    report.body as {
      collected: Array<{ currency: string; purchases: number; renewals: number; refunded: number; net: number }>;
    }
  ).collected;
  const totals = await stripeTotals(w, inFlight);
  const out: Violation[] = [];
  const currencies = new Set([...totals.keys(), ...collected.map((c) => c.currency)]);
  for (const currency of currencies) {
    const stripe = totals.get(currency) ?? { captured: 0, refunded: 0 };
    const row = collected.find((c) => c.currency === currency);
    const gross = (row?.purchases ?? 0) + (row?.renewals ?? 0);
    if (gross !== stripe.captured || (row?.refunded ?? 0) !== stripe.refunded)
      out.push({
        invariant: 'revenue_equals_stripe',
        detail:
          `${currency}: report collected ${gross} (purchases ${row?.purchases ?? 0} + renewals ${row?.renewals ?? 0}) ` +
          `refunded ${row?.refunded ?? 0}; Stripe captured ${stripe.captured} refunded ${stripe.refunded}`,
      });
  }
  return out;
}

/** All invariants over the world, in a stable order. */
export async function checkInvariants(w: World): Promise<Violation[]> {
  const out: Violation[] = [];
  const inFlight = new Set<string>();
  for (const account of w.accounts) out.push(...(await accountViolations(w, account, inFlight)));
  out.push(...(await revenueViolations(w, inFlight)));
  out.push(...(await journalViolations(w)));
  return out;
}
