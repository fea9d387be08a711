import os from 'node:os';
import { EntitlementClient, snapshotSignature, type EntitlementSnapshot } from '../../packages/node-client/src/index';

/**
 * The Node client's check() from memory, in ns/op (#24: < 50 µs). Snapshots come from an in-process
 * fake of GET /v1/entitlements/snapshot, signed as the service signs them, so only the client's own
 * work is timed. Run: npm run bench:entitlements:client. Prints figures; asserts nothing.
 */
const ACCOUNTS = 10_000;
const OPS = 2_000_000;
const SERVER_KEY = 'sk_bench';
const FEATURES = ['api_calls', 'seats', 'projects', 'exports', 'sso', 'time_tracking'];

function snapshotOf(accountId: string): EntitlementSnapshot {
  const period = { period_start: '2030-01-01T00:00:00.000Z', period_end: '2999-01-01T00:00:00.000Z' };
  const metered = (feature: string, used: number) =>
    ({
      feature,
      type: 'metered',
      kind: 'counter',
      limit: 1000,
      used,
      remaining: 1000 - used,
      percent: used / 10,
      ...period,
    }) as const;
  return {
    object: 'entitlement_snapshot',
    account_id: accountId,
    plan: 'pro',
    issued_at: new Date().toISOString(),
    valid_until: '2999-01-01T00:00:00.000Z',
    entitlements: [
      metered('api_calls', 10),
      metered('seats', 3),
      metered('projects', 7),
      metered('exports', 1),
      { feature: 'sso', type: 'boolean', enabled: false },
      { feature: 'time_tracking', type: 'boolean', enabled: true },
    ],
  };
}

const fakeService: typeof fetch = async (input) => {
  const accountId = new URL(String(input)).searchParams.get('account_id') ?? '';
  const snapshot = snapshotOf(accountId);
  const body = { object: 'signed_entitlement_snapshot', snapshot, signature: snapshotSignature(snapshot, SERVER_KEY) };
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
};

async function main(): Promise<void> {
  console.log(
    `Node client check() benchmark — node ${process.version}, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  // NOTE: maxStaleMs is large because no stream runs here: the memory path, not refetching, is timed.
  const client = new EntitlementClient({
    baseUrl: 'http://bench.invalid',
    serverKey: SERVER_KEY,
    failMode: 'closed',
    maxStaleMs: 3_600_000,
    fetch: fakeService,
  });
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => `acct_${i}`);
  for (const id of accounts) await client.check(id, 'api_calls');

  let allowed = 0;
  for (const [label, run] of [
    [
      'checkCached (sync)',
      () => {
        for (let i = 0; i < OPS; i++)
          if (client.checkCached(accounts[i % ACCOUNTS] as string, FEATURES[i % 6] as string)?.allowed) allowed++;
      },
    ],
    [
      'check (awaited)',
      async () => {
        for (let i = 0; i < OPS; i++)
          if ((await client.check(accounts[i % ACCOUNTS] as string, FEATURES[i % 6] as string)).allowed) allowed++;
      },
    ],
  ] as const) {
    for (let round = 1; round <= 3; round++) {
      const started = process.hrtime.bigint();
      await run();
      const ns = Number(process.hrtime.bigint() - started) / OPS;
      console.log(
        `${label}, round ${round}: ${ns.toFixed(0)} ns/op over ${OPS.toLocaleString('en-US')} checks of ${ACCOUNTS.toLocaleString('en-US')} accounts`,
      );
    }
  }
  console.log(
    `(${allowed} allowed; target < 50,000 ns/op; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
