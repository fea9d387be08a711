import { createTestApp, type TestApp } from '../support/test-app';
import { createAccount, DAY, getPrompts, mirrorSubscription, promptsOf, SimulatedClock } from './support/http-fixtures';

let t: TestApp;
const start = new Date();
beforeAll(async () => {
  t = await createTestApp();
  new SimulatedClock(t, start);
});
afterAll(() => t.close());

/** A Pro subscriber bought `days` ago, holding `addOns`. */
async function proCustomer(id: string, industry: string, addOns: Array<{ code: string; quantity: number }>, days = 40) {
  await createAccount(t, id, { industry, signedUpAt: new Date(start.getTime() - 100 * DAY) });
  await mirrorSubscription(t, {
    accountId: id,
    planCode: 'pro',
    createdAt: new Date(start.getTime() - days * DAY),
    periodStart: new Date(start.getTime() - 10 * DAY),
    periodEnd: new Date(start.getTime() + 20 * DAY),
    addOns,
  });
}

describe('the recommended add-on', () => {
  it('is what accounts of the same segment most often hold beside what this account holds', async () => {
    for (let i = 0; i < 3; i += 1)
      await proCustomer(`acct_law_seats_${i}`, 'legal', [{ code: 'extra_seats', quantity: 2 }]);
    await proCustomer('acct_law_support', 'legal', [{ code: 'priority_support', quantity: 1 }]);
    for (let i = 0; i < 5; i += 1)
      await proCustomer(`acct_shop_${i}`, 'retail', [{ code: 'priority_support', quantity: 1 }]);

    await proCustomer('acct_law_new', 'legal', []);
    const [prompt] = await promptsOf(t, 'acct_law_new', { placement: 'settings' });
    expect(prompt).toMatchObject({
      kind: 'cross_sell',
      offer: { type: 'addon', code: 'extra_seats' },
      reason: { trigger: 'days_after_purchase' },
    });
    expect(prompt?.reason.text).toContain('Teams like yours often use this together with what you already have.');

    await proCustomer('acct_shop_new', 'retail', []);
    const [retail] = await promptsOf(t, 'acct_shop_new', { placement: 'settings' });
    expect(retail?.offer.code).toBe('priority_support');
  });

  it('is not offered when the account already holds it', async () => {
    await proCustomer('acct_law_holding', 'legal', [{ code: 'extra_seats', quantity: 1 }]);
    const prompts = await promptsOf(t, 'acct_law_holding', { placement: 'settings' });
    expect(prompts.map((p) => p.offer.code)).not.toContain('extra_seats');
  });
});

describe('GET /v1/prompts for an account the SaaS never registered', () => {
  it('answers 404', async () => {
    const res = await getPrompts(t, 'acct_unknown');
    expect(res.status).toBe(404);
  });
});
