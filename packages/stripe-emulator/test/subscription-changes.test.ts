import type Stripe from 'stripe';
import { advanceClock, customerOnClock, monthlyPrice, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

const START = Date.UTC(2026, 3, 1) / 1000;
const END = Date.UTC(2026, 4, 1) / 1000;
const MIDDLE = START + (END - START) / 2;
const amounts = (invoice: Stripe.Invoice) => invoice.lines.data.map((line) => line.amount);

async function activeSubscription(amount = 1000) {
  const { stripe } = harness;
  const { customer, clock } = await customerOnClock(stripe, START);
  const price = await monthlyPrice(stripe, { amount });
  const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
  await advanceClock(stripe, clock.id, MIDDLE);
  return { stripe, customer, clock, price, subscription, itemId: subscription.items.data[0]?.id ?? '' };
}

describe('subscription changes', () => {
  it('prorates a quantity change as a full credit and a full debit of the remaining time', async () => {
    const { stripe, subscription, itemId } = await activeSubscription(1000);
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: itemId, quantity: 3 }],
      proration_behavior: 'always_invoice',
      proration_date: MIDDLE,
      expand: ['latest_invoice'],
    });
    const invoice = updated.latest_invoice as Stripe.Invoice;
    expect(amounts(invoice)).toEqual([-500, 1500]);
    expect(invoice.lines.data[1]?.description).toBe('Remaining time on 3 × Pro after 16 Apr 2026');
    expect(updated.items.data[0]?.quantity).toBe(3);
  });

  it('adds an item through POST /v1/subscription_items, charging only its remaining time', async () => {
    const { stripe, subscription } = await activeSubscription(1000);
    const addOn = await monthlyPrice(stripe, { amount: 400, name: 'Extra seats' });
    const item = await stripe.subscriptionItems.create({
      subscription: subscription.id,
      price: addOn.id,
      proration_behavior: 'always_invoice',
      proration_date: MIDDLE,
    });
    expect(item).toMatchObject({ object: 'subscription_item', price: { id: addOn.id }, current_period_end: END });
    const after = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(after.items.data).toHaveLength(2);
    expect(amounts(after.latest_invoice as Stripe.Invoice)).toEqual([200]);
  });

  it('removes an item with a credit for its unused time waiting on the next invoice', async () => {
    const { stripe, subscription, clock } = await activeSubscription(1000);
    const addOn = await monthlyPrice(stripe, { amount: 400, name: 'Extra seats' });
    const item = await stripe.subscriptionItems.create({
      subscription: subscription.id,
      price: addOn.id,
      proration_behavior: 'none',
    });
    await expect(stripe.subscriptionItems.del(item.id, { proration_date: MIDDLE })).resolves.toMatchObject({
      id: item.id,
      deleted: true,
    });
    const pending = await stripe.invoiceItems.list({ customer: subscription.customer as string, pending: true });
    expect(pending.data.map((entry) => [entry.amount, entry.proration])).toEqual([[-200, true]]);
    await advanceClock(stripe, clock.id, END + 60);
    const renewal = (await stripe.invoices.list({ subscription: subscription.id, limit: 1 })).data[0] as Stripe.Invoice;
    expect(amounts(renewal)).toEqual([-200, 1000]);
  });

  it('refuses a second currency on a customer with a live subscription', async () => {
    const { stripe, customer } = await activeSubscription(1000);
    const yen = await monthlyPrice(stripe, { amount: 1000, currency: 'jpy' });
    await expect(
      stripe.subscriptions.create({ customer: customer.id, currency: 'jpy', items: [{ price: yen.id }] }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'currency' });
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ currency: 'usd' });
  });

  it('expires an unpaid incomplete subscription after 23 hours and voids its invoice', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, START, 'pm_card_chargeDeclined');
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(subscription.status).toBe('incomplete');
    await advanceClock(stripe, clock.id, START + 24 * 3600);
    const after = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(after.status).toBe('incomplete_expired');
    expect((after.latest_invoice as Stripe.Invoice).status).toBe('void');
  });

  it('cancels immediately, crediting unused time to the customer balance with prorate and invoice_now', async () => {
    const { stripe, subscription, customer } = await activeSubscription(1000);
    const canceled = await stripe.subscriptions.cancel(subscription.id, { prorate: true, invoice_now: true });
    expect(canceled).toMatchObject({ status: 'canceled', canceled_at: MIDDLE });
    expect(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(-500);
  });
});
