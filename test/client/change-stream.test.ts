import { ChangeStream } from '../../packages/node-client/src/change-stream';

/** A fetch that answers each stream request with the given frames and then ends the stream. */
function scriptedFetch(scripts: string[][]) {
  const requests: Array<Record<string, string>> = [];
  const sut: typeof fetch = async (_input, init) => {
    requests.push({ ...(init?.headers as Record<string, string>) });
    const frames = scripts.shift();
    if (!frames) return new Promise<Response>(() => undefined);
    return new Response(frames.join(''), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  };
  return { sut, requests };
}

async function waitFor(condition: () => boolean) {
  const deadline = Date.now() + 3000;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('ChangeStream (the client side of GET /v1/entitlements/stream)', () => {
  it('reconnects after the stream ends, sending the last event id it saw', async () => {
    const fetcher = scriptedFetch([
      ['id: abc-1\nevent: resync\ndata: {}\n\n', 'id: abc-2\nevent: changed\ndata: {"account_ids":["a"]}\n\n'],
      ['id: abc-3\nevent: changed\ndata: {"account_ids":["b"]}\n\n'],
    ]);
    const changed: string[] = [];
    let resyncs = 0;
    const sut = new ChangeStream({
      url: 'http://service/v1/entitlements/stream',
      serverKey: 'sk',
      reconnectDelayMs: 1,
      silenceMs: 60_000,
      fetch: fetcher.sut,
      now: Date.now,
      onChanged: (ids) => changed.push(...ids),
      onResync: () => (resyncs += 1),
      onError: () => undefined,
    });
    sut.start();
    await waitFor(() => fetcher.requests.length >= 3);
    sut.stop();
    expect(resyncs).toBe(1);
    expect(changed).toEqual(['a', 'b']);
    expect(fetcher.requests[0]?.['Last-Event-ID']).toBeUndefined();
    expect(fetcher.requests[1]?.['Last-Event-ID']).toBe('abc-2');
    expect(fetcher.requests[2]?.['Last-Event-ID']).toBe('abc-3');
  });

  it('is live only while connected and heard from within the window', async () => {
    let now = 0;
    let push: (text: string) => void = () => undefined;
    let end: () => void = () => undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(new TextEncoder().encode(text));
        end = () => controller.close();
      },
    });
    let requests = 0;
    const sut = new ChangeStream({
      url: 'http://service/v1/entitlements/stream',
      serverKey: 'sk',
      reconnectDelayMs: 60_000,
      silenceMs: 60_000,
      fetch: async () => {
        requests += 1;
        return requests === 1 ? new Response(body, { status: 200 }) : new Promise<Response>(() => undefined);
      },
      now: () => now,
      onChanged: () => undefined,
      onResync: () => undefined,
      onError: () => undefined,
    });
    expect(sut.liveWithin(1000)).toBe(false);
    sut.start();
    push('event: heartbeat\ndata: {}\n\n');
    await waitFor(() => sut.liveWithin(1000));
    expect(sut.liveWithin(1000)).toBe(true);
    now = 1001;
    expect(sut.liveWithin(1000)).toBe(false);
    push('event: heartbeat\ndata: {}\n\n');
    await waitFor(() => sut.liveWithin(1000));
    expect(sut.liveWithin(1000)).toBe(true);
    end();
    await waitFor(() => !sut.liveWithin(1000));
    expect(sut.liveWithin(1000)).toBe(false);
    sut.stop();
  });
});
