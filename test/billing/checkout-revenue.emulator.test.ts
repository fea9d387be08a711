import type { Stripe } from '../../src/stripe/stripe-client';
import {
  change,
  freeAccount,
  quote,
  startBillingHarness,
  type BillingHarness,
  payCheckout as pay,
} from './support/billing-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

async function priceId(lookupKey: string): Promise<string> {
  const { data } = await h.stripe.prices.list({ lookup_keys: [lookupKey] });
  return data[0]?.id ?? '';
}

describe('sequence 17: a Checkout settled late records its own invoice', () => {
  // docs.stripe.com/api/checkout/sessions/object#checkout_session_object-invoice: the invoice the
  // session created; a subscription's latest_invoice moves on with every later invoice.
  it('records the session invoice, not the subscription latest invoice another change made meanwhile', async () => {
    const account = await freeAccount(h, 'KW');
    const quoted = await quote(h, account.auth, { plan: 'premium', interval: 'year', trial: false });
    expect(quoted.body).toMatchObject({ currency: 'kwd', checkout_required: true });
    const changed = await change(h, account.auth, quoted.body.id);
    expect(changed.body.status).toBe('checkout_required');
    expect((await pay(changed.body.checkout_url, 'pm_card_visa')).status).toBe(303);

    // Before any webhook, GET or janitor settles the Checkout, the subscription is invoiced again.
    const [row] = await h.db.dataSource.query('SELECT stripe_object_id FROM billing_operations WHERE id = $1', [
      changed.body.operation_id,
    ]);
    const session = await h.stripe.checkout.sessions.retrieve(row.stripe_object_id);
    const subscription = await h.stripe.subscriptions.retrieve(String(session.subscription));
    await h.stripe.subscriptions.update(subscription.id, {
      items: [{ price: await priceId('tierlift_addon_priority_support_year') }],
      proration_behavior: 'always_invoice',
    });
    const later = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(later.latest_invoice).not.toBe(session.invoice);

    expect((await h.billing.finishInterruptedOperations()).completed).toBe(1);
    const sessionInvoice: Stripe.Invoice = await h.stripe.invoices.retrieve(String(session.invoice));
    expect(sessionInvoice.amount_paid).toBe(quoted.body.amount_due_now);
    const purchases = await h.db.dataSource.query(
      'SELECT kind, amount, currency, stripe_invoice_id FROM purchases WHERE account_id = $1',
      [account.accountId],
    );
    expect(purchases).toEqual([
      {
        kind: 'subscription_start',
        amount: String(quoted.body.amount_due_now),
        currency: 'kwd',
        stripe_invoice_id: sessionInvoice.id,
      },
    ]);
  });
});
