import type Stripe from 'stripe';
import { advanceClock, customerOnClock, monthlyPrice, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

const START = Date.UTC(2026, 0, 31) / 1000;
const DAY = 86_400;

async function eventsFor(stripe: Stripe, subscriptionId: string, types: string[]) {
  const events = await stripe.events.list({ limit: 100 });
  return events.data
    .filter((event) => types.includes(event.type))
    .filter((event) => {
      const object = event.data.object as {
        id?: string;
        parent?: { subscription_details?: { subscription?: string } };
      };
      return object.id === subscriptionId || object.parent?.subscription_details?.subscription === subscriptionId;
    })
    .reverse();
}

describe('test clocks', () => {
  it('renews twice across two periods: two paid renewal invoices, charged in order, with their events', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, START);
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });

    const ready = await advanceClock(stripe, clock.id, Date.UTC(2026, 2, 31, 1) / 1000);

    expect(ready).toMatchObject({ status: 'ready', frozen_time: Date.UTC(2026, 2, 31, 1) / 1000 });
    const renewals = (await stripe.invoices.list({ subscription: subscription.id })).data
      .filter((invoice) => invoice.billing_reason === 'subscription_cycle')
      .reverse();
    expect(renewals.map((invoice) => [invoice.status, invoice.amount_paid, invoice.created])).toEqual([
      ['paid', 1000, Date.UTC(2026, 1, 28) / 1000],
      ['paid', 1000, Date.UTC(2026, 2, 31) / 1000],
    ]);
    const item = (await stripe.subscriptions.retrieve(subscription.id)).items.data[0];
    expect(item).toMatchObject({
      current_period_start: Date.UTC(2026, 2, 31) / 1000,
      current_period_end: Date.UTC(2026, 3, 30) / 1000,
    });
    const charges = (await stripe.charges.list({ customer: customer.id })).data;
    expect(charges.map((charge) => charge.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const paidEvents = await eventsFor(stripe, subscription.id, ['invoice.paid']);
    expect(paidEvents.map((event) => event.created)).toEqual([
      START,
      Date.UTC(2026, 1, 28) / 1000,
      Date.UTC(2026, 2, 31) / 1000,
    ]);
    expect((await stripe.events.list({ type: 'test_helpers.test_clock.ready' })).data.length).toBeGreaterThan(0);
  });

  it('marks the subscription past_due when a renewal payment fails', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, START);
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
    await advanceClock(stripe, clock.id, START + 30 * DAY);
    const after = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(after.status).toBe('past_due');
    expect(after.latest_invoice).toMatchObject({ status: 'open', billing_reason: 'subscription_cycle' });
    expect((await eventsFor(stripe, subscription.id, ['invoice.payment_failed'])).length).toBe(1);
  });

  it('retries a failed renewal on schedule and recovers once the card works', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, START, 'pm_card_chargeCustomerFail');
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      trial_period_days: 7,
    });
    await advanceClock(stripe, clock.id, START + 8 * DAY);
    const failed = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(failed.status).toBe('past_due');
    expect(failed.latest_invoice).toMatchObject({ attempt_count: 1, next_payment_attempt: START + 10 * DAY });
    const working = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: working.id } });
    await advanceClock(stripe, clock.id, START + 11 * DAY);
    const recovered = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(recovered.status).toBe('active');
    expect(recovered.latest_invoice).toMatchObject({ status: 'paid', attempt_count: 2, next_payment_attempt: null });
  });

  it('cancels the subscription when every retry of a renewal fails', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, START, 'pm_card_chargeCustomerFail');
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      trial_period_days: 7,
    });
    await advanceClock(stripe, clock.id, START + 7 * DAY + 15 * DAY + 60);
    const after = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(after).toMatchObject({ status: 'canceled', ended_at: START + 22 * DAY });
    expect(after.latest_invoice).toMatchObject({ status: 'open', attempt_count: 4 });
    expect((await eventsFor(stripe, subscription.id, ['invoice.payment_failed'])).length).toBe(4);
  });

  it('ends a trial: trial_will_end three days before, then the first real invoice', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, START);
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      trial_period_days: 14,
      expand: ['latest_invoice'],
    });
    expect(subscription.status).toBe('trialing');
    expect(subscription.latest_invoice).toMatchObject({ total: 0, status: 'paid' });
    expect((subscription.latest_invoice as Stripe.Invoice).lines.data[0]?.description).toBe('Trial period for Pro');

    await advanceClock(stripe, clock.id, START + 12 * DAY);
    const notices = await eventsFor(stripe, subscription.id, ['customer.subscription.trial_will_end']);
    expect(notices.map((event) => event.created)).toEqual([START + 11 * DAY]);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('trialing');

    await advanceClock(stripe, clock.id, START + 15 * DAY);
    const after = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(after.status).toBe('active');
    expect(after.latest_invoice).toMatchObject({ total: 1000, status: 'paid', billing_reason: 'subscription_cycle' });
  });

  it('extends a trial when trial_end moves later', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, START);
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      trial_period_days: 7,
    });
    const extended = await stripe.subscriptions.update(subscription.id, { trial_end: START + 21 * DAY });
    expect(extended).toMatchObject({
      status: 'trialing',
      trial_end: START + 21 * DAY,
      billing_cycle_anchor: START + 21 * DAY,
    });
    expect(extended.items.data[0]?.current_period_end).toBe(START + 21 * DAY);
    await advanceClock(stripe, clock.id, START + 10 * DAY);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('trialing');
    await advanceClock(stripe, clock.id, START + 22 * DAY);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it('cancels at period end when asked to', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, START);
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await advanceClock(stripe, clock.id, START + 5 * DAY);
    const requested = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    // As Stripe: canceled_at is when the cancellation was asked for; the end comes with ended_at.
    expect(requested).toMatchObject({ status: 'active', canceled_at: START + 5 * DAY, ended_at: null });
    await advanceClock(stripe, clock.id, START + 40 * DAY);
    expect(await stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'canceled',
      canceled_at: START + 5 * DAY,
      ended_at: Date.UTC(2026, 1, 28) / 1000,
    });
    expect((await eventsFor(stripe, subscription.id, ['customer.subscription.deleted'])).length).toBe(1);
  });

  it('clears canceled_at when a cancellation at period end is taken back', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, START);
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    const resumed = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: false });
    expect(resumed).toMatchObject({ status: 'active', cancel_at_period_end: false, canceled_at: null });
  });

  it('refuses to move a clock backwards', async () => {
    const { stripe } = harness;
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: START });
    await expect(stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: START - 1 })).rejects.toMatchObject({
      statusCode: 400,
      param: 'frozen_time',
    });
  });
});

