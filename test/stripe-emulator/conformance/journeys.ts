import request from 'supertest';
import { COVERAGE_JOURNEYS } from './coverage-journeys';
import type { JourneyHarness } from './journey-harness';
import {
  DAY,
  advanceClock,
  change,
  freeAccount,
  mirror,
  mirrorMatchesStripe,
  paidAccount,
  paidInvoice,
  quote,
  stripeCustomerOf,
  subscriptionOf,
  type JourneyCheck,
} from './journey-steps';

export interface JourneyOptions {
  /** Unix time the test clocks start at: a fixed date on the emulator, now on Stripe. */
  start: number;
}

type Journey = (h: JourneyHarness, options: JourneyOptions, checks: JourneyCheck[]) => Promise<void>;

function expectThat(checks: JourneyCheck[], journey: string, check: string, ok: boolean, detail: string): void {
  checks.push({ journey, check, ok, detail });
}

async function quoteAndChange(h: JourneyHarness, auth: string, body: object) {
  const quoted = await quote(h, auth, body);
  if (quoted.status !== 201)
    throw new Error(`quote ${JSON.stringify(body)} answered ${quoted.status}: ${JSON.stringify(quoted.body)}`);
  const changed = await change(h, auth, quoted.body.id);
  if (changed.status !== 200) throw new Error(`change answered ${changed.status}: ${JSON.stringify(changed.body)}`);
  return { quoted: quoted.body, changed: changed.body };
}

/** quote = charge: Stripe's invoice for the change collected exactly what the quote said was due now. */
async function quoteEqualsCharge(
  h: JourneyHarness,
  checks: JourneyCheck[],
  journey: string,
  quoted: { amount_due_now: number },
  invoiceId?: string,
) {
  const invoice = await paidInvoice(h, invoiceId);
  expectThat(
    checks,
    journey,
    'quote = charge',
    invoice?.amount_paid === quoted.amount_due_now && invoice?.status === 'paid',
    `quoted ${quoted.amount_due_now}, Stripe invoice ${invoice?.id} ${invoice?.status} paid ${invoice?.amount_paid}`,
  );
}

async function mirrorEqualsStripe(h: JourneyHarness, checks: JourneyCheck[], journey: string, subscriptionId: string) {
  await mirror(h, subscriptionId);
  const { ok, detail } = await mirrorMatchesStripe(h, subscriptionId);
  expectThat(checks, journey, 'mirror = Stripe', ok, detail);
}

/**
 * Free → paid. On the emulator the customer pays the hosted Checkout page. Stripe's hosted
 * Checkout cannot be paid headlessly, so on Stripe the journey gives the customer a test card
 * through the API (as Checkout would have saved it) and quotes again: the service then starts
 * the subscription itself and charges that card.
 */
