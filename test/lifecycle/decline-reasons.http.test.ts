import { createTestApp, type TestApp } from '../support/test-app';
import {
  admin,
  createAccount,
  DAY,
  postEvent,
  promptsOf,
  reportUsage,
  SimulatedClock,
} from '../offers/support/http-fixtures';

/**
 * Decline reasons (issue #20): a decline (`dismiss`) may say why; the funnel shows them per offer
 * and locale; "too expensive" silences offers at that price or more for 30 days (the service's
 * injected clock moves the days).
 */
let t: TestApp;
let clock: SimulatedClock;
const start = new Date();
beforeAll(async () => {
  t = await createTestApp();
  clock = new SimulatedClock(t, start);
});
afterAll(() => t.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const proOffer = (prompts: Array<Record<string, any>>) =>
  prompts.find((prompt) => prompt.offer?.type === 'plan' && prompt.offer?.code === 'pro');

async function freeAtLimit(id: string, country = 'US', locale = 'en') {
  await createAccount(t, id, { country, locale, signedUpAt: new Date(start.getTime() - 60 * DAY) });
  await reportUsage(t, id, 'projects', 3);
  const offer = proOffer(await promptsOf(t, id));
  if (!offer) throw new Error(`no Pro offer for ${id}`);
  return offer;
}

describe('decline reasons', () => {
  it('are stored per offer and locale, counted in the funnel, and "too expensive" silences that price for 30 days', async () => {
    const cheap = await freeAtLimit('acct_decline_cheap');
    const later = await freeAtLimit('acct_decline_later', 'DE', 'de');
    const plain = await freeAtLimit('acct_decline_plain');
    expect(cheap.offer.price).toMatchObject({ amount: 1900, currency: 'usd' });

    const declined = await postEvent(t, 'acct_decline_cheap', cheap.id, {
      type: 'dismiss',
      reason: 'too_expensive',
      reason_text: 'Over our budget',
    });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ type: 'dismiss', recorded: true });
    expect((await postEvent(t, 'acct_decline_later', later.id, { type: 'dismiss', reason: 'not_now' })).status).toBe(
      200,
    );
    expect((await postEvent(t, 'acct_decline_plain', plain.id, { type: 'dismiss' })).status).toBe(200);

    const stored = await t.db.dataSource.query(
      `SELECT account_id, offer_code, amount, currency, locale, reason, reason_text FROM prompt_decline_reasons ORDER BY account_id`,
    );
    expect(stored).toEqual([
      {
        account_id: 'acct_decline_cheap',
        offer_code: 'pro',
        amount: '1900',
        currency: 'usd',
        locale: 'en',
        reason: 'too_expensive',
        reason_text: 'Over our budget',
      },
      {
        account_id: 'acct_decline_later',
        offer_code: 'pro',
        amount: '1900',
        currency: 'eur',
        locale: 'de',
        reason: 'not_now',
        reason_text: null,
      },
    ]);
    const events = await t.db.dataSource.query(
      `SELECT account_id, data FROM outbound_events WHERE type = 'prompt.declined' ORDER BY account_id`,
    );
    expect(
      events.map((e: { account_id: string; data: { reason: string | null } }) => [e.account_id, e.data.reason]),
    ).toEqual([
      ['acct_decline_cheap', 'too_expensive'],
      ['acct_decline_later', 'not_now'],
    ]);

    const from = new Date(start.getTime() - DAY).toISOString();
    const to = new Date(start.getTime() + DAY).toISOString();
    const funnel = await admin(t).get(`/admin/v1/analytics/funnel?from=${from}&to=${to}`);
    expect(funnel.status).toBe(200);
    expect(funnel.body.declines).toEqual([
      {
        offer: expect.any(String),
        offer_type: 'plan',
        offer_code: 'pro',
        locale: 'de',
        reason: 'not_now',
        declines: 1,
      },
      {
        offer: expect.any(String),
        offer_type: 'plan',
        offer_code: 'pro',
        locale: 'en',
        reason: 'too_expensive',
        declines: 1,
      },
    ]);

    // past the 7-day dismiss cool-down: the others see Pro again; "too expensive" does not
    clock.set(new Date(start.getTime() + 8 * DAY));
    expect(proOffer(await promptsOf(t, 'acct_decline_plain'))).toBeDefined();
    expect(proOffer(await promptsOf(t, 'acct_decline_later'))).toBeDefined();
    expect(proOffer(await promptsOf(t, 'acct_decline_cheap'))).toBeUndefined();
    clock.set(new Date(start.getTime() + 29 * DAY));
    expect(proOffer(await promptsOf(t, 'acct_decline_cheap'))).toBeUndefined();
    clock.set(new Date(start.getTime() + 30 * DAY + 60_000));
    expect(proOffer(await promptsOf(t, 'acct_decline_cheap'))).toBeDefined();
  });

  it('answers a reason that does not belong with a 422 and records nothing', async () => {
    clock.set(start);
    const offer = await freeAtLimit('acct_decline_bad');
    expect((await postEvent(t, 'acct_decline_bad', offer.id, { type: 'click', reason: 'not_now' })).status).toBe(422);
    expect((await postEvent(t, 'acct_decline_bad', offer.id, { type: 'dismiss', reason: 'boring' })).status).toBe(422);
    const long = { type: 'dismiss', reason: 'other', reason_text: 'x'.repeat(501) };
    expect((await postEvent(t, 'acct_decline_bad', offer.id, long)).status).toBe(422);
    const rows = await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM offer_events WHERE account_id = 'acct_decline_bad' AND type = 'dismiss'`,
    );
    expect(rows[0].n).toBe(0);
  });
});
