import request from 'supertest';
import type { Stripe } from '../../src/stripe/stripe-client';
import { adminAuth } from '../support/tokens';
import { journalViolations, operatorCredit } from './money-journal-invariants';
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

/** Stripe statuses under which a subscription still bills or grants: "live". */
const ENDED = new Set(['canceled', 'incomplete_expired']);
const GRANTING = new Set(['active', 'trialing', 'past_due']);

interface StripeView {
  subscriptions: Stripe.Subscription[];
  charges: Stripe.Charge[];
  invoices: Stripe.Invoice[];
  pendingItems: Stripe.InvoiceItem[];
  balance: number;
  /** PaymentIntent id → the invoice it paid. */
  invoiceOfIntent: Map<string, string>;
}

async function stripeView(w: World, account: ModelAccount): Promise<StripeView> {
  const { stripe } = w.h;
  const customer = account.customerId;
  const [subscriptions, charges, invoices, pendingItems, found] = await Promise.all([
    stripe.subscriptions.list({ customer, status: 'all', limit: 100 }),
    stripe.charges.list({ customer, limit: 100 }),
    stripe.invoices.list({ customer, limit: 100 }),
    stripe.invoiceItems.list({ customer, pending: true, limit: 100 }),
    stripe.customers.retrieve(customer),
  ]);
  const invoiceOfIntent = new Map<string, string>();
  for (const invoice of invoices.data) {
    if (invoice.status !== 'paid' || !invoice.id) continue;
    const payments = await stripe.invoicePayments.list({ invoice: invoice.id, limit: 100 });
    for (const payment of payments.data) {
      const intent = payment.payment.payment_intent;
      const id = typeof intent === 'string' ? intent : intent?.id;
      if (id && payment.status === 'paid') invoiceOfIntent.set(id, invoice.id);
    }
  }
  return {
    subscriptions: subscriptions.data,
    charges: charges.data.filter((charge) => charge.status === 'succeeded' && charge.captured),
    invoices: invoices.data,
    pendingItems: pendingItems.data,
    balance: 'deleted' in found && found.deleted ? 0 : (found as Stripe.Customer).balance,
    invoiceOfIntent,
  };
}

const intentOf = (charge: Stripe.Charge): string | undefined =>
  typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;

const priceOfLine = (line: Stripe.InvoiceLineItem): string | undefined => {
  const price = line.pricing?.price_details?.price;
  return typeof price === 'string' ? price : price?.id;
};

const isProration = (line: Stripe.InvoiceLineItem): boolean =>
  Boolean(line.parent?.subscription_item_details?.proration ?? line.parent?.invoice_item_details?.proration ?? false);

interface PurchaseRow {
  id: string;
  operation_id: string;
  kind: string;
  amount: string;
  currency: string;
  stripe_invoice_id: string | null;
  stripe_charge_id: string | null;
  stripe_payment_intent_id: string | null;
  paid_at: Date;
  refunded_at: Date | null;
  quote_amount: string | null;
  result: { status?: string; amount_charged?: number } | null;
}

/**
 * Every invariant for one account (after the step's webhooks settled). Each returns what it saw
 * when broken; nothing is compared that Stripe and Tierlift could legitimately disagree on.
 */
