import type { Stripe } from '../../src/stripe/stripe-client';
import {
  DAY,
  MIDDLE,
  START,
  advanceClock,
  change,
  paidAccount,
  paidCharges,
  quote,
  startBillingHarness,
  useCard,
  type BillingHarness,
  type PaidAccount,
} from './support/billing-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterEach(async () => h.emulator.control.clearFaults());
afterAll(async () => h?.close());

const seoSetup = { add_ons: [{ code: 'seo_setup', quantity: 1 }] };
const trainingAndSeo = {
  add_ons: [
    { code: 'training_agency', quantity: 1 },
    { code: 'seo_setup', quantity: 1 },
  ],
};

async function operationOf(id: string): Promise<{ state: string; result: Record<string, unknown> }> {
  const [row] = await h.db.dataSource.query('SELECT state, result FROM billing_operations WHERE id = $1', [id]);
  return row;
}

async function operationsOf(accountId: string): Promise<Array<{ id: string; state: string }>> {
  return h.db.dataSource.query('SELECT id, state FROM billing_operations WHERE account_id = $1 ORDER BY created_at', [
    accountId,
  ]);
}

/**
 * "25 h later": the customer's request (the operation's journal stamp) moves 25 h into the past, and
 * so does the customer's time in Stripe (the test clock) move 25 h forward.
 */
async function dayAndAnHourLater(account: PaidAccount, operationId: string): Promise<void> {
  await h.db.dataSource.query(
    `UPDATE billing_operations SET created_at = created_at - interval '25 hours' WHERE id = $1`,
    [operationId],
  );
  await advanceClock(h, account.clockId, MIDDLE + 25 * 3600);
}

async function pendingItems(customerId: string): Promise<Stripe.InvoiceItem[]> {
  return (await h.stripe.invoiceItems.list({ customer: customerId, pending: true, limit: 100 })).data;
}

/** One-off invoices of the customer that could still be collected (drafts and open ones). */
async function collectibleManualInvoices(customerId: string): Promise<Stripe.Invoice[]> {
  const { data } = await h.stripe.invoices.list({ customer: customerId, limit: 100 });
  return data.filter(
    (invoice) => invoice.billing_reason === 'manual' && (invoice.status === 'draft' || invoice.status === 'open'),
  );
}

async function chargedAmounts(customerId: string, amount: number): Promise<number> {
  return (await paidCharges(h, customerId)).filter((charge) => charge.amount === amount).length;
}

/** The customer removes the saved card (Stripe then has nothing to charge). */
async function removeCard(customerId: string): Promise<void> {
  const customer = (await h.stripe.customers.retrieve(customerId)) as Stripe.Customer;
  const saved = customer.invoice_settings.default_payment_method;
  await h.stripe.customers.update(customerId, { invoice_settings: { default_payment_method: '' } });
  if (typeof saved === 'string') await h.stripe.paymentMethods.detach(saved);
}

