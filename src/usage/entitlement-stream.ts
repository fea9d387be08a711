import { randomBytes } from 'node:crypto';
import type { AccountChanges } from '../shared/database/account-changes';

/** One listener of the stream: it receives whole server-sent-event frames. */
export interface StreamListener {
  send(frame: string): void;
  /** The stream can no longer promise that no change goes unheard: the listener must reconnect. */
  end(): void;
}

export interface EntitlementStreamOptions {
  changes: AccountChanges;
  /** Changes kept for a reconnecting listener to catch up on with Last-Event-ID. */
  bufferSize: number;
  heartbeatMs: number;
  /** Changes heard within this many ms go out as one event; 0 sends each at once. */
  coalesceMs?: number;
  /** Tests pin the clock of heartbeats. */
  now?: () => Date;
}

const frame = (event: string, data: unknown, id?: string) =>
  `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * The account change feed as server-sent events for Node clients' entitlement caches: `changed`
 * names the accounts whose entitlements changed; `resync` says changes may have been missed (first
 * connection, a gap too old to replay, another instance's ids) and every snapshot must be dropped;
 * `heartbeat` proves the stream is alive. Event ids are `<instance>-<sequence>`: a client that
 * reconnects with Last-Event-ID to the same instance gets what it missed from the buffer.
 */
export class EntitlementChangeStream {
  private readonly instance = randomBytes(6).toString('hex');
  private sequence = 0;
  private readonly buffer: Array<{ sequence: number; accountIds: readonly string[] }> = [];
  private readonly listeners = new Set<StreamListener>();
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: EntitlementStreamOptions) {
    options.changes.subscribe((change) => {
      if (change.kind === 'reset') {
        this.sequence += 1;
        this.pending.clear();
        clearTimeout(this.flushTimer);
        this.flushTimer = undefined;
        this.buffer.length = 0;
        for (const listener of [...this.listeners]) listener.end();
        this.listeners.clear();
        this.stopHeartbeat();
        return;
      }
      for (const id of change.accountIds) this.pending.add(id);
      if (!options.coalesceMs) this.flush();
      else this.flushTimer ??= setTimeout(() => this.flush(), options.coalesceMs);
    });
  }

  /**
   * Sends the accounts heard since the last flush as one event. NOTE: every pool connection hears
   * each change (account-changes.ts), so one write arrives up to pool-size times within moments;
   * merging them spares clients as many refetches. Merging never loses a change: the event leaves
   * after every change in it was heard, so a refetch it causes reads them all.
   */
  private flush(): void {
    this.flushTimer = undefined;
    if (this.pending.size === 0) return;
    const accountIds = [...this.pending];
    this.pending.clear();
    this.sequence += 1;
    this.buffer.push({ sequence: this.sequence, accountIds });
    if (this.buffer.length > this.options.bufferSize) this.buffer.shift();
    const text = frame('changed', { account_ids: accountIds }, this.idOf(this.sequence));
    for (const listener of this.listeners) listener.send(text);
  }

  /** False while the feed is not live (a listener could miss changes) and after close(). */
  get available(): boolean {
    return !this.closed && this.options.changes.live;
  }

  /**
   * Ends every listener and takes no more: for a graceful shutdown, where an open stream would
   * otherwise hold the drain until its time-out. Clients reconnect to another instance.
   */
  close(): void {
    this.closed = true;
    clearTimeout(this.flushTimer);
    for (const listener of [...this.listeners]) listener.end();
    this.listeners.clear();
    this.stopHeartbeat();
  }

  /** Sends the catch-up (replay or resync) and then every change; returns the disconnect. */
  connect(listener: StreamListener, lastEventId: string | undefined): () => void {
    const current = this.idOf(this.sequence);
    const missed = this.missedSince(lastEventId);
    if (missed)
      for (const m of missed) listener.send(frame('changed', { account_ids: m.accountIds }, this.idOf(m.sequence)));
    else listener.send(frame('resync', {}, current));
    this.listeners.add(listener);
    this.heartbeat ??= setInterval(() => this.beat(), this.options.heartbeatMs).unref();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopHeartbeat();
    };
  }

  /** Listeners connected (tests and metrics). */
  get size(): number {
    return this.listeners.size;
  }

  private missedSince(
    lastEventId: string | undefined,
  ): Array<{ sequence: number; accountIds: readonly string[] }> | null {
    const match = /^([0-9a-f]{12})-([0-9]{1,15})$/.exec(lastEventId ?? '');
    if (!match || match[1] !== this.instance) return null;
    const seen = Number(match[2]);
    if (seen > this.sequence) return null;
    const oldest = this.buffer[0]?.sequence ?? this.sequence + 1;
    // Replayable only if nothing between `seen` and the oldest buffered change was dropped.
    if (seen + 1 < oldest && seen < this.sequence) return null;
    return this.buffer.filter((m) => m.sequence > seen);
  }

  private beat(): void {
    const text = frame('heartbeat', { at: (this.options.now?.() ?? new Date()).toISOString() });
    for (const listener of this.listeners) listener.send(text);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private idOf(sequence: number): string {
    return `${this.instance}-${sequence}`;
  }
}
