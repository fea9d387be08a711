import crypto from 'node:crypto';
import request from 'supertest';
import { mirrorSubscription } from '../../../src/billing/mirror-subscription';
import type { Stripe } from '../../../src/stripe/stripe-client';
import { priceCodeResolver } from '../../../src/webhooks/price-codes';
import { bearer, userToken } from '../../support/tokens';
import type { JourneyHarness } from './journey-harness';

export const DAY = 86_400;

export interface JourneyAccount {
  accountId: string;
  auth: string;
  customerId: string;
  clockId: string;
  subscriptionId: string;
}

/** What a journey verified: quote = charge, mirror = Stripe, and the like. */
export interface JourneyCheck {
  journey: string;
  check: string;
  ok: boolean;
  detail: string;
}

export function quote(h: JourneyHarness, auth: string, body: object) {
  return request(h.app).post('/v1/quotes').set('Authorization', auth).send(body);
}

export function change(h: JourneyHarness, auth: string, quoteId: string) {
  return request(h.app)
    .post('/v1/changes')
    .set('Authorization', auth)
    .set('Idempotency-Key', crypto.randomUUID())
    .send({ quote_id: quoteId });
}

export async function freeAccount(h: JourneyHarness): Promise<{ accountId: string; auth: string }> {
  const accountId = `acct_${crypto.randomBytes(6).toString('hex')}`;
  await h.db.dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at) VALUES ($1, 'Smoke Co', $2, 'US', 'en', now())`,
    [accountId, `${accountId}@example.com`],
  );
  return { accountId, auth: bearer(userToken(accountId, 'owner')) };
}

/** Stripe's test clocks take a few seconds to advance; the emulator's are ready almost at once. */
export async function advanceClock(h: JourneyHarness, clockId: string, frozenTime: number): Promise<void> {
  await h.stripe.testHelpers.testClocks.advance(clockId, { frozen_time: frozenTime });
  const pause = h.emulator ? 10 : 2000;
  for (let waited = 0; waited < 180_000; waited += pause) {
    if ((await h.stripe.testHelpers.testClocks.retrieve(clockId)).status === 'ready') return;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  throw new Error(`test clock ${clockId} never became ready`);
}

/** A customer on a test clock with a test card and a paid monthly plan, mirrored, `advanceDays` into the period. */
export async function paidAccount(
  h: JourneyHarness,
  input: { plan: string; start: number; advanceDays?: number },
): Promise<JourneyAccount> {
  const accountId = `acct_${crypto.randomBytes(6).toString('hex')}`;
  const clock = await h.stripe.testHelpers.testClocks.create({
    frozen_time: input.start,
    name: `tierlift ${accountId}`,
  });
  h.clocks.push(clock.id);
  const customer = await h.stripe.customers.create({
    test_clock: clock.id,
    email: `${accountId}@example.com`,
    metadata: { tierlift_account_id: accountId },
  });
  const card = await h.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
  await h.db.dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at, stripe_customer_id)
     VALUES ($1, 'Smoke Co', $2, 'US', 'en', now(), $3)`,
    [accountId, `${accountId}@example.com`, customer.id],
  );
  const [price] = (await h.stripe.prices.list({ lookup_keys: [`tierlift_plan_${input.plan}_month`] })).data;
  if (!price) throw new Error(`no price for plan ${input.plan}`);
  const subscription = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
  if (input.advanceDays) await advanceClock(h, clock.id, input.start + input.advanceDays * DAY);
  await mirror(h, subscription.id);
  return {
    accountId,
    auth: bearer(userToken(accountId, 'owner')),
    customerId: customer.id,
    clockId: clock.id,
    subscriptionId: subscription.id,
  };
}

/** What the webhooks do: make the mirror equal Stripe's subscription. */
export async function mirror(h: JourneyHarness, subscriptionId: string): Promise<void> {
  const catalog = h.services.catalog;
  await mirrorSubscription(
    {
      dataSource: h.db.dataSource,
      stripe: h.stripe,
      resolvePrice: priceCodeResolver({
        planCodes: catalog.plans.map((plan) => plan.code),
        addOnCodes: catalog.add_ons.map((addOn) => addOn.code),
      }),
    },
    subscriptionId,
  );
}

/** mirror = Stripe: the mirrored status and plan are those of Stripe's subscription now. */
export async function mirrorMatchesStripe(
  h: JourneyHarness,
  subscriptionId: string,
): Promise<{ ok: boolean; detail: string }> {
  const live = await h.stripe.subscriptions.retrieve(subscriptionId);
  const rows: Array<{ status: string; plan_code: string; interval: string }> = await h.db.dataSource.query(
    'SELECT status, plan_code, interval FROM subscriptions WHERE id = $1',
    [subscriptionId],
  );
  const row = rows[0];
  const keys = live.items.data.map((item) => item.price.lookup_key ?? '');
  const ok =
    Boolean(row) && row?.status === live.status && keys.includes(`tierlift_plan_${row?.plan_code}_${row?.interval}`);
  return {
    ok,
    detail: `mirror ${row?.plan_code}/${row?.interval} ${row?.status}; Stripe ${keys.join(',')} ${live.status}`,
  };
}

/** The invoice a change paid, as Stripe has it. */
export async function paidInvoice(h: JourneyHarness, invoiceId: string | undefined): Promise<Stripe.Invoice | null> {
  return invoiceId ? h.stripe.invoices.retrieve(invoiceId) : null;
}

export async function stripeCustomerOf(h: JourneyHarness, accountId: string): Promise<string> {
  const rows: Array<{ stripe_customer_id: string | null }> = await h.db.dataSource.query(
    'SELECT stripe_customer_id FROM accounts WHERE id = $1',
    [accountId],
  );
  const id = rows[0]?.stripe_customer_id;
  if (!id) throw new Error(`account ${accountId} has no Stripe customer`);
  return id;
}

export async function subscriptionOf(h: JourneyHarness, accountId: string): Promise<string> {
  const rows: Array<{ id: string }> = await h.db.dataSource.query(
    `SELECT id FROM subscriptions WHERE account_id = $1 ORDER BY current_period_start DESC LIMIT 1`,
    [accountId],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error(`account ${accountId} has no mirrored subscription`);
  return id;
}