async function accountViolations(w: World, account: ModelAccount, inFlight: Set<string>): Promise<Violation[]> {
  const out: Violation[] = [];
  const fail = (invariant: InvariantName, detail: string) => out.push({ invariant, account: account.name, detail });
  const s = await stripeView(w, account);
  const db = w.h.db.dataSource;

  // 1. one_live_subscription: a customer never has two subscriptions that bill (issue #17 seq. 1).
  const live = s.subscriptions.filter((sub) => !ENDED.has(sub.status) && sub.status !== 'incomplete');
  if (live.length > 1)
    fail(
      'one_live_subscription',
      `${live.length} live Stripe subscriptions: ${live.map((x) => `${x.id} ${x.status}`).join(', ')}`,
    );

  // 2. mirror_equals_stripe: every Stripe subscription the account has (beyond Checkout's
  // incomplete ones) is mirrored with the same status, items (price × quantity) and
  // cancel_at_period_end; GET /v1/account shows the live one. Periods are not compared: the mirror
  // keeps them for display, and an in-flight renewal may move them between two reads.
  const mirrored: Array<{
    id: string;
    status: string;
    items: Array<{ price_id: string; quantity: number }>;
    cancel_at_period_end: boolean;
  }> = await db.query('SELECT id, status, items, cancel_at_period_end FROM subscriptions WHERE account_id = $1', [
    account.accountId,
  ]);
  for (const sub of s.subscriptions) {
    if (sub.status === 'incomplete' || sub.status === 'incomplete_expired') continue;
    const row = mirrored.find((m) => m.id === sub.id);
    const stripeItems = sub.items.data
      .map((item) => `${item.price.id}×${item.quantity ?? 1}`)
      .sort()
      .join(',');
    if (!row) {
      fail('mirror_equals_stripe', `Stripe ${sub.id} (${sub.status}: ${stripeItems}) has no mirror row`);
      continue;
    }
    const mirrorItems = row.items
      .map((item) => `${item.price_id}×${item.quantity}`)
      .sort()
      .join(',');
    if (
      row.status !== sub.status ||
      mirrorItems !== stripeItems ||
      row.cancel_at_period_end !== sub.cancel_at_period_end
    )
      fail(
        'mirror_equals_stripe',
        `${sub.id}: Stripe ${sub.status} [${stripeItems}] cancel_at_period_end=${sub.cancel_at_period_end}; ` +
          `mirror ${row.status} [${mirrorItems}] cancel_at_period_end=${row.cancel_at_period_end}`,
      );
  }
  for (const row of mirrored)
    if (GRANTING.has(row.status) && !s.subscriptions.some((sub) => sub.id === row.id))
      fail('mirror_equals_stripe', `mirror row ${row.id} (${row.status}) has no Stripe subscription`);
  const shown = await request(w.h.app).get('/v1/account').set('Authorization', account.auth);
  const shownSub = (shown.body as { subscription?: { id?: string; status?: string } | null }).subscription ?? null;
  const granting = s.subscriptions.filter((sub) => GRANTING.has(sub.status));
  if (granting.length === 1 && shownSub?.id !== granting[0]?.id)
    fail(
      'mirror_equals_stripe',
      `GET /v1/account shows ${shownSub?.id ?? 'none'}; Stripe's live one is ${granting[0]?.id}`,
    );
  if (granting.length === 0 && shownSub && GRANTING.has(shownSub.status ?? ''))
    fail('mirror_equals_stripe', `GET /v1/account shows ${shownSub.id} ${shownSub.status}; Stripe has none live`);

  // 3. charge_equals_quote: a purchase's amount, its Stripe invoice's amount_paid and the applied
  // change's amount_charged all equal the quote's amount_due_now (to the minor unit).
  const purchases: PurchaseRow[] = await db.query(
    `SELECT p.id, p.operation_id, p.kind, p.amount, p.currency, p.stripe_invoice_id, p.stripe_charge_id,
            p.stripe_payment_intent_id, p.paid_at, p.refunded_at, q.amount_due_now AS quote_amount, o.result
     FROM purchases p JOIN billing_operations o ON o.id = p.operation_id LEFT JOIN quotes q ON q.id = o.quote_id
     WHERE p.account_id = $1 ORDER BY p.paid_at, p.id`,
    [account.accountId],
  );
  const invoiceById = new Map(s.invoices.map((invoice) => [invoice.id, invoice]));
  for (const p of purchases) {
    if (p.quote_amount === null) continue;
    const quoted = Number(p.quote_amount);
    const invoice = p.stripe_invoice_id ? invoiceById.get(p.stripe_invoice_id) : undefined;
    const seen = [
      `purchase ${p.amount}`,
      ...(invoice ? [`invoice ${invoice.id} amount_paid ${invoice.amount_paid} (${invoice.status})`] : []),
      ...(p.result?.amount_charged !== undefined ? [`amount_charged ${p.result.amount_charged}`] : []),
    ];
    if (
      Number(p.amount) !== quoted ||
      (invoice && invoice.amount_paid !== quoted) ||
      (p.result?.amount_charged !== undefined && p.result.amount_charged !== quoted)
    )
      fail('charge_equals_quote', `${p.kind} ${p.id}: quoted ${quoted}, ${seen.join(', ')}`);
  }
  const applied: Array<{ id: string; amount_charged: string; quote_amount: string; purchase: string | null }> =
    await db.query(
      `SELECT o.id, o.result->>'amount_charged' AS amount_charged, q.amount_due_now AS quote_amount, p.id AS purchase
     FROM billing_operations o JOIN quotes q ON q.id = o.quote_id LEFT JOIN purchases p ON p.operation_id = o.id
     WHERE o.account_id = $1 AND o.result->>'status' = 'applied' AND o.result ? 'amount_charged'`,
      [account.accountId],
    );
  for (const op of applied) {
    if (Number(op.amount_charged) !== Number(op.quote_amount))
      fail(
        'charge_equals_quote',
        `operation ${op.id} applied: charged ${op.amount_charged}, quoted ${op.quote_amount}`,
      );
    if (Number(op.amount_charged) > 0 && !op.purchase)
      fail(
        'charge_equals_quote',
        `operation ${op.id} applied and charged ${op.amount_charged} but recorded no purchase`,
      );
  }

  // 4. charge_has_consent: every charge is either a renewal of what the customer holds or a
  // purchase they were quoted. A paid non-renewal invoice belongs to exactly one purchase; a charge
  // outside invoices (Checkout in payment mode) to a purchase; a renewal invoice bills only the
  // subscription's items (a one-time line on it is a charge nobody consented to; seq. 9).
  // NOTE: while an operation is interrupted (`claimed`/`sent`: Stripe's answer was lost) its charge
  // may be in Stripe before its purchase is recorded; the janitor or the client's retry records it.
  // Such a charge is "in flight": not a violation yet, and left out of the revenue comparison.
  const [interrupted] = await db.query(
    `SELECT count(*)::int AS n FROM billing_operations WHERE account_id = $1 AND state IN ('claimed', 'sent')`,
    [account.accountId],
  );
  const waiting = Number(interrupted?.n) > 0;
  const unowned = (what: string, chargeIds: string[]) => {
    if (waiting) chargeIds.forEach((id) => inFlight.add(id));
    else fail('charge_has_consent', what);
  };
  const chargesOfInvoice = (invoiceId: string) =>
    s.charges.filter((charge) => s.invoiceOfIntent.get(intentOf(charge) ?? '') === invoiceId).map((c) => c.id);
  const byInvoice = new Map<string, PurchaseRow[]>();
  for (const p of purchases)
    if (p.stripe_invoice_id) byInvoice.set(p.stripe_invoice_id, [...(byInvoice.get(p.stripe_invoice_id) ?? []), p]);
  for (const invoice of s.invoices) {
    if (invoice.status !== 'paid' || !invoice.id) continue;
    if (invoice.billing_reason === 'subscription_cycle') {
      const oneTime = invoice.lines.data.filter((line) => line.parent?.type === 'invoice_item_details');
      if (oneTime.length > 0)
        fail(
          'charge_has_consent',
          `renewal ${invoice.id} (${invoice.amount_paid}) bills ${oneTime.map((l) => `${l.description} ${l.amount}`).join(', ')}`,
        );
      continue;
    }
    const owners = byInvoice.get(invoice.id) ?? [];
    if (invoice.amount_paid > 0 && owners.length > 1)
      fail(
        'charge_has_consent',
        `invoice ${invoice.id} (${invoice.billing_reason}) paid ${invoice.amount_paid} with ${owners.length} purchases`,
      );
    if (invoice.amount_paid > 0 && owners.length === 0)
      unowned(
        `invoice ${invoice.id} (${invoice.billing_reason}) paid ${invoice.amount_paid} with no purchase`,
        chargesOfInvoice(invoice.id),
      );
  }
  for (const charge of s.charges) {
    const intent = intentOf(charge);
    if (intent && s.invoiceOfIntent.has(intent)) continue;
    if (!purchases.some((p) => p.stripe_charge_id === charge.id || (intent && p.stripe_payment_intent_id === intent)))
      unowned(`charge ${charge.id} ${charge.amount_captured} ${charge.currency} has no invoice and no purchase`, [
        charge.id,
      ]);
  }

  // 4b. refusal_is_final: a change the client was told failed (4xx, 502) is never charged later
  // (by the janitor, a webhook or a retry): that would be a charge without consent (seq. 8).
  const quoteOf: Array<{ quote_id: string; id: string; amount: string }> = await db.query(
    `SELECT o.quote_id, p.id, p.amount FROM purchases p JOIN billing_operations o ON o.id = p.operation_id
     WHERE p.account_id = $1 AND o.quote_id IS NOT NULL`,
    [account.accountId],
  );
  for (const row of quoteOf) {
    const refusal = w.refused.get(row.quote_id);
    if (refusal)
      fail(
        'refusal_is_final',
        `purchase ${row.id} charged ${row.amount} for quote ${row.quote_id} answered ${refusal}`,
      );
  }

  // 5. refund_within_captured: per charge Stripe's refunds never exceed what it captured; per
  // customer, refunds plus the credit balance Stripe still owes never exceed all that was captured.
  let captured = 0;
  let refunded = 0;
  for (const charge of s.charges) {
    captured += charge.amount_captured;
    refunded += charge.amount_refunded;
    if (charge.amount_refunded > charge.amount_captured)
      fail(
        'refund_within_captured',
        `charge ${charge.id}: refunded ${charge.amount_refunded} > captured ${charge.amount_captured}`,
      );
  }
  // NOTE: credit an operator granted is a gift, not money returned: left out (money-journal-invariants.ts).
  const credit = Math.max(0, -s.balance - (await operatorCredit(w, account)));
  if (refunded + credit > captured)
    fail('refund_within_captured', `customer: refunded ${refunded} + credit balance ${credit} > captured ${captured}`);

  // NOTE: amounts net of their discounts: with itemized proration discounts (flexible billing mode)
  // a line shows its gross amount and each discount's amount beside it.
  const netOf = (line: { amount: number; discount_amounts?: Array<{ amount: number }> | null }) =>
    line.amount - (line.discount_amounts ?? []).reduce((sum, entry) => sum + entry.amount, 0);

  // 6. refund_within_purchase (the ledger): for a refunded purchase, Stripe's refunds on its charge
  // plus the proration credit Stripe already returned for the prices it paid for, on time it paid
  // for (a later invoice's negative proration line for that price whose period starts before the
  // purchase's paid period ended), never exceed what its charge captured (seq. 4, 5, 11).
  const chargeById = new Map(s.charges.map((charge) => [charge.id, charge]));
  for (const p of purchases) {
    const charge = p.stripe_charge_id ? chargeById.get(p.stripe_charge_id) : undefined;
    if (!charge || charge.amount_refunded === 0) continue;
    const bought = p.stripe_invoice_id ? invoiceById.get(p.stripe_invoice_id) : undefined;
    if (!bought) continue;
    let credited = 0;
    for (const line of bought.lines.data) {
      if (netOf(line) <= 0) continue;
      const price = priceOfLine(line);
      let returned = 0;
      for (const later of s.invoices) {
        if (
          later.id === bought.id ||
          later.created < bought.created ||
          later.status === 'void' ||
          later.status === 'draft'
        )
          continue;
        for (const credit of later.lines.data)
          if (
            netOf(credit) < 0 &&
            isProration(credit) &&
            priceOfLine(credit) === price &&
            credit.period.start < line.period.end
          )
            returned += -netOf(credit);
      }
      credited += Math.min(returned, netOf(line));
    }
    if (charge.amount_refunded + credited > charge.amount_captured)
      fail(
        'refund_within_purchase',
        `${p.kind} ${p.id} captured ${charge.amount_captured}: refunded ${charge.amount_refunded} + credited back ${credited} for the same items`,
      );
  }

  // 7. pending_item_has_owner: an invoice item waiting for the next invoice belongs to an
  // unfinished operation (about to invoice it) or to a purchase; otherwise a renewal bills it (seq. 9).
  for (const item of s.pendingItems) {
    const operationId = item.metadata?.tierlift_operation_id;
    const [owner] = operationId
      ? await db.query(
          `SELECT o.state, p.id AS purchase FROM billing_operations o LEFT JOIN purchases p ON p.operation_id = o.id WHERE o.id = $1`,
          [operationId],
        )
      : [];
    const unfinished = owner && ['claimed', 'sent', 'awaiting_customer'].includes(owner.state);
    if (!unfinished && !owner?.purchase)
      fail(
        'pending_item_has_owner',
        `pending ${item.id} ${item.description ?? ''} ${item.amount} (operation ${operationId ?? 'none'}, ${owner?.state ?? 'no row'})`,
      );
  }
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
