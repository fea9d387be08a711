import { EntitlementClient, snapshotSignature, type EntitlementSnapshot } from '@tierlift/node-client';

/** An in-memory service: snapshots per account (signed as the service signs them) and a stream it writes to. */
function fakeService() {
  const used = new Map<string, number>();
  const validUntil = new Map<string, string>();
  let snapshotRequests = 0;
  let gate: Promise<void> | undefined;
  let push: (frame: string) => void = () => undefined;
  const sut: typeof fetch = async (input) => {
    const url = new URL(String(input));
    if (url.pathname.endsWith('/stream')) {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (frame) => controller.enqueue(new TextEncoder().encode(frame));
        },
      });
      return new Response(body, { status: 200 });
    }
    snapshotRequests += 1;
    const accountId = url.searchParams.get('account_id') ?? '';
    const snapshot: EntitlementSnapshot = {
      object: 'entitlement_snapshot',
      account_id: accountId,
      plan: 'free',
      issued_at: '2030-01-10T00:00:00.000Z',
      valid_until: validUntil.get(accountId) ?? '2999-01-01T00:00:00.000Z',
      entitlements: [
        {
          feature: 'api_calls',
          type: 'metered',
          kind: 'counter',
          limit: 10,
          used: used.get(accountId) ?? 0,
          remaining: null,
          percent: null,
          period_start: null,
          period_end: null,
        },
      ],
    };
    if (gate) await gate;
    const body = { object: 'signed_entitlement_snapshot', snapshot, signature: snapshotSignature(snapshot, 'sk') };
    return new Response(JSON.stringify(body), { status: 200 });
  };
  return {
    sut,
    used,
    validUntil,
    requests: () => snapshotRequests,
    push: (frame: string) => push(frame),
    hold: () => {
      let release: () => void = () => undefined;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

async function waitFor(condition: () => boolean) {
  const deadline = Date.now() + 3000;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

const usedBy = async (client: EntitlementClient, accountId: string) => {
  const d = await client.check(accountId, 'api_calls');
  return d.entitlement?.type === 'metered' ? d.entitlement.used : undefined;
};

describe('EntitlementClient (against an in-memory service)', () => {
  let client: EntitlementClient | undefined;
  afterEach(() => client?.stop());

  it('does not answer from a snapshot once its valid_until has passed, however young it is', async () => {
    const service = fakeService();
    let now = Date.parse('2030-01-10T00:00:00.000Z');
    service.validUntil.set('a', '2030-01-10T00:00:05.000Z');
    client = new EntitlementClient({
      baseUrl: 'http://svc',
      serverKey: 'sk',
      failMode: 'closed',
      fetch: service.sut,
      maxStaleMs: 60_000,
      now: () => now,
    });
    await client.check('a', 'api_calls');
    now += 4999;
    expect(client.checkCached('a', 'api_calls')).toBeDefined();
    now += 1;
    expect(client.checkCached('a', 'api_calls')).toBeUndefined();
  });

  it('does not keep a snapshot whose fetch a change overtook, and fetches again after it', async () => {
    const service = fakeService();
    client = new EntitlementClient({ baseUrl: 'http://svc', serverKey: 'sk', failMode: 'closed', fetch: service.sut });
    client.start();
    service.push('id: i-1\nevent: resync\ndata: {}\n\n');
    await waitFor(() => client?.streamLive === true);
    const release = service.hold();
    const pending = client.check('a', 'api_calls');
    await waitFor(() => service.requests() === 1);
    service.used.set('a', 7);
    service.push('id: i-2\nevent: changed\ndata: {"account_ids":["a"]}\n\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await pending;
    await waitFor(() => client?.checkCached('a', 'api_calls') !== undefined);
    expect(service.requests()).toBe(2);
    expect(await usedBy(client, 'a')).toBe(7);
  });

  it('drops every snapshot on resync, and keeps them across heartbeats', async () => {
    const service = fakeService();
    client = new EntitlementClient({ baseUrl: 'http://svc', serverKey: 'sk', failMode: 'closed', fetch: service.sut });
    client.start();
    service.push('id: i-1\nevent: resync\ndata: {}\n\n');
    await waitFor(() => client?.streamLive === true);
    await client.check('a', 'api_calls');
    await client.check('b', 'api_calls');
    service.push('event: heartbeat\ndata: {}\n\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.size).toBe(2);
    service.push('id: i-9\nevent: resync\ndata: {}\n\n');
    await waitFor(() => client?.size === 0);
    expect(client.size).toBe(0);
  });

  it('keeps at most maxAccounts, the least recently fetched going first', async () => {
    const service = fakeService();
    client = new EntitlementClient({
      baseUrl: 'http://svc',
      serverKey: 'sk',
      failMode: 'closed',
      fetch: service.sut,
      maxAccounts: 2,
    });
    for (const id of ['a', 'b', 'c']) await client.check(id, 'api_calls');
    expect(client.size).toBe(2);
    expect(client.checkCached('a', 'api_calls')).toBeUndefined();
    expect(client.checkCached('c', 'api_calls')).toBeDefined();
  });
});