describe('sequence 8: a one-time purchase whose payment Stripe refuses outright', () => {
  // docs.stripe.com/api/invoices/pay: paying an invoice with no payment method to charge is a 400
  // invalid_request_error; docs.stripe.com/api/idempotent_requests: keys are pruned after 24 hours.
  it('ends failed and withdrawn at once, leaves the account free, and is never charged later', async () => {
    const account = await paidAccount(h);
    const quoted = await quote(h, account.auth(), seoSetup);
    expect(quoted.body.amount_due_now).toBe(14900);
    await removeCard(account.customerId);

    const refused = await change(h, account.auth(), quoted.body.id);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const [operation] = await operationsOf(account.accountId);
    expect(operation?.state).toBe('failed');
    expect(await collectibleManualInvoices(account.customerId)).toEqual([]);
    expect(await pendingItems(account.customerId)).toEqual([]);

    // The customer adds a card and buys again: not blocked by the refused purchase, charged once.
    await useCard(h, account.customerId, 'pm_card_visa');
    const again = await change(h, account.auth(), (await quote(h, account.auth(), seoSetup)).body.id);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'applied', amount_charged: 14900 });

    await dayAndAnHourLater(account, operation?.id ?? '');
    await h.billing.finishInterruptedOperations();
    expect(await chargedAmounts(account.customerId, 14900)).toBe(1);
    expect((await operationOf(operation?.id ?? '')).state).toBe('failed');
  });

  it('a 400 at the pay step is final: the janitor never pays it, even once Stripe forgot the key', async () => {
    const account = await paidAccount(h);
    const quoted = await quote(h, account.auth(), seoSetup);
    // NOTE: an injected refusal is not kept under the idempotency key: a repeat would execute anew,
    // exactly what Stripe does once the key is older than 24 hours.
    await h.emulator.control.injectFault({ method: 'POST', path: '/v1/invoices/*', kind: 'invalid_request_400' });
    const refused = await change(h, account.auth(), quoted.body.id);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const operationId = String((await operationsOf(account.accountId))[0]?.id);
    expect((await operationOf(operationId)).state).toBe('failed');

    await dayAndAnHourLater(account, operationId);
    await h.emulator.control.clearRequestLog();
    await h.billing.finishInterruptedOperations();
    expect(await chargedAmounts(account.customerId, 14900)).toBe(0);
    const pays = (await h.emulator.control.requestLog()).filter((entry) => entry.path.endsWith('/pay'));
    expect(pays).toEqual([]);
    expect(await collectibleManualInvoices(account.customerId)).toEqual([]);
    expect(await pendingItems(account.customerId)).toEqual([]);
  });

  it('an interrupted pay is not sent again once the customer’s consent has lapsed: withdrawn instead', async () => {
    const account = await paidAccount(h);
    const quoted = await quote(h, account.auth(), seoSetup);
    await h.emulator.control.injectFault({ method: 'POST', path: '/v1/invoices/*', kind: 'api_error_500' });
    expect((await change(h, account.auth(), quoted.body.id)).status).toBe(503);
    const operationId = String((await operationsOf(account.accountId))[0]?.id);
    expect((await operationOf(operationId)).state).toBe('sent');

    await dayAndAnHourLater(account, operationId);
    await h.emulator.control.clearRequestLog();
    await h.billing.finishInterruptedOperations();
    const pays = (await h.emulator.control.requestLog()).filter((entry) => entry.path.endsWith('/pay'));
    expect(pays).toEqual([]);
    expect(await chargedAmounts(account.customerId, 14900)).toBe(0);
    expect(await operationOf(operationId)).toMatchObject({ state: 'failed', result: { status: 'expired' } });
    expect(await collectibleManualInvoices(account.customerId)).toEqual([]);
    expect(await pendingItems(account.customerId)).toEqual([]);
  });
});

describe('sequence 9: a one-time purchase refused part-way leaves nothing for the renewal to bill', () => {
  const RENEWAL = START + 31 * DAY;

  async function renewalInvoice(account: PaidAccount): Promise<Stripe.Invoice | undefined> {
    const { data } = await h.stripe.invoices.list({ subscription: account.subscription.id, limit: 100 });
    return data.find((invoice) => invoice.billing_reason === 'subscription_cycle');
  }

  // docs.stripe.com/api/invoiceitems: pending invoice items are pulled into the customer's next invoice.
  it('refused at its second invoice item: the first is deleted and the renewal bills the plan only', async () => {
    const account = await paidAccount(h);
    const quoted = await quote(h, account.auth(), trainingAndSeo);
    expect(quoted.body.amount_due_now).toBe(29900 + 14900);
    await h.emulator.control.injectFault({
      method: 'POST',
      path: '/v1/invoiceitems',
      kind: 'invalid_request_400',
      skip: 1,
    });
    expect((await change(h, account.auth(), quoted.body.id)).status).toBeGreaterThanOrEqual(400);
    expect((await operationsOf(account.accountId)).map((operation) => operation.state)).toEqual(['failed']);
    expect(await pendingItems(account.customerId)).toEqual([]);

    await advanceClock(h, account.clockId, RENEWAL);
    expect(await renewalInvoice(account)).toMatchObject({ total: 1900, amount_paid: 1900 });
  });

  it('when withdrawing at the refusal fails too, the janitor deletes the left item before the renewal', async () => {
    const account = await paidAccount(h);
    const quoted = await quote(h, account.auth(), trainingAndSeo);
    await h.emulator.control.injectFault({
      method: 'POST',
      path: '/v1/invoiceitems',
      kind: 'invalid_request_400',
      skip: 1,
    });
    // the withdrawal's list of pending items fails (the change's own check for strays, the first list, passes)
    await h.emulator.control.injectFault({ method: 'GET', path: '/v1/invoiceitems', kind: 'api_error_500', skip: 1 });
    expect((await change(h, account.auth(), quoted.body.id)).status).toBeGreaterThanOrEqual(400);
    expect((await pendingItems(account.customerId)).map((item) => item.amount)).toEqual([29900]);

    await h.billing.finishInterruptedOperations();
    expect(await pendingItems(account.customerId)).toEqual([]);
    await advanceClock(h, account.clockId, RENEWAL);
    expect(await renewalInvoice(account)).toMatchObject({ total: 1900, amount_paid: 1900 });
  });
});