const freeToPaid: Journey = async (h, _options, checks) => {
  const journey = 'free → paid';
  const account = await freeAccount(h);
  const first = await quote(h, account.auth, { plan: 'pro' });
  if (first.status !== 201) throw new Error(`quote answered ${first.status}: ${JSON.stringify(first.body)}`);
  let amountDue = first.body.amount_due_now as number;
  if (h.emulator) {
    const changed = await change(h, account.auth, first.body.id);
    const paid = await fetch(`${changed.body.checkout_url}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'card=pm_card_visa',
      redirect: 'manual',
    });
    expectThat(checks, journey, 'Checkout paid', paid.status === 303, `checkout page answered ${paid.status}`);
    await h.billing.finishInterruptedOperations();
  } else {
    const customerId = await stripeCustomerOf(h, account.accountId);
    const card = await h.stripe.paymentMethods.attach('pm_card_visa', { customer: customerId });
    await h.stripe.customers.update(customerId, { invoice_settings: { default_payment_method: card.id } });
    const { quoted, changed } = await quoteAndChange(h, account.auth, { plan: 'pro' });
    amountDue = quoted.amount_due_now;
    expectThat(checks, journey, 'applied', changed.status === 'applied', `change ${changed.status}`);
  }
  const rows: Array<{ amount: string; stripe_invoice_id: string }> = await h.db.dataSource.query(
    `SELECT amount, stripe_invoice_id FROM purchases WHERE account_id = $1`,
    [account.accountId],
  );
  await quoteEqualsCharge(h, checks, journey, { amount_due_now: amountDue }, rows[0]?.stripe_invoice_id);
  const subscriptionId = await subscriptionOf(h, account.accountId);
  await mirrorEqualsStripe(h, checks, journey, subscriptionId);
  // NOTE: this customer is on no test clock; on Stripe its subscription would otherwise renew every month.
  if (!h.emulator) await h.stripe.subscriptions.cancel(subscriptionId);
};

const upgrade: Journey = async (h, options, checks) => {
  const journey = 'upgrade mid-period';
  const account = await paidAccount(h, { plan: 'pro', start: options.start, advanceDays: 15 });
  const { quoted, changed } = await quoteAndChange(h, account.auth, { plan: 'premium' });
  expectThat(checks, journey, 'applied', changed.status === 'applied', `change ${changed.status}`);
  await quoteEqualsCharge(h, checks, journey, quoted, changed.invoice);
  await mirrorEqualsStripe(h, checks, journey, account.subscriptionId);
};

const oneTimeAddOn: Journey = async (h, options, checks) => {
  const journey = 'one-time add-on';
  const account = await paidAccount(h, { plan: 'pro', start: options.start, advanceDays: 3 });
  const { quoted, changed } = await quoteAndChange(h, account.auth, {
    add_ons: [{ code: 'training_agency', quantity: 1 }],
  });
  expectThat(checks, journey, 'applied', changed.status === 'applied', `change ${changed.status}`);
  await quoteEqualsCharge(h, checks, journey, quoted, changed.invoice);
};

const bundle: Journey = async (h, options, checks) => {
  const journey = 'bundle';
  const account = await paidAccount(h, { plan: 'pro', start: options.start, advanceDays: 10 });
  const { quoted, changed } = await quoteAndChange(h, account.auth, { bundle: 'premium_training' });
  expectThat(checks, journey, 'applied', changed.status === 'applied', `change ${changed.status}`);
  await quoteEqualsCharge(h, checks, journey, quoted, changed.invoice);
  await mirrorEqualsStripe(h, checks, journey, account.subscriptionId);
};

/** A 10 % coupon on the subscription, then a downgrade scheduled for the renewal, which then happens. */
const discountedDowngrade: Journey = async (h, options, checks) => {
  const journey = 'downgrade on a discounted subscription';
  const account = await paidAccount(h, { plan: 'premium', start: options.start, advanceDays: 5 });
  const coupon = await h.stripe.coupons.create({ percent_off: 10, duration: 'forever', name: 'Tierlift smoke 10 %' });
  await h.stripe.subscriptions.update(account.subscriptionId, { discounts: [{ coupon: coupon.id }] });
  await mirror(h, account.subscriptionId);
  const { quoted, changed } = await quoteAndChange(h, account.auth, { plan: 'pro' });
  expectThat(
    checks,
    journey,
    'scheduled, nothing charged now',
    changed.status === 'scheduled' && quoted.amount_due_now === 0,
    `change ${changed.status}, due now ${quoted.amount_due_now}`,
  );
  const shown = await request(h.app).get('/v1/account').set('Authorization', account.auth);
  expectThat(
    checks,
    journey,
    'pending change shown',
    shown.body.pending_change?.plan === 'pro',
    JSON.stringify(shown.body.pending_change),
  );
  const live = await h.stripe.subscriptions.retrieve(account.subscriptionId);
  const periodEnd = live.items.data[0]?.current_period_end ?? options.start + 31 * DAY;
  await advanceClock(h, account.clockId, periodEnd + 3600);
  const [renewal] = (await h.stripe.invoices.list({ subscription: account.subscriptionId, limit: 1 })).data;
  expectThat(
    checks,
    journey,
    'renewal = quoted next invoice',
    renewal?.total === quoted.next_invoice?.amount,
    `quoted next ${quoted.next_invoice?.amount}, Stripe renewal ${renewal?.id} total ${renewal?.total}`,
  );
  await mirrorEqualsStripe(h, checks, journey, account.subscriptionId);
  await h.stripe.coupons.del(coupon.id);
};

/** A one-time add-on refunded under its guarantee: the whole charge comes back, once. */
const refund: Journey = async (h, options, checks) => {
  const journey = 'refund';
  const account = await paidAccount(h, { plan: 'pro', start: options.start, advanceDays: 2 });
  const { changed } = await quoteAndChange(h, account.auth, { add_ons: [{ code: 'training_agency', quantity: 1 }] });
  const rows: Array<{ id: string; amount: string; paid_at: Date; stripe_charge_id: string }> =
    await h.db.dataSource.query(`SELECT id, amount, paid_at, stripe_charge_id FROM purchases WHERE account_id = $1`, [
      account.accountId,
    ]);
  const purchase = rows[0];
  if (!purchase) throw new Error(`no purchase for ${changed.status}`);
  const clock = h.services.clock.now;
  h.services.clock.now = () => new Date(new Date(purchase.paid_at).getTime() + 2 * DAY * 1000);
  try {
    const claimed = await request(h.app)
      .post('/v1/refunds')
      .set('Authorization', account.auth)
      .set('Idempotency-Key', `smoke-${purchase.id}`)
      .send({ purchase_id: purchase.id, reason: 'smoke test' });
    const charge = await h.stripe.charges.retrieve(purchase.stripe_charge_id);
    expectThat(
      checks,
      journey,
      'refunded = paid',
      claimed.status === 200 && charge.amount_refunded === Number(purchase.amount),
      `claim ${claimed.status} ${claimed.body.amount}; Stripe charge ${charge.id} amount ${charge.amount} refunded ${charge.amount_refunded}`,
    );
  } finally {
    h.services.clock.now = clock;
  }
};

export const JOURNEYS: Record<string, Journey> = {
  'free → paid': freeToPaid,
  upgrade,
  'one-time add-on': oneTimeAddOn,
  bundle,
  'downgrade on a discounted subscription': discountedDowngrade,
  refund,
};

/** Runs each journey; a journey that throws becomes one failed check, and the others still run. */
export async function runJourneys(
  h: JourneyHarness,
  options: JourneyOptions,
  names = Object.keys(JOURNEYS),
): Promise<JourneyCheck[]> {
  const checks: JourneyCheck[] = [];
  for (const name of names) {
    const journey = JOURNEYS[name] ?? COVERAGE_JOURNEYS[name];
    if (!journey) throw new Error(`unknown journey ${name}`);
    try {
      await journey(h, options, checks);
    } catch (error) {
      checks.push({ journey: name, check: 'ran to the end', ok: false, detail: String(error).slice(0, 300) });
    }
  }
  return checks;
}
