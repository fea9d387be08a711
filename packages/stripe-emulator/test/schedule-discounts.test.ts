import type Stripe from 'stripe';
import { advanceClock, customerOnClock, monthlyPrice, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

const START = Date.UTC(2026, 2, 1) / 1000;
const MIDDLE = START + 15 * 86_400;

async function discountedSubscription() {
  const { stripe } = harness;
  const { customer, clock } = await customerOnClock(stripe, START);
  const premium = await monthlyPrice(stripe, { amount: 4000, name: 'Premium' });
  const pro = await monthlyPrice(stripe, { amount: 2000, name: 'Pro' });
  const seats = await monthlyPrice(stripe, { amount: 1000, name: 'Seats' });
  const coupon = await stripe.coupons.create({ percent_off: 20, duration: 'forever' });
  const subscription = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: premium.id }, { price: seats.id, discounts: [{ coupon: coupon.id }] }],
  });
  await advanceClock(stripe, clock.id, MIDDLE);
  const seatsDiscount = subscription.items.data[1]?.discounts[0] as string;
  return { stripe, clock, subscription, premium, pro, seats, seatsDiscount };
}

const itemDiscounts = (subscription: Stripe.Subscription) =>
  subscription.items.data.map((item) => [item.price.id, item.discounts]);

// docs.stripe.com/billing/subscriptions/subscription-schedules: `from_subscription` copies the
// subscription's items, with their discounts, into phase 0; phases sent back replace them, so a
// discount left out of the current phase is removed from the subscription (STRIPE.md).
describe('subscription schedules and item discounts', () => {
  it('copies each item’s discounts into phase 0', async () => {
    const { stripe, subscription, seats, seatsDiscount } = await discountedSubscription();
    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    const seatsItem = schedule.phases[0]?.items.find((item) => item.price === seats.id);
    expect(seatsItem?.discounts).toEqual([{ coupon: null, discount: seatsDiscount, promotion_code: null }]);
  });

  it('removes a discount the re-sent current phase leaves out', async () => {
    const { stripe, subscription, premium, pro, seats } = await discountedSubscription();
    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    const phase = schedule.phases[0] as Stripe.SubscriptionSchedule.Phase;
    await stripe.subscriptionSchedules.update(schedule.id, {
      phases: [
        { items: [{ price: premium.id }, { price: seats.id }], start_date: phase.start_date, end_date: phase.end_date },
        { items: [{ price: pro.id }, { price: seats.id }], duration: { interval: 'month', interval_count: 1 } },
      ],
    });
    const after = await stripe.subscriptions.retrieve(subscription.id);
    expect(itemDiscounts(after)).toEqual([
      [premium.id, []],
      [seats.id, []],
    ]);
  });

  it('keeps the discounts re-sent with the phases, now and after the switch', async () => {
    const { stripe, clock, subscription, premium, pro, seats, seatsDiscount } = await discountedSubscription();
    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    const phase = schedule.phases[0] as Stripe.SubscriptionSchedule.Phase;
    const kept = [{ discount: seatsDiscount }];
    await stripe.subscriptionSchedules.update(schedule.id, {
      phases: [
        {
          items: [{ price: premium.id }, { price: seats.id, discounts: kept }],
          start_date: phase.start_date,
          end_date: phase.end_date,
        },
        {
          items: [{ price: pro.id }, { price: seats.id, discounts: kept }],
          duration: { interval: 'month', interval_count: 1 },
        },
      ],
    });
    expect(itemDiscounts(await stripe.subscriptions.retrieve(subscription.id))).toEqual([
      [premium.id, []],
      [seats.id, [seatsDiscount]],
    ]);
    await advanceClock(stripe, clock.id, phase.end_date + 3600);
    const switched = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(itemDiscounts(switched)).toEqual([
      [pro.id, []],
      [seats.id, [seatsDiscount]],
    ]);
    expect((switched.latest_invoice as Stripe.Invoice).total).toBe(2000 + 800);
  });
});
