import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, userToken } from '../support/tokens';
import { createAccount, DAY, postEvent, promptsOf, reportUsage, SimulatedClock } from './support/http-fixtures';

let t: TestApp;
let promptId: string;
const start = new Date();
beforeAll(async () => {
  t = await createTestApp();
  new SimulatedClock(t, start);
  for (const id of ['acct_mine', 'acct_theirs']) {
    await createAccount(t, id, { signedUpAt: new Date(start.getTime() - 60 * DAY) });
    await reportUsage(t, id, 'projects', 3);
  }
  const [prompt] = await promptsOf(t, 'acct_mine');
  promptId = prompt?.id;
});
afterAll(() => t.close());

const clicks = async () =>
  Number(
    (
      await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM offer_events WHERE prompt_id = $1 AND type = 'click'`,
        [promptId],
      )
    )[0].n,
  );

describe('POST /v1/prompts/{id}/events', () => {
  it('another account’s prompt id answers 404 and records nothing', async () => {
    const res = await postEvent(t, 'acct_theirs', promptId, { type: 'dismiss' });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ type: 'not_found', param: 'id' });
    const rows = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM offer_events WHERE type = 'dismiss'`);
    expect(rows[0].n).toBe(0);
  });

  it('an unknown or malformed prompt id answers 404', async () => {
    expect((await postEvent(t, 'acct_mine', 'prm_000000000000000000000000', { type: 'click' })).status).toBe(404);
    expect((await postEvent(t, 'acct_mine', 'not-a-prompt', { type: 'click' })).status).toBe(404);
  });

  it('bad input answers 422 naming the field', async () => {
    const wrongType = await postEvent(t, 'acct_mine', promptId, { type: 'purchase' });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.error.param).toBe('type');
    const extra = await postEvent(t, 'acct_mine', promptId, { type: 'click', amount: 5 });
    expect(extra.status).toBe(422);
    expect(extra.body.error.param).toBe('amount');
    expect((await postEvent(t, 'acct_mine', promptId, undefined)).status).toBe(422);
  });

  it('needs an end user’s token', async () => {
    const res = await request(t.app).post(`/v1/prompts/${promptId}/events`).send({ type: 'click' });
    expect(res.status).toBe(401);
  });

  it('a double click counts once; concurrent repeats too', async () => {
    const first = await postEvent(t, 'acct_mine', promptId, { type: 'click' });
    const second = await postEvent(t, 'acct_mine', promptId, { type: 'click' });
    expect(first.body).toEqual({ object: 'prompt_event', prompt_id: promptId, type: 'click', recorded: true });
    expect(second.status).toBe(200);
    expect(second.body.recorded).toBe(false);
    await Promise.all([1, 2, 3].map(() => postEvent(t, 'acct_mine', promptId, { type: 'click' })));
    expect(await clicks()).toBe(1);
  });

  it('a member may answer their prompts too', async () => {
    expect((await postEvent(t, 'acct_mine', promptId, { type: 'snooze' }, 'member')).status).toBe(200);
  });

  it('GET /v1/prompts validates its query', async () => {
    const auth = bearer(userToken('acct_mine'));
    const gate = await request(t.app)
      .get('/v1/prompts')
      .query({ placement: 'feature_gate' })
      .set('Authorization', auth);
    expect(gate.status).toBe(422);
    expect(gate.body.error.param).toBe('feature');
    const res = await request(t.app).get('/v1/prompts').query({ placement: 'popup' }).set('Authorization', auth);
    expect(res.status).toBe(422);
    expect(res.body.error.param).toBe('placement');
  });
});
