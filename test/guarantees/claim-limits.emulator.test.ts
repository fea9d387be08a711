import request from 'supertest';
import { paidAccount, startBillingHarness, type BillingHarness } from '../billing/support/billing-harness';
import { serverAuth } from '../support/tokens';
import { at, buy, claim, DAY_MS, writes } from './support/guarantee-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

const training = { add_ons: [{ code: 'training_agency', quantity: 1 }] };

/** The SaaS backend schedules the training (server key). */
async function startTrainingAt(accountId: string, startsAt: Date): Promise<void> {
  const answer = await request(h.app)
    .put(`/v1/accounts/${accountId}/trainings/training_agency`)
    .set('Authorization', serverAuth)
    .send({ starts_at: startsAt.toISOString() });
  expect(answer.status).toBe(200);
}

async function refundsOf(chargeId: string) {
  return (await h.stripe.refunds.list({ charge: chargeId, limit: 100 })).data;
}

describe('acceptance 2: a training package', () => {
  it('is refunded in full before its start date and marked refunded', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const bought = await buy(h, account.auth(), training);
    await startTrainingAt(account.accountId, new Date(bought.paidAt.getTime() + 3 * DAY_MS));
    at(h, bought, 2 * DAY_MS);

    const refunded = await claim(h, account.auth(), bought.id);
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ status: 'succeeded', amount: 29900, currency: 'usd' });
    expect(refunded.body.reversal).toEqual({ action: 'training_refunded' });
    expect((await refundsOf(bought.chargeId)).map((refund) => refund.amount)).toEqual([29900]);
    const [row] = await h.db.dataSource.query('SELECT refunded_at FROM purchases WHERE id = $1', [bought.id]);
    expect(row.refunded_at).toBeInstanceOf(Date);
  });

  it('is refused once it has started, with nothing sent to Stripe', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const bought = await buy(h, account.auth(), training);
    await startTrainingAt(account.accountId, new Date(bought.paidAt.getTime() + DAY_MS));
    at(h, bought, 2 * DAY_MS);
    await h.emulator.control.clearRequestLog();

    const listed = await request(h.app).get('/v1/refunds/eligibility').set('Authorization', account.auth());
    expect(listed.body.data).toEqual([expect.objectContaining({ eligible: false, reason: 'training_started' })]);
    const refused = await claim(h, account.auth(), bought.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'training_started', param: 'purchase_id' });
    expect(await h.emulator.control.requestLog()).toEqual([]);
    expect(await refundsOf(bought.chargeId)).toEqual([]);
  });
});

describe('acceptance 3: abuse limits', () => {
  it('ten parallel claims for one purchase make exactly one refund', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    at(h, upgrade, DAY_MS);

    const answers = await Promise.all(Array.from({ length: 10 }, () => claim(h, account.auth(), upgrade.id)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 409 || status === 422)).toBe(true);
    expect((await refundsOf(upgrade.chargeId)).map((refund) => refund.amount)).toEqual([upgrade.amount]);
    const claims = await h.db.dataSource.query('SELECT state FROM refund_claims WHERE purchase_id = $1', [upgrade.id]);
    expect(claims).toEqual([{ state: 'completed' }]);
  });

  it('accepts a claim exactly at the deadline and refuses one a second after it', async () => {
    const late = await paidAccount(h, { currency: 'usd' });
    const lateUpgrade = await buy(h, late.auth(), { plan: 'premium' });
    at(h, lateUpgrade, 30 * DAY_MS + 1000);
    await h.emulator.control.clearRequestLog();
    const refused = await claim(h, late.auth(), lateUpgrade.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'window_closed' });
    expect(refused.body.error.deadline).toBe(new Date(lateUpgrade.paidAt.getTime() + 30 * DAY_MS).toISOString());
    expect(await h.emulator.control.requestLog()).toEqual([]);

    const onTime = await paidAccount(h, { currency: 'usd' });
    const onTimeUpgrade = await buy(h, onTime.auth(), { plan: 'premium' });
    at(h, onTimeUpgrade, 30 * DAY_MS);
    expect((await claim(h, onTime.auth(), onTimeUpgrade.id)).status).toBe(200);
  });

  it('refuses a second claim for the same product after upgrading again', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const first = await buy(h, account.auth(), { plan: 'premium' });
    at(h, first, DAY_MS);
    expect((await claim(h, account.auth(), first.id)).status).toBe(200);

    h.services.clock.now = () => new Date();
    const again = await buy(h, account.auth(), { plan: 'premium' });
    at(h, again, DAY_MS);
    await h.emulator.control.clearRequestLog();
    const refused = await claim(h, account.auth(), again.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'already_claimed' });
    expect(await writes(h)).toEqual([]);
  });
});

describe('acceptance 5: who may claim', () => {
  it("answers 404 for another account's purchase and 403 for a member, sending nothing to Stripe", async () => {
    const owner = await paidAccount(h, { currency: 'usd' });
    const stranger = await paidAccount(h, { currency: 'usd' });
    const upgrade = await buy(h, owner.auth(), { plan: 'premium' });
    at(h, upgrade, DAY_MS);
    await h.emulator.control.clearRequestLog();

    const foreign = await claim(h, stranger.auth(), upgrade.id);
    expect(foreign.status).toBe(404);
    const member = await claim(h, owner.auth('member'), upgrade.id);
    expect(member.status).toBe(403);
    expect(member.body.error.type).toBe('permission_error');
    expect(await h.emulator.control.requestLog()).toEqual([]);
    const claims = await h.db.dataSource.query('SELECT id FROM refund_claims WHERE purchase_id = $1', [upgrade.id]);
    expect(claims).toEqual([]);
  });
});
