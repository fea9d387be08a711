import { advanceClock, customerOnClock, monthlyPrice, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

const START = Date.UTC(2026, 3, 1) / 1000;
const DAY = 86_400;

/** docs.stripe.com/billing/subscriptions/billing-cycle: "Add a trial to change the billing cycle". */
describe('a future trial_end on an active subscription', () => {
  it('changes items and interval without an invoice, trials until then, and bills the new items from that date', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, START);
    const yearly = await monthlyPrice(stripe, { amount: 49000, interval: 'year', name: 'Premium' });
    const monthly = await monthlyPrice(stripe, { amount: 1900, name: 'Pro' });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: yearly.id }] });
    await advanceClock(stripe, clock.id, START + 3 * DAY);
    const trialEnd = START + 30 * DAY;

    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]?.id, deleted: true }, { price: monthly.id }],
      proration_behavior: 'none',
      trial_end: trialEnd,
    });

    expect(updated).toMatchObject({ status: 'trialing', trial_start: START + 3 * DAY, trial_end: trialEnd });
    expect(updated.items.data.map((item) => [item.price.id, item.current_period_end])).toEqual([
      [monthly.id, trialEnd],
    ]);
    expect((await stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);

    await advanceClock(stripe, clock.id, trialEnd + 3600);
    const renewed = await stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.status).toBe('active');
    const invoices = (await stripe.invoices.list({ subscription: subscription.id })).data;
    expect(invoices.map((invoice) => [invoice.created, invoice.amount_paid])).toEqual([
      [trialEnd, 1900],
      [START, 49000],
    ]);
  });
});
