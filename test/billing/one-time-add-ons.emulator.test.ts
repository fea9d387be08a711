import {
  MIDDLE,
  advanceClock,
  change,
  freeAccount,
  paidAccount,
  paidCharges,
  quote,
  startBillingHarness,
  useCard,
  type BillingHarness,
} from './support/billing-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

const training = { add_ons: [{ code: 'training_agency', quantity: 1 }] };

async function purchasesOf(accountId: string) {
  return h.db.dataSource.query(
    'SELECT kind, amount, currency, stripe_invoice_id FROM purchases WHERE account_id = $1',
    [accountId],
  );
}

describe('one-time add-ons: invoiced and charged now at full price', () => {
  it('charges exactly the quote in KWD and records a one-time purchase', async () => {
    const account = await paidAccount(h, { currency: 'kwd' });
    const quoted = await quote(h, account.auth(), training);
    expect(quoted.status).toBe(201);
    expect(quoted.body).toMatchObject({
      currency: 'kwd',
      amount_due_now: 92000,
      next_invoice: null,
      checkout_required: false,
      change: { kind: 'one_time', effective: 'now' },
    });
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.body).toMatchObject({ status: 'applied', amount_charged: 92000, currency: 'kwd' });
    const invoice = await h.stripe.invoices.retrieve(changed.body.invoice);
    expect(invoice).toMatchObject({ status: 'paid', total: 92000, amount_paid: 92000 });
    expect(await purchasesOf(account.accountId)).toEqual([
      { kind: 'one_time', amount: '92000', currency: 'kwd', stripe_invoice_id: invoice.id },
    ]);
    expect(await h.billing.purchasesOf(account.accountId)).toEqual([
      { kind: 'add_on', code: 'training_agency', at: expect.any(Date) },
    ]);
  });

  it('leaves nothing bought when the card is declined', async () => {
    const account = await paidAccount(h);
    await useCard(h, account.customerId, 'pm_card_chargeDeclined');
    const quoted = await quote(h, account.auth(), training);
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.status).toBe(200);
    expect(changed.body.status).toBe('requires_payment_method');
    expect(changed.body.client_secret).toMatch(/_secret_/);
    expect(await purchasesOf(account.accountId)).toEqual([]);

    await h.billing.finishInterruptedOperations();
    expect((await h.stripe.invoices.retrieve(changed.body.invoice)).status).toBe('open');
    await advanceClock(h, account.clockId, MIDDLE + 24 * 3600);
    await h.billing.finishInterruptedOperations();
    expect((await h.stripe.invoices.retrieve(changed.body.invoice)).status).toBe('void');
    const [operation] = await h.db.dataSource.query('SELECT state, result FROM billing_operations WHERE id = $1', [
      changed.body.operation_id,
    ]);
    expect(operation).toMatchObject({ state: 'failed', result: { status: 'expired' } });
  });

  it('sends an account without a saved card to Checkout (mode payment)', async () => {
    const account = await freeAccount(h);
    const quoted = await quote(h, account.auth, training);
    expect(quoted.body).toMatchObject({ amount_due_now: 29900, checkout_required: true });
    const changed = await change(h, account.auth, quoted.body.id);
    expect(changed.body.status).toBe('checkout_required');
    await fetch(`${changed.body.checkout_url}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'card=pm_card_visa',
      redirect: 'manual',
    });
    expect((await h.billing.finishInterruptedOperations()).completed).toBe(1);
    const [purchase] = await purchasesOf(account.accountId);
    expect(purchase).toMatchObject({ kind: 'one_time', amount: '29900', currency: 'usd' });
  });

  it.each([
    { path: '/v1/invoiceitems', after: false },
    { path: '/v1/invoiceitems', after: true },
    { path: '/v1/invoices', after: true },
    { path: '/v1/invoices/*', after: false },
    { path: '/v1/invoices/*', after: true },
  ])('a 500 at $path (after: $after) ends in one invoice and one charge after the janitor', async ({ path, after }) => {
    const account = await paidAccount(h);
    const quoted = await quote(h, account.auth(), training);
    await h.emulator.control.injectFault({ method: 'POST', path, kind: 'api_error_500', count: 1, after });
    expect((await change(h, account.auth(), quoted.body.id)).status).toBe(503);
    await h.billing.finishInterruptedOperations();
    const [purchase] = await purchasesOf(account.accountId);
    expect(purchase).toMatchObject({ kind: 'one_time', amount: '29900' });
    const invoices = await h.stripe.invoices.list({ customer: account.customerId, limit: 100 });
    expect(invoices.data.filter((invoice) => invoice.billing_reason === 'manual')).toHaveLength(1);
    const charges = await paidCharges(h, account.customerId);
    expect(charges.map((charge) => charge.amount).filter((amount) => amount === 29900)).toHaveLength(1);
  });

  it('refuses one-time add-ons mixed with a plan change', async () => {
    const account = await paidAccount(h);
    const quoted = await quote(h, account.auth(), { plan: 'premium', ...training });
    expect(quoted.status).toBe(422);
    expect(quoted.body.error.code).toBe('mixed_change');
  });
});
