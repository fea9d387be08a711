import { customerOnClock, startHarness, type Harness } from './support/emulator-harness';

/**
 * docs.stripe.com/billing/customer/balance and docs.stripe.com/api/customer_balance_transactions/create:
 * a negative balance transaction is credit; the next finalized invoice uses it (starting_balance →
 * ending_balance, amount_due reduced) and records an `applied_to_invoice` transaction. The balance has
 * the customer's currency. docs.stripe.com/api/invoices/send: sending a finalized invoice returns it.
 */
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

const NOW = Date.UTC(2026, 5, 1) / 1000;

describe('customer balance', () => {
  it('credits the customer, applies the credit to the next invoice, and lists both transactions', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, NOW);
    const credit = await stripe.customers.createBalanceTransaction(customer.id, {
      amount: -1500,
      currency: 'usd',
      description: 'Goodwill',
    });
    expect(credit).toMatchObject({
      object: 'customer_balance_transaction',
      amount: -1500,
      currency: 'usd',
      ending_balance: -1500,
      type: 'adjustment',
      invoice: null,
    });
    expect((await stripe.customers.retrieve(customer.id)) as { balance: number }).toMatchObject({ balance: -1500 });
    await expect(
      stripe.customers.createBalanceTransaction(customer.id, { amount: -100, currency: 'eur' }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'currency' });

    const product = await stripe.products.create({ name: 'Training' });
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 2000 });
    await stripe.invoiceItems.create({ customer: customer.id, pricing: { price: price.id } });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
      auto_advance: false,
    });
    await expect(stripe.invoices.sendInvoice(draft.id)).rejects.toMatchObject({ statusCode: 400 });
    const open = await stripe.invoices.finalizeInvoice(draft.id);
    expect(open).toMatchObject({ total: 2000, starting_balance: -1500, ending_balance: 0, amount_due: 500 });
    expect((await stripe.customers.retrieve(customer.id)) as { balance: number }).toMatchObject({ balance: 0 });

    const sent = await stripe.invoices.sendInvoice(open.id);
    expect(sent).toMatchObject({ id: open.id, status: 'open' });

    const list = await stripe.customers.listBalanceTransactions(customer.id);
    expect(list.data.map((t) => [t.type, t.amount, t.ending_balance, t.invoice])).toEqual([
      ['applied_to_invoice', 1500, 0, open.id],
      ['adjustment', -1500, -1500, null],
    ]);
    const one = await stripe.customers.retrieveBalanceTransaction(customer.id, credit.id);
    expect(one.id).toBe(credit.id);
  });
});
