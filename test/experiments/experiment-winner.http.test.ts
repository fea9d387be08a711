import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth } from '../support/tokens';

/** Declaring an experiment's winner (issue #23): only once stopped, once, with the verdicts of that moment. */
describe('POST /admin/v1/experiments/:key/winner', () => {
  let t: TestApp;
  const post = (path: string, body: object = {}) =>
    request(t.app).post(path).set('Authorization', adminAuth).send(body);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses a running experiment, then records the winner of the stopped one with its verdicts, once', async () => {
    const created = await post('/admin/v1/experiments', {
      key: 'winner_exp',
      hypothesis: 'Premium instead of Pro earns more per account.',
      rule_id: 'welcome_pro_after_two_weeks',
      variants: [
        { key: 'a', weight: 50 },
        { key: 'b', weight: 50, overrides: { offer: { type: 'plan', plan: 'premium' } } },
      ],
      primary_metric: { type: 'conversion', window_days: 14 },
      planned_sample_size: 100,
    });
    expect(created.status).toBe(201);
    expect((await post('/admin/v1/experiments/winner_exp/start')).status).toBe(200);
    const early = await post('/admin/v1/experiments/winner_exp/winner', { variant: 'b' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('experiment_not_stopped');
    expect((await post('/admin/v1/experiments/winner_exp/stop')).status).toBe(200);
    expect((await post('/admin/v1/experiments/winner_exp/winner', { variant: 'c' })).status).toBe(422);
    expect((await post('/admin/v1/experiments/winner_exp/winner', { variant: 'b', x: 1 })).status).toBe(422);

    const declared = await post('/admin/v1/experiments/winner_exp/winner', { variant: 'b' });
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({
      object: 'experiment_winner',
      key: 'winner_exp',
      variant: 'b',
      declared_by: 'root',
    });
    expect(declared.body.verdicts).toEqual([
      expect.objectContaining({
        control: 'a',
        treatment: 'b',
        verdict: expect.objectContaining({ kind: 'insufficient_sample' }),
      }),
    ]);
    const again = await post('/admin/v1/experiments/winner_exp/winner', { variant: 'a' });
    expect(again.status).toBe(409);
    const { rows } = await t.services.pool().query('SELECT variant FROM experiment_winners');
    expect(rows).toEqual([{ variant: 'b' }]);
  });
});
