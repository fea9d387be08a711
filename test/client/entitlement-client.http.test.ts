import type { Server } from 'node:http';
import { EntitlementClient, type EntitlementClientOptions } from '@tierlift/node-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { TEST_KEYS } from '../support/test-config';
import {
  createAccount,
  daysAgo,
  daysAhead,
  mirrorSubscription,
  postUsage,
  usageEvent,
} from '../usage/support/usage-fixtures';

/** The Node client against the real service on a loopback port: snapshots, the stream, fail modes. */
let t: TestApp;
let server: Server;
let baseUrl: string;
const clients: EntitlementClient[] = [];

beforeAll(async () => {
  t = await createTestApp();
  server = t.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  for (const c of clients) c.stop();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

/** A client whose snapshot requests are counted. */
function clientFor(options: Partial<EntitlementClientOptions> = {}) {
  const calls: string[] = [];
  const counting: typeof fetch = (input, init) => {
    calls.push(String(input));
    return fetch(input, init);
  };
  const client = new EntitlementClient({
    baseUrl,
    serverKey: TEST_KEYS.server,
    failMode: 'closed',
    fetch: counting,
    ...options,
  });
  clients.push(client);
  const snapshotCalls = () => calls.filter((u) => u.includes('/snapshot')).length;
  return { client, snapshotCalls };
}

async function within(ms: number, condition: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

async function untilLive(client: EntitlementClient) {
  expect(await within(5000, async () => client.streamLive)).toBe(true);
}

describe('EntitlementClient against the service', () => {
  it('answers from a verified snapshot, then from memory without another request', async () => {
    await createAccount(t, 'acct_client_mem');
    await postUsage(t, { events: [usageEvent('acct_client_mem', { quantity: 10 })] }).expect(200);
    const { client, snapshotCalls } = clientFor();
    const first = await client.check('acct_client_mem', 'api_calls', 990);
    expect(first).toMatchObject({ allowed: true, source: 'snapshot', entitlement: { used: 10, limit: 1000 } });
    expect(await client.check('acct_client_mem', 'api_calls', 991)).toMatchObject({ allowed: false });
    expect(client.checkCached('acct_client_mem', 'sso')).toMatchObject({ allowed: false, source: 'snapshot' });
    expect(snapshotCalls()).toBe(1);
    expect(await client.check('acct_client_mem', 'no_such_feature')).toEqual({
      allowed: false,
      source: 'unknown_feature',
    });
    expect(await client.check('acct_client_nobody', 'api_calls')).toEqual({
      allowed: false,
      source: 'unknown_account',
    });
  });

  it('flips within 1 s after a usage write, through the change stream', async () => {
    await createAccount(t, 'acct_client_usage');
    await postUsage(t, { events: [usageEvent('acct_client_usage', { quantity: 999 })] }).expect(200);
    const { client } = clientFor();
    client.start();
    await untilLive(client);
    expect(await client.check('acct_client_usage', 'api_calls')).toMatchObject({ allowed: true });
    await postUsage(t, { events: [usageEvent('acct_client_usage', { quantity: 1 })] }).expect(200);
    const flipped = await within(1000, async () => !client.checkCached('acct_client_usage', 'api_calls')?.allowed);
    expect(flipped).toBe(true);
    expect(await client.check('acct_client_usage', 'api_calls')).toMatchObject({ allowed: false, source: 'snapshot' });
  });

  it('flips within 1 s after a plan change, through the change stream', async () => {
    await createAccount(t, 'acct_client_plan');
    const { client } = clientFor();
    client.start();
    await untilLive(client);
    expect(await client.check('acct_client_plan', 'time_tracking')).toMatchObject({ allowed: false });
    await mirrorSubscription(t, {
      accountId: 'acct_client_plan',
      planCode: 'pro',
      anchor: daysAgo(1),
      periodStart: daysAgo(1),
      periodEnd: daysAhead(29),
    });
    const flipped = await within(1000, async () => !!client.checkCached('acct_client_plan', 'time_tracking')?.allowed);
    expect(flipped).toBe(true);
  });

  it('without the stream, refetches a snapshot older than maxStaleMs instead of answering from it', async () => {
    await createAccount(t, 'acct_client_stale');
    let now = 1_000_000;
    const { client, snapshotCalls } = clientFor({ maxStaleMs: 1000, now: () => now });
    await client.check('acct_client_stale', 'api_calls');
    now += 1000;
    expect(client.checkCached('acct_client_stale', 'api_calls')).toBeDefined();
    now += 1;
    expect(client.checkCached('acct_client_stale', 'api_calls')).toBeUndefined();
    await client.check('acct_client_stale', 'api_calls');
    expect(snapshotCalls()).toBe(2);
  });

  it('refuses a snapshot whose signature does not match, answering with the fail mode', async () => {
    await createAccount(t, 'acct_client_forged');
    const errors: Error[] = [];
    const tampering: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const body = (await res.json()) as { snapshot: { plan: string } };
      body.snapshot.plan = 'premium';
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    };
    const { client } = clientFor({ fetch: tampering, onError: (e) => errors.push(e) });
    expect(await client.check('acct_client_forged', 'api_calls')).toEqual({ allowed: false, source: 'fail_closed' });
    expect(errors.map((e) => e.message)).toEqual(['snapshot of acct_client_forged: bad signature']);
  });
});

describe('EntitlementClient when the service is unreachable', () => {
  const unreachable = 'http://127.0.0.1:9';

  it('fails open when configured to', async () => {
    const { client } = clientFor({ baseUrl: unreachable, failMode: 'open', onError: () => undefined });
    expect(await client.check('acct_any', 'api_calls')).toEqual({ allowed: true, source: 'fail_open' });
  });

  it('fails closed when configured to', async () => {
    const { client } = clientFor({ baseUrl: unreachable, failMode: 'closed', onError: () => undefined });
    expect(await client.check('acct_any', 'api_calls')).toEqual({ allowed: false, source: 'fail_closed' });
  });

  it('does not answer from a snapshot past maxStaleMs once the service is gone: the fail mode does', async () => {
    await createAccount(t, 'acct_client_gone');
    let now = 2_000_000;
    let reachable = true;
    const flaky: typeof fetch = (input, init) =>
      reachable ? fetch(input, init) : Promise.reject(new TypeError('fetch failed'));
    const { client } = clientFor({ fetch: flaky, failMode: 'open', now: () => now, onError: () => undefined });
    expect(await client.check('acct_client_gone', 'sso')).toMatchObject({ allowed: false, source: 'snapshot' });
    reachable = false;
    now += 1001;
    expect(await client.check('acct_client_gone', 'sso')).toEqual({ allowed: true, source: 'fail_open' });
  });
});
