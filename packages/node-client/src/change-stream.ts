import { EventStreamParser, type StreamEvent } from './event-stream';

export interface ChangeStreamOptions {
  url: string;
  serverKey: string;
  reconnectDelayMs: number;
  /** A connection silent this long (heartbeats come every 500 ms) is cut and reopened. */
  silenceMs: number;
  fetch: typeof fetch;
  now: () => number;
  onChanged(accountIds: readonly string[]): void;
  /** Changes may have been missed: every snapshot must go. */
  onResync(): void;
  onError(error: Error): void;
}

/**
 * GET /v1/entitlements/stream, kept open: reconnects after a drop or a silence with the last event
 * id, so the service replays what was missed, or says `resync` when it cannot.
 */
export class ChangeStream {
  private running = false;
  private connected = false;
  private lastEventId: string | undefined;
  private lastHeardAt = -Infinity;
  private abort: AbortController | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly options: ChangeStreamOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.watchdog = setInterval(
      () => {
        if (this.connected && this.options.now() - this.lastHeardAt > this.options.silenceMs) this.abort?.abort();
      },
      Math.max(50, this.options.silenceMs / 2),
    ).unref();
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.connected = false;
    clearInterval(this.watchdog);
    clearTimeout(this.retry);
    this.abort?.abort();
  }

  /** Connected and heard from within `ms`. */
  liveWithin(ms: number): boolean {
    return this.connected && this.options.now() - this.lastHeardAt <= ms;
  }

  private async connect(): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    try {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${this.options.serverKey}`,
        Accept: 'text/event-stream',
      };
      if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
      const res = await this.options.fetch(this.options.url, { headers, signal: abort.signal });
      if (!res.ok || !res.body) throw new Error(`entitlement stream: HTTP ${res.status}`);
      const parser = new EventStreamParser((event) => this.dispatch(event));
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        parser.push(decoder.decode(chunk, { stream: true }));
      }
      if (this.running) throw new Error('entitlement stream: ended by the service');
    } catch (error) {
      if (this.running && !abort.signal.aborted) this.options.onError(error as Error);
    } finally {
      if (this.abort === abort) this.connected = false;
      if (this.running) this.retry = setTimeout(() => void this.connect(), this.options.reconnectDelayMs);
    }
  }

  private dispatch(event: StreamEvent): void {
    this.lastHeardAt = this.options.now();
    if (event.id) this.lastEventId = event.id;
    if (event.event === 'resync') {
      this.options.onResync();
      this.connected = true;
    } else if (event.event === 'changed') {
      const { account_ids: ids } = JSON.parse(event.data) as { account_ids?: string[] };
      if (Array.isArray(ids)) this.options.onChanged(ids);
      this.connected = true;
    } else if (event.event === 'heartbeat') {
      this.connected = true;
    }
  }
}
