import request from 'supertest';
import {
  freeAccount,
  paidAccount,
  quote,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';

/**
 * Issue #22, acceptance 4 (prices): the price a prompt shows is what this account pays now — the
 * quote's amount due for the same account and offer — or it is labelled a list price, with the
 * note that the amount due (after Stripe's credit for unused time) is on the quote. Against the
 * Stripe emulator: quotes are Stripe's invoice previews
 * (https://docs.stripe.com/api/invoices/create_preview).
 */
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

async function gatePrompt(auth: string, feature: string) {
  const res = await request(h.app)
    .get('/v1/prompts')
    .query({ placement: 'feature_gate', feature })
    .set('Authorization', auth);
  expect(res.status).toBe(200);
  const [prompt] = res.body.data;
  expect(prompt).toBeDefined();
  return prompt;
}

describe("the prompt's price and the quote's amount due", () => {
  it('from the free plan with the trial already used, the prompt’s price is the amount due now, to the minor unit', async () => {
    const account = await freeAccount(h);
    await h.db.dataSource.query(
      `INSERT INTO account_trials (account_id, plan_code, kind, started_at, ends_at, outcome, outcome_at)
       VALUES ($1, 'pro', 'trial', now() - interval '60 days', now() - interval '46 days', 'ended', now() - interval '46 days')`,
      [account.accountId],
    );
    const prompt = await gatePrompt(account.auth, 'time_tracking');
    expect(prompt.offer).toMatchObject({ code: 'pro', price_basis: 'due_now', price_note: null });
    const quoted = await quote(h, account.auth, prompt.actions[0].quote);
    expect(quoted.status).toBe(201);
    expect(quoted.body.trial).toBeNull();
    expect(quoted.body.currency).toBe(prompt.offer.price.currency);
    expect(quoted.body.amount_due_now).toBe(prompt.offer.price.amount);
  });

  it('from the free plan with the trial to come, the prompt says so and its price is the first charge after it', async () => {
    const account = await freeAccount(h);
    const prompt = await gatePrompt(account.auth, 'time_tracking');
    expect(prompt.offer).toMatchObject({ code: 'pro', price_basis: 'after_trial' });
    expect(prompt.offer.price_note).toBe(
      'Free for 14 days: nothing is charged today; this price applies when the trial ends, unless you cancel before.',
    );
    const quoted = await quote(h, account.auth, prompt.actions[0].quote);
    expect(quoted.status).toBe(201);
    expect(quoted.body.trial).toMatchObject({ days: 14 });
    expect(quoted.body.amount_due_now).toBe(0);
    expect(quoted.body.currency).toBe(prompt.offer.price.currency);
    expect(quoted.body.next_invoice.amount).toBe(prompt.offer.price.amount);
  });

  it('on a paid plan mid-period the prompt labels a list price, and the quote’s amount due is less by the credit', async () => {
    const account = await paidAccount(h);
    const prompt = await gatePrompt(account.auth(), 'sso');
    expect(prompt.offer).toMatchObject({ code: 'premium', price_basis: 'list' });
    expect(prompt.offer.price_note).toMatch(/List price.*credit for unused time.*shown before you pay/);
    const quoted = await quote(h, account.auth(), prompt.actions[0].quote);
    expect(quoted.status).toBe(201);
    expect(quoted.body.currency).toBe(prompt.offer.price.currency);
    // Stripe's proration: Premium for the rest of the period less unused Pro: never the list price.
    expect(quoted.body.amount_due_now).toBeGreaterThan(0);
    expect(quoted.body.amount_due_now).toBeLessThan(prompt.offer.price.amount);
    expect(quoted.body.lines.some((line: { proration: boolean }) => line.proration)).toBe(true);
  });
});
