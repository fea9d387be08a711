import request from 'supertest';
import {
  DAY,
  START,
  advanceClock,
  change,
  mirror,
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

/** 1 May 2026: the renewal of a subscription started on 1 April. */
const RENEWAL = START + 30 * DAY;

async function scheduledDowngrade() {
  const account = await paidAccount(h, { plan: 'premium' });
  const quoted = await quote(h, account.auth(), { plan: 'pro' });
  expect(quoted.status).toBe(201);
  expect(quoted.body).toMatchObject({
    amount_due_now: 0,
    lines: [],
    change: { kind: 'downgrade', effective: 'period_end' },
  });
  expect(quoted.body.next_invoice).toMatchObject({ amount: 1900, date: new Date(RENEWAL * 1000).toISOString() });
  const changed = await change(h, account.auth(), quoted.body.id);
  expect(changed.status).toBe(200);
  expect(changed.body).toMatchObject({ status: 'scheduled', effective_at: new Date(RENEWAL * 1000).toISOString() });
  return { account, operationId: changed.body.operation_id as string };
}

describe('acceptance 5: downgrades wait for the renewal', () => {
  it('takes effect at the renewal, not before, without charging for the switch', async () => {
    const { account } = await scheduledDowngrade();
    await advanceClock(h, account.clockId, RENEWAL - DAY);
    await mirror(h, account.subscription.id);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'premium', interval: 'month' });
    const before = await request(h.app).get('/v1/account').set('Authorization', account.auth());
    expect(before.body.pending_change).toMatchObject({ plan: 'pro' });

    await advanceClock(h, account.clockId, RENEWAL + 3600);
    await mirror(h, account.subscription.id);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
    const renewal = (await h.stripe.invoices.list({ subscription: account.subscription.id, limit: 1 })).data[0];
    expect(renewal?.total).toBe(1900);
  });

  it('keeps the plan when the downgrade is cancelled before the renewal', async () => {
    const { account, operationId } = await scheduledDowngrade();
    const cancelled = await request(h.app)
      .post(`/v1/changes/${operationId}/cancel`)
      .set('Authorization', account.auth())
      .send({});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('canceled');
    await advanceClock(h, account.clockId, RENEWAL + 3600);
    await mirror(h, account.subscription.id);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'premium', interval: 'month' });
    const renewal = (await h.stripe.invoices.list({ subscription: account.subscription.id, limit: 1 })).data[0];
    expect(renewal?.total).toBe(4900);
  });
});

describe('cancel at period end and resume', () => {
  it('sets and clears cancel_at_period_end, keeping the plan meanwhile', async () => {
    const account = await paidAccount(h);
    const cancel = await request(h.app)
      .post('/v1/subscription/cancel')
      .set('Authorization', account.auth())
      .set('Idempotency-Key', 'cancel-1')
      .send({ at_period_end: true });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({
      status: 'cancel_scheduled',
      subscription: { cancel_at_period_end: true, plan: 'pro' },
    });
    const resume = await request(h.app)
      .post('/v1/subscription/resume')
      .set('Authorization', account.auth())
      .set('Idempotency-Key', 'resume-1')
      .send({});
    expect(resume.status).toBe(200);
    expect(resume.body).toMatchObject({ status: 'resumed', subscription: { cancel_at_period_end: false } });
    expect((await h.stripe.subscriptions.retrieve(account.subscription.id)).cancel_at_period_end).toBe(false);
  });

  it("refuses a member's cancellation", async () => {
    const account = await paidAccount(h);
    const response = await request(h.app)
      .post('/v1/subscription/cancel')
      .set('Authorization', account.auth('member'))
      .set('Idempotency-Key', 'cancel-member')
      .send({ at_period_end: true });
    expect(response.status).toBe(403);
  });
});
