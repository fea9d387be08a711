import request from 'supertest';
import {
  DAY,
  START,
  advanceClock,
  change,
  mirror,
  paidCharges,
  payCheckout,
  quote,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { freeAccountOnClock, movableClock, outboundEvents, webhooksSettled } from './support/lifecycle-world';

/**
 * Trials as the catalog advertises them (issue #20): Pro has `trial_days: 14`.
 * Stripe behaviour: docs.stripe.com/billing/subscriptions/trials (trialing, 0 invoice at the start,
 * `customer.subscription.trial_will_end` three days before, the first real invoice at the end).
 */
const clock = movableClock(START);
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness({ webhooks: true, clock });
});
afterAll(async () => h?.close());

describe('Free → Pro with the catalog trial', () => {
  it('charges 0 at signup, quotes the first charge and its date, charges exactly that at the end, and never twice', async () => {
    clock.set(START);
    const account = await freeAccountOnClock(h, START);
    const payNow = await quote(h, account.auth, { plan: 'pro', trial: false });
    expect(payNow.status).toBe(201);
    expect(payNow.body).toMatchObject({ amount_due_now: 1900, trial: null });

    const quoted = await quote(h, account.auth, { plan: 'pro' });
    expect(quoted.status).toBe(201);
    const trialEnd = new Date((START + 14 * DAY) * 1000).toISOString();
    expect(quoted.body).toMatchObject({
      amount_due_now: 0,
      checkout_required: true,
      trial: { days: 14, ends_at: trialEnd },
      next_invoice: { amount: 1900, formatted: '$19.00', date: trialEnd },
    });

    const changed = await change(h, account.auth, quoted.body.id);
    expect(changed.body.status).toBe('checkout_required');
    expect((await payCheckout(changed.body.checkout_url, 'pm_card_visa')).status).toBe(303);
    await webhooksSettled(h);

    expect((await request(h.app).get('/v1/lifecycle/prompts').set('Authorization', account.auth)).body.data).toEqual(
      [],
    );
    const shown = await request(h.app).get('/v1/account').set('Authorization', account.auth);
    expect(shown.body.subscription).toMatchObject({
      plan: 'pro',
      status: 'trialing',
      trial_end: trialEnd,
      trial_days_left: 14,
    });
    expect(await paidCharges(h, account.customerId)).toEqual([]);
    const [purchase] = await h.db.dataSource.query('SELECT amount FROM purchases WHERE account_id = $1', [
      account.accountId,
    ]);
    expect(purchase).toMatchObject({ amount: '0' });

    // three days before the end: Stripe's notice, and trial.will_end once
    clock.set(START + 11 * DAY + 3600);
    await advanceClock(h, account.clockId, START + 11 * DAY + 3600);
    await webhooksSettled(h);
    const reminded = await request(h.app).get('/v1/account').set('Authorization', account.auth);
    expect(reminded.body.subscription).toMatchObject({ status: 'trialing', trial_days_left: 3 });
    const reminder = await request(h.app).get('/v1/lifecycle/prompts').set('Authorization', account.auth);
    expect(reminder.body.data).toEqual([
      {
        id: expect.stringMatching(/^trl_sub_/),
        kind: 'trial_ending',
        plan: 'pro',
        interval: 'month',
        ends_at: trialEnd,
        first_charge: { amount: quoted.body.next_invoice.amount, currency: 'usd', formatted: '$19.00' },
        cancel: { method: 'POST', path: '/v1/subscription/cancel' },
      },
    ]);

    // the end: exactly the quoted amount is charged, the trial converted
    clock.set(START + 14 * DAY + 3600);
    await advanceClock(h, account.clockId, START + 14 * DAY + 3600);
    await webhooksSettled(h);
    const charges = await paidCharges(h, account.customerId);
    expect(charges.map((charge) => [charge.amount, charge.currency])).toEqual([[1900, 'usd']]);
    const after = await request(h.app).get('/v1/account').set('Authorization', account.auth);
    expect(after.body.subscription).toMatchObject({ status: 'active', trial_days_left: null });
    expect((await request(h.app).get('/v1/lifecycle/prompts').set('Authorization', account.auth)).body.data).toEqual(
      [],
    );

    const events = await outboundEvents(h, account.accountId);
    expect(events.filter((event) => event.type.startsWith('trial.')).map((event) => event.type)).toEqual([
      'trial.started',
      'trial.will_end',
      'trial.converted',
    ]);
    expect(events.find((event) => event.type === 'trial.started')?.data).toMatchObject({
      plan: 'pro',
      ends_at: trialEnd,
    });

    // back on Free: a second trial of Pro is refused; without asking, Pro is charged at once
    const subscription =
      changed.body.subscription?.id ??
      (await h.stripe.subscriptions.list({ customer: account.customerId })).data[0]?.id;
    await h.stripe.subscriptions.cancel(subscription);
    await mirror(h, subscription);
    await webhooksSettled(h);
    const again = await quote(h, account.auth, { plan: 'pro', trial: true });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'trial_already_used' });
    const charged = await quote(h, account.auth, { plan: 'pro' });
    expect(charged.body).toMatchObject({ amount_due_now: 1900, trial: null });
    const premium = await quote(h, account.auth, { plan: 'premium' });
    expect(premium.body).toMatchObject({ amount_due_now: 0, trial: { days: 14 } });
  });

  it('refuses a trial where none can start', async () => {
    clock.set(START);
    const account = await freeAccountOnClock(h, START);
    const answer = await quote(h, account.auth, { add_ons: [{ code: 'priority_support', quantity: 1 }], trial: true });
    expect(answer.status).toBe(422);
  });
});
