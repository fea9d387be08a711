import { createTestApp, type TestApp } from '../support/test-app';
import {
  createAccount,
  DAY,
  mirrorSubscription,
  postEvent,
  promptsOf,
  reportUsage,
  SimulatedClock,
} from './support/http-fixtures';

let t: TestApp;
let clock: SimulatedClock;
const start = new Date();

beforeAll(async () => {
  t = await createTestApp();
  clock = new SimulatedClock(t, start);
});
afterAll(() => t.close());
beforeEach(() => clock.set(start));

/**
 * Issue #22 through HTTP with the seeded rules: in Japan (relationship-first: one new prompt a
 * day) a feature-gate prompt seen in the morning must not use up the day, so "limit reached"
 * still shows when the team hits its limit that afternoon; a mere suggestion still waits.
 */
describe('caps let the more important prompt through', () => {
  it('shows "limit reached" the day a feature-gate impression used the daily cap', async () => {
    await createAccount(t, 'acct_caps_jp', {
      country: 'JP',
      locale: 'ja-JP',
      industry: 'software',
      signedUpAt: new Date(start.getTime() - 60 * DAY),
    });
    await mirrorSubscription(t, {
      accountId: 'acct_caps_jp',
      planCode: 'pro',
      currency: 'jpy',
      createdAt: new Date(start.getTime() - 5 * DAY),
      periodStart: new Date(start.getTime() - 5 * DAY),
      periodEnd: new Date(start.getTime() + 25 * DAY),
    });

    // Morning: the user clicks SSO, which Pro lacks; the gate's prompt is shown.
    const [gate] = await promptsOf(t, 'acct_caps_jp', { placement: 'feature_gate', feature: 'sso' });
    expect(gate).toMatchObject({ reason: { trigger: 'feature_gate', feature: 'sso' }, tone: 'relationship' });
    expect((await postEvent(t, 'acct_caps_jp', gate!.id, { type: 'impression' })).status).toBeLessThan(300);

    // Afternoon: every one of Pro's 50,000 API calls is used: the limit is reached.
    clock.advanceDays(0.2);
    await reportUsage(t, 'acct_caps_jp', 'api_calls', 50000, 'increment');
    const dashboard = await promptsOf(t, 'acct_caps_jp');
    expect(dashboard).toHaveLength(1);
    expect(dashboard[0]).toMatchObject({ kind: 'upsell', reason: { trigger: 'usage_threshold', percent: 100 } });
    await postEvent(t, 'acct_caps_jp', dashboard[0]!.id, { type: 'impression' });

    // The cap still holds for what matters less: the gate's prompt is not shown a second new time today.
    const [again] = await promptsOf(t, 'acct_caps_jp', { placement: 'feature_gate', feature: 'resource_allocation' });
    expect(again?.id ?? gate!.id).toBe(gate!.id);
  });
});
