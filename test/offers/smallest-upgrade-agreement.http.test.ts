import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, userToken } from '../support/tokens';
import {
  createAccount,
  DAY,
  mirrorSubscription,
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

interface Case {
  name: string;
  plan: 'free' | 'pro';
  /** Usage to report first: counters by increment, gauges by level. */
  usage: Array<[feature: string, quantity: number, action: 'increment' | 'set']>;
  feature: string;
  /** What the plan names as the smallest upgrade (both sides must name it). */
  expected: string | null;
}

// Free: projects 3, api_calls 1,000. Pro: projects 25, api_calls 50,000, no SSO. Premium: above all.
const cases: Case[] = [
  {
    name: 'free, API calls below the limit',
    plan: 'free',
    usage: [['api_calls', 500, 'increment']],
    feature: 'api_calls',
    expected: 'pro',
  },
  {
    name: 'free, API calls at 90%',
    plan: 'free',
    usage: [['api_calls', 900, 'increment']],
    feature: 'api_calls',
    expected: 'pro',
  },
  {
    name: 'free, API calls at the limit',
    plan: 'free',
    usage: [['api_calls', 1000, 'increment']],
    feature: 'api_calls',
    expected: 'pro',
  },
  {
    name: 'free, API calls above Pro’s limit',
    plan: 'free',
    usage: [['api_calls', 60000, 'increment']],
    feature: 'api_calls',
    expected: 'premium',
  },
  {
    // The measured bug: the prompt offered Premium while entitlements said Pro at the same usage.
    name: 'free, API calls at the limit with seats above Pro’s limit',
    plan: 'free',
    usage: [
      ['api_calls', 1000, 'increment'],
      ['seats', 12, 'set'],
    ],
    feature: 'api_calls',
    expected: 'premium',
  },
  {
    name: 'free, projects below the limit',
    plan: 'free',
    usage: [['projects', 2, 'set']],
    feature: 'projects',
    expected: 'pro',
  },
  {
    name: 'free, projects at the limit',
    plan: 'free',
    usage: [['projects', 3, 'set']],
    feature: 'projects',
    expected: 'pro',
  },
  {
    name: 'free, projects above Pro’s limit',
    plan: 'free',
    usage: [['projects', 26, 'set']],
    feature: 'projects',
    expected: 'premium',
  },
  {
    name: 'Pro, API calls at 90%',
    plan: 'pro',
    usage: [['api_calls', 45000, 'increment']],
    feature: 'api_calls',
    expected: 'premium',
  },
  {
    name: 'Pro, API calls at the limit',
    plan: 'pro',
    usage: [['api_calls', 50000, 'increment']],
    feature: 'api_calls',
    expected: 'premium',
  },
  { name: 'free, SSO (not on Pro)', plan: 'free', usage: [], feature: 'sso', expected: 'premium' },
];

let accounts = 0;

async function accountWith(c: Case): Promise<string> {
  accounts += 1;
  const id = `acct_smallest_${accounts}`;
  await createAccount(t, id, { signedUpAt: new Date(start.getTime() - 60 * DAY), industry: 'software' });
  if (c.plan !== 'free') {
    await mirrorSubscription(t, {
      accountId: id,
      planCode: c.plan,
      createdAt: new Date(start.getTime() - 5 * DAY),
      periodStart: new Date(start.getTime() - 5 * DAY),
      periodEnd: new Date(start.getTime() + 25 * DAY),
    });
  }
  for (const [feature, quantity, action] of c.usage) await reportUsage(t, id, feature, quantity, action);
  return id;
}

async function entitlement(id: string, feature: string, quantity?: number) {
  const res = await request(t.app)
    .get(`/v1/entitlements/${feature}`)
    .query(quantity === undefined ? {} : { quantity: String(quantity) })
    .set('Authorization', bearer(userToken(id, 'owner')));
  expect(res.status).toBe(200);
  return res.body as { allowed: boolean; limit: number | null; used: number; upgrade: { plan: string | null } | null };
}

/** The plans the upsell prompts triggered by `feature` offer, on the dashboard and at the feature's gate. */
async function promptedPlans(id: string, feature: string): Promise<string[]> {
  const shown = [...(await promptsOf(t, id)), ...(await promptsOf(t, id, { placement: 'feature_gate', feature }))];
  const plans = shown
    .filter((p) => p.kind === 'upsell' && p.offer.type === 'plan' && p.reason.feature === feature)
    .map((p) => p.offer.code as string);
  return [...new Set(plans)];
}

describe('GET /v1/entitlements/:feature and GET /v1/prompts name the same smallest upgrade', () => {
  test.each(cases)('$name', async (c) => {
    const id = await accountWith(c);
    const asked = await entitlement(id, c.feature);
    // Below the limit the request is allowed (no upgrade named): ask for just more than the plan holds.
    const refused =
      asked.allowed && asked.limit !== null ? await entitlement(id, c.feature, asked.limit - asked.used + 1) : asked;
    expect(refused.allowed).toBe(false);
    expect(refused.upgrade?.plan ?? null).toBe(c.expected);

    const prompted = await promptedPlans(id, c.feature);
    const limit = asked.limit;
    const quiet = limit !== null && asked.used < limit * 0.8; // no threshold crossed, no gate closed: nothing to prompt
    expect(prompted).toEqual(quiet ? [] : [c.expected]);
  });
});
