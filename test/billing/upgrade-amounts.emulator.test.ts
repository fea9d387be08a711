import { guaranteeFor } from '../../src/billing/guarantee-terms';
import type { Stripe } from '../../src/stripe/stripe-client';
import {
  change,
  mirroredPlan,
  paidAccount,
  quote,
  startBillingHarness,
  type BillingHarness,
} from './support/billing-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

async function paidInvoice(invoiceId: string): Promise<Stripe.Invoice> {
  return h.stripe.invoices.retrieve(invoiceId);
}

describe('acceptance 1: the charge equals the quote to the minor unit', () => {
  it.each(['usd', 'jpy', 'kwd'])('upgrades pro → premium mid-period in %s', async (currency) => {
    const account = await paidAccount(h, { currency });
    const quoted = await quote(h, account.auth(), { plan: 'premium' });
    expect(quoted.status).toBe(201);
    expect(quoted.body).toMatchObject({ currency, change: { kind: 'upgrade' } });
    expect(quoted.body.guarantee).toMatchObject(
      guaranteeFor(h.services.catalog, 'plan_upgrade', currency === 'kwd' ? 'KW' : currency === 'jpy' ? 'JP' : 'US'),
    );
    expect(quoted.body.amount_due_now).toBeGreaterThan(0);
    expect(quoted.body.lines.map((line: { proration: boolean }) => line.proration)).toEqual([true, true]);
    expect(quoted.body.lines[0].description).toMatch(/^Unused time on Pro/);

    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'applied', amount_charged: quoted.body.amount_due_now, currency });
    const invoice = await paidInvoice(changed.body.invoice);
    expect(invoice.status).toBe('paid');
    expect(invoice.total).toBe(quoted.body.amount_due_now);
    expect(invoice.amount_paid).toBe(quoted.body.amount_due_now);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'premium', interval: 'month' });

    const purchases = await h.db.dataSource.query('SELECT * FROM purchases WHERE account_id = $1', [account.accountId]);
    expect(purchases).toHaveLength(1);
    expect(purchases[0]).toMatchObject({
      kind: 'plan_change',
      currency,
      amount: String(quoted.body.amount_due_now),
      stripe_invoice_id: invoice.id,
      previous: { plan: 'pro', interval: 'month' },
      bought: { plan: 'premium', interval: 'month' },
    });
    expect(purchases[0].stripe_payment_intent_id).toMatch(/^pi_/);
    expect(purchases[0].stripe_charge_id).toMatch(/^ch_/);
    expect(await h.billing.purchasesOf(account.accountId)).toEqual([
      { kind: 'plan', code: 'premium', at: expect.any(Date) },
    ]);
  });

  it('charges what the quote said for monthly → annual', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const quoted = await quote(h, account.auth(), { interval: 'year' });
    expect(quoted.status).toBe(201);
    expect(quoted.body.change.kind).toBe('interval_change');
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.body).toMatchObject({ status: 'applied', amount_charged: quoted.body.amount_due_now });
    expect((await paidInvoice(changed.body.invoice)).total).toBe(quoted.body.amount_due_now);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'year' });
  });

  it('adds a recurring add-on with a prorated charge', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const quoted = await quote(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 3 }] });
    expect(quoted.status).toBe(201);
    expect(quoted.body.change.kind).toBe('add_ons');
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.body).toMatchObject({ status: 'applied', amount_charged: quoted.body.amount_due_now });
    expect(changed.body.subscription.add_ons).toEqual([{ code: 'extra_seats', quantity: 3 }]);
    expect(await h.billing.purchasesOf(account.accountId)).toEqual([
      { kind: 'add_on', code: 'extra_seats', at: expect.any(Date) },
    ]);
  });
});