describe('subscription schedules', () => {
  it('switches the price at period end without proration when created from a subscription', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, START);
    const premium = await monthlyPrice(stripe, { amount: 2000, name: 'Premium' });
    const basic = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: premium.id }] });
    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    const current = schedule.phases[0] as Stripe.SubscriptionSchedule.Phase;
    await stripe.subscriptionSchedules.update(schedule.id, {
      end_behavior: 'release',
      phases: [
        { items: [{ price: premium.id, quantity: 1 }], start_date: current.start_date, end_date: current.end_date },
        { items: [{ price: basic.id, quantity: 1 }], duration: { interval: 'month', interval_count: 1 } },
      ],
    });

    await advanceClock(stripe, clock.id, START + 10 * DAY);
    expect((await stripe.subscriptions.retrieve(subscription.id)).items.data[0]?.price.id).toBe(premium.id);

    await advanceClock(stripe, clock.id, START + 30 * DAY);
    const after = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(after.items.data[0]?.price.id).toBe(basic.id);
    const renewal = after.latest_invoice as Stripe.Invoice;
    expect(renewal.lines.data.map((line) => [line.amount, line.parent?.subscription_item_details?.proration])).toEqual([
      [1000, false],
    ]);
    expect((await stripe.subscriptionSchedules.retrieve(schedule.id)).status).toBe('active');

    await advanceClock(stripe, clock.id, START + 60 * DAY);
    expect(await stripe.subscriptionSchedules.retrieve(schedule.id)).toMatchObject({
      status: 'released',
      released_subscription: subscription.id,
    });
    expect(await stripe.subscriptions.retrieve(subscription.id)).toMatchObject({ schedule: null, status: 'active' });
  });

  it('releases a schedule on request and leaves the subscription as it is', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, START);
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    expect((await stripe.subscriptions.retrieve(subscription.id)).schedule).toBe(schedule.id);
    const released = await stripe.subscriptionSchedules.release(schedule.id);
    expect(released.status).toBe('released');
    expect(await stripe.subscriptions.retrieve(subscription.id)).toMatchObject({ schedule: null, status: 'active' });
  });
});
