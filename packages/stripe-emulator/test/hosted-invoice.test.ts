import type Stripe from 'stripe';
import { customerOnClock, startHarness, type Harness } from './support/emulator-harness';

/**
 * docs.stripe.com/api/invoices/object (hosted_invoice_url, invoice_pdf): a finalized invoice links
 * its hosted invoice page and its PDF; a draft has neither ("null if the invoice has not been finalized yet").
 */
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

const NOW = Date.UTC(2026, 5, 1) / 1000;

async function draftInvoice(stripe: Stripe): Promise<Stripe.Invoice> {
  const { customer } = await customerOnClock(stripe, NOW);
  const product = await stripe.products.create({ name: 'Training' });
  const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 29900 });
  await stripe.invoiceItems.create({ customer: customer.id, pricing: { price: price.id } });
  return stripe.invoices.create({
    customer: customer.id,
    pending_invoice_items_behavior: 'include',
    auto_advance: false,
  });
}

describe('hosted invoice page and PDF', () => {
  it('has no links on a draft, and serves both once the invoice is finalized and paid', async () => {
    const { stripe } = harness;
    const draft = await draftInvoice(stripe);
    expect(draft).toMatchObject({ status: 'draft', hosted_invoice_url: null, invoice_pdf: null });

    const paid = await stripe.invoices.pay(draft.id);
    expect(paid.status).toBe('paid');
    expect(paid.hosted_invoice_url).toBe(`${harness.emulator.url}/invoice/${paid.id}`);
    expect(paid.invoice_pdf).toBe(`${harness.emulator.url}/invoice/${paid.id}/pdf`);

    const page = await fetch(paid.hosted_invoice_url!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(String(paid.number));
    expect(html).toContain('$299.00');
    const pdf = await fetch(paid.invoice_pdf!);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect((await pdf.text()).startsWith('%PDF-1.4')).toBe(true);
  });

  it('answers 404 for a draft or an unknown invoice', async () => {
    const draft = await draftInvoice(harness.stripe);
    expect((await fetch(`${harness.emulator.url}/invoice/${draft.id}`)).status).toBe(404);
    expect((await fetch(`${harness.emulator.url}/invoice/in_missing/pdf`)).status).toBe(404);
  });
});
