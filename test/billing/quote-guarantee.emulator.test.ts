import request from 'supertest';
import { paidAccount, quote, startBillingHarness, type BillingHarness } from './support/billing-harness';
import { at, buy, claim, DAY_MS } from '../guarantees/support/guarantee-harness';

// Issue 17, sequence 18: a quote announces the guarantee the rules would grant this account for
// this purchase — with its conditions in plain words — and nothing where a claim would be refused.

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

const PLAN_UPGRADE_CONDITIONS = {
  window_days: 30,
  refund: 'full_charge',
  once_per_product: true,
  covers_renewals: false,
  max_claims_per_year: 2,
  max_usage_percent: 80,
  not_started: false,
};

describe('the guarantee a quote announces', () => {
  it('states the upgrade guarantee with its conditions, as data and in plain words', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const quoted = await quote(h, account.auth(), { plan: 'premium' });
    expect(quoted.status).toBe(201);
    expect(quoted.body.guarantee).toEqual({
      eligible: true,
      days: 30,
      conditions: PLAN_UPGRADE_CONDITIONS,
      reason: null,
      terms: [
        'Full refund if you ask within 30 days of payment',
        'Only while you have used no more than 80% of the new limits',
        'Once per product: a product refunded before is not refunded again',
        'Renewal payments are not covered',
        'Refunds per account in any 12 months: at most 2',
      ],
    });
  });

  it("says the conditions in the account's language", async () => {
    const account = await paidAccount(h, { currency: 'eur' });
    await h.db.dataSource.query(`UPDATE accounts SET locale = 'de' WHERE id = $1`, [account.accountId]);
    const quoted = await quote(h, account.auth(), { plan: 'premium' });
    expect(quoted.status).toBe(201);
    // NOTE: Intl writes German percents with a no-break space (80 %): compared with plain spaces.
    const terms = (quoted.body.guarantee.terms as string[]).map((term) => term.replace(/\u00a0/g, ' '));
    expect(terms.slice(0, 2)).toEqual([
      'Volle Erstattung, wenn Sie innerhalb von 30 Tagen nach der Zahlung fragen',
      'Nur solange Sie höchstens 80 % der neuen Limits genutzt haben',
    ]);
  });

  it('a training package bought on its own carries the one-time policy: 7 days, not once started', async () => {
    const account = await paidAccount(h, { currency: 'usd', plan: 'premium' });
    const quoted = await quote(h, account.auth(), { add_ons: [{ code: 'training_agency', quantity: 1 }] });
    expect(quoted.status).toBe(201);
    expect(quoted.body.guarantee).toMatchObject({
      eligible: true,
      days: 7,
      conditions: { not_started: true, covers_renewals: null, max_usage_percent: null },
      terms: [
        'Full refund if you ask within 7 days of payment',
        'Only before the training has started',
        'Once per product: a product refunded before is not refunded again',
      ],
    });
  });

  it('promises nothing for a product already refunded once under the guarantee', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    at(h, upgrade, 3 * DAY_MS);
    expect((await claim(h, account.auth(), upgrade.id)).status).toBe(200);

    const again = await quote(h, account.auth(), { plan: 'premium' });
    expect(again.status).toBe(201);
    expect(again.body.change).toMatchObject({ kind: 'upgrade' });
    expect(again.body.guarantee).toEqual({
      eligible: false,
      days: null,
      conditions: null,
      reason: 'already_claimed',
      terms: [],
    });
  });

  it('promises nothing for an interval change, which a claim answers `not_covered`', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const quoted = await quote(h, account.auth(), { interval: 'year' });
    expect(quoted.status).toBe(201);
    expect(quoted.body.change).toMatchObject({ kind: 'interval_change' });
    expect(quoted.body.guarantee).toMatchObject({ eligible: false, days: null, reason: 'not_covered' });

    // What the quote said is what the claim answers.
    const yearly = await buy(h, account.auth(), { interval: 'year' });
    const eligibility = await request(h.app).get('/v1/refunds/eligibility').set('Authorization', account.auth());
    expect(eligibility.body.data).toEqual([
      expect.objectContaining({ purchase_id: yearly.id, eligible: false, reason: 'not_covered' }),
    ]);
  });
});
