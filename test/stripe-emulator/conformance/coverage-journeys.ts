import crypto from 'node:crypto';
import request from 'supertest';
import type { JourneyHarness } from './journey-harness';
import { change, freeAccount, paidAccount, quote, type JourneyCheck } from './journey-steps';
import type { JourneyOptions } from './journeys';

type Journey = (h: JourneyHarness, options: JourneyOptions, checks: JourneyCheck[]) => Promise<void>;

/** POST to the service with a fresh idempotency key. */
function post(h: JourneyHarness, auth: string, path: string, body: object) {
  return request(h.app).post(path).set('Authorization', auth).set('Idempotency-Key', crypto.randomUUID()).send(body);
}

function record(checks: JourneyCheck[], journey: string, check: string, ok: boolean, detail: string): void {
  checks.push({ journey, check, ok, detail });
}

async function useCard(h: JourneyHarness, customerId: string, card: string): Promise<void> {
  const paymentMethod = await h.stripe.paymentMethods.attach(card, { customer: customerId });
  await h.stripe.customers.update(customerId, { invoice_settings: { default_payment_method: paymentMethod.id } });
}

/** A declined card and a card that needs 3-D Secure: PaymentIntents, open invoices and their voiding. */
const cardsThatFail: Journey = async (h, options, checks) => {
  const journey = 'cards that fail';
  for (const [card, expected] of [
    ['pm_card_chargeDeclined', 'requires_payment_method'],
    ['pm_card_threeDSecure2Required', 'requires_action'],
  ] as const) {
    const account = await paidAccount(h, { plan: 'pro', start: options.start, advanceDays: 4 });
    await useCard(h, account.customerId, card);
    const quoted = await quote(h, account.auth, { add_ons: [{ code: 'training_agency', quantity: 1 }] });
    const changed = await change(h, account.auth, quoted.body.id);
    record(checks, journey, card, changed.body.status === expected, `change ${changed.body.status}`);
    await h.billing.finishInterruptedOperations();
  }
};

/** Cancel at the period end, then resume. */
const cancelAndResume: Journey = async (h, options, checks) => {
  const journey = 'cancel and resume';
  const account = await paidAccount(h, { plan: 'pro', start: options.start, advanceDays: 6 });
  const cancelled = await post(h, account.auth, '/v1/subscription/cancel', { at_period_end: true });
  const resumed = await post(h, account.auth, '/v1/subscription/resume', {});
  record(
    checks,
    journey,
    'cancelled, then resumed',
    cancelled.status === 200 && resumed.status === 200,
    `${cancelled.status} ${resumed.status}`,
  );
};

/** A scheduled downgrade the customer takes back: the schedule is released. */
const downgradeTakenBack: Journey = async (h, options, checks) => {
  const journey = 'downgrade taken back';
  const account = await paidAccount(h, { plan: 'premium', start: options.start, advanceDays: 8 });
  const quoted = await quote(h, account.auth, { plan: 'pro' });
  const changed = await change(h, account.auth, quoted.body.id);
  const cancelled = await post(h, account.auth, `/v1/changes/${changed.body.operation_id}/cancel`, {});
  record(
    checks,
    journey,
    'cancelled',
    cancelled.body.status === 'canceled',
    `cancel ${cancelled.status} ${cancelled.body.status}`,
  );
};

/** A second Checkout supersedes the first, which Stripe then expires. */
const supersededCheckout: Journey = async (h, _options, checks) => {
  const journey = 'superseded Checkout';
  const account = await freeAccount(h);
  await change(h, account.auth, (await quote(h, account.auth, { plan: 'pro' })).body.id);
  const second = await quote(h, account.auth, { plan: 'premium' });
  const superseding = await post(h, account.auth, '/v1/changes', { quote_id: second.body.id, supersede: true });
  record(
    checks,
    journey,
    'new Checkout',
    superseding.body.status === 'checkout_required',
    `change ${superseding.body.status}`,
  );
};

/** An upgrade refunded under its guarantee: the previous plan comes back. */
const upgradeRefunded: Journey = async (h, options, checks) => {
  const journey = 'upgrade refunded';
  const account = await paidAccount(h, { plan: 'pro', start: options.start, advanceDays: 12 });
  const quoted = await quote(h, account.auth, { plan: 'premium' });
  await change(h, account.auth, quoted.body.id);
  const rows: Array<{ id: string; paid_at: Date }> = await h.db.dataSource.query(
    'SELECT id, paid_at FROM purchases WHERE account_id = $1',
    [account.accountId],
  );
  const purchase = rows[0];
  if (!purchase) throw new Error('no purchase recorded');
  const clock = h.services.clock.now;
  h.services.clock.now = () => new Date(new Date(purchase.paid_at).getTime() + 86_400_000);
  try {
    const claimed = await post(h, account.auth, '/v1/refunds', { purchase_id: purchase.id, reason: 'conformance' });
    record(checks, journey, 'refunded', claimed.status === 200, `claim ${claimed.status}`);
  } finally {
    h.services.clock.now = clock;
  }
};

/** Journeys run by `emulator:conformance` only, so that every Stripe operation the service uses is measured. */
export const COVERAGE_JOURNEYS: Record<string, Journey> = {
  'cards that fail': cardsThatFail,
  'cancel and resume': cancelAndResume,
  'downgrade taken back': downgradeTakenBack,
  'superseded Checkout': supersededCheckout,
  'upgrade refunded': upgradeRefunded,
};
