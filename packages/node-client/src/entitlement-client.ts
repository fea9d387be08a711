import type { Entitlement, EntitlementDecision, EntitlementSnapshot, SignedSnapshot } from './entitlement.types';
import { ChangeStream } from './change-stream';
import { verifySnapshot } from './snapshot-signature';

/** What check() answers when no usable snapshot exists and the service cannot be reached. */
export type FailMode = 'open' | 'closed';

export interface EntitlementClientOptions {
  /** The service, e.g. https://billing.internal (no trailing path). */
  baseUrl: string;
  /** The server API key: authenticates the calls and verifies the snapshots' signatures. */
  serverKey: string;
  failMode: FailMode;
  /**
   * The most a snapshot may lag behind the service: while the change stream is silent or down,
   * a snapshot older than this (by this process's clock) is refetched before it answers. 1,000 ms.
   */
  maxStaleMs?: number;
  /** A snapshot request that takes longer fails (then the fail mode answers). 2,000 ms. */
  requestTimeoutMs?: number;
  /** Wait before reconnecting the stream. 500 ms. */
  reconnectDelayMs?: number;
  /** Accounts kept in memory; the least recently checked go first. 100,000. */
  maxAccounts?: number;
  /** Transport problems (each also makes the fail mode answer if no usable snapshot is left). */
  onError?: (error: Error) => void;
  /** Tests: another fetch or clock. */
  fetch?: typeof fetch;
  now?: () => number;
}

interface Entry {
  snapshot: EntitlementSnapshot;
  byFeature: Map<string, Entitlement>;
  fetchedAt: number;
  validUntil: number;
}

/**
 * Entitlement checks answered from memory. Each account's signed snapshot is fetched once and kept;
 * the service's change stream names the accounts that changed and their snapshots are refetched.
 * NOTE: the staleness bound holds by construction: a snapshot answers only while the stream has
 * spoken within `maxStaleMs` (it beats every 500 ms) or while it is itself younger than `maxStaleMs`.
 */
export class EntitlementClient {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Entry | null>>();
  private readonly changedAt = new Map<string, number>();
  /** Accounts with a refetch waiting for the fetch in flight: one more covers any number of changes. */
  private readonly queued = new Set<string>();
  private epoch = 0;
  private floor = 0;
  private readonly stream: ChangeStream;
  private readonly maxStaleMs: number;
  private readonly now: () => number;

  constructor(private readonly options: EntitlementClientOptions) {
    this.maxStaleMs = options.maxStaleMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.stream = new ChangeStream({
      url: `${options.baseUrl}/v1/entitlements/stream`,
      serverKey: options.serverKey,
      reconnectDelayMs: options.reconnectDelayMs ?? 500,
      silenceMs: this.maxStaleMs,
      fetch: options.fetch ?? fetch,
      now: this.now,
      onChanged: (accountIds) => this.changed(accountIds),
      onResync: () => this.resync(),
      onError: (error) => options.onError?.(error),
    });
  }

  /** Opens the change stream; without it every snapshot is refetched once older than `maxStaleMs`. */
  start(): void {
    this.stream.start();
  }

  stop(): void {
    this.stream.stop();
  }

  /** True while the stream is connected and has spoken within `maxStaleMs`. */
  get streamLive(): boolean {
    return this.stream.liveWithin(this.maxStaleMs);
  }

  /** May the account use `quantity` more of `feature`? From memory when possible, else after one fetch. */
  async check(accountId: string, feature: string, quantity = 1): Promise<EntitlementDecision> {
    const cached = this.checkCached(accountId, feature, quantity);
    if (cached) return cached;
    let entry: Entry | null;
    try {
      entry = await this.load(accountId);
    } catch (error) {
      this.options.onError?.(error as Error);
      return this.options.failMode === 'open'
        ? { allowed: true, source: 'fail_open' }
        : { allowed: false, source: 'fail_closed' };
    }
    if (!entry) return { allowed: false, source: 'unknown_account' };
    return decide(entry, feature, quantity);
  }

  /** The answer from memory alone, or undefined when no usable snapshot is kept (no I/O, no promise). */
  checkCached(accountId: string, feature: string, quantity = 1): EntitlementDecision | undefined {
    const entry = this.usable(accountId);
    return entry ? decide(entry, feature, quantity) : undefined;
  }

  /** The account's verified snapshot (fetched unless a usable one is kept); null for an unknown account. */
  async snapshot(accountId: string): Promise<EntitlementSnapshot | null> {
    return (this.usable(accountId) ?? (await this.load(accountId)))?.snapshot ?? null;
  }

  /** Accounts kept (tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private usable(accountId: string): Entry | undefined {
    const entry = this.entries.get(accountId);
    if (!entry) return undefined;
    const at = this.now();
    const fresh = at - entry.fetchedAt <= this.maxStaleMs || this.stream.liveWithin(this.maxStaleMs);
    if (!fresh || at >= entry.validUntil) return undefined;
    return entry;
  }

  private load(accountId: string): Promise<Entry | null> {
    let pending = this.inFlight.get(accountId);
    if (!pending) {
      pending = this.fetchSnapshot(accountId).finally(() => this.inFlight.delete(accountId));
      this.inFlight.set(accountId, pending);
    }
    return pending;
  }

  private async fetchSnapshot(accountId: string): Promise<Entry | null> {
    const ticket = this.epoch;
    const fetchedAt = this.now();
    const url = `${this.options.baseUrl}/v1/entitlements/snapshot?account_id=${encodeURIComponent(accountId)}`;
    const res = await (this.options.fetch ?? fetch)(url, {
      headers: { Authorization: `Bearer ${this.options.serverKey}` },
      signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 2000),
    });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`snapshot of ${accountId}: HTTP ${res.status}`);
    const body = (await res.json()) as SignedSnapshot;
    if (!body?.snapshot || typeof body.signature !== 'string')
      throw new Error(`snapshot of ${accountId}: not a signed snapshot`);
    if (!verifySnapshot(body.snapshot, body.signature, this.options.serverKey))
      throw new Error(`snapshot of ${accountId}: bad signature`);
    if (body.snapshot.account_id !== accountId) throw new Error(`snapshot of ${accountId}: names another account`);
    const entry: Entry = {
      snapshot: body.snapshot,
      byFeature: new Map(body.snapshot.entitlements.map((e) => [e.feature, e])),
      fetchedAt,
      validUntil: Date.parse(body.snapshot.valid_until),
    };
    // A change heard while this fetch ran may be missing from it: answer with it, keep it not.
    if (ticket >= this.floor && (this.changedAt.get(accountId) ?? -1) <= ticket) this.keep(accountId, entry);
    return entry;
  }

  private keep(accountId: string, entry: Entry): void {
    this.entries.delete(accountId);
    this.entries.set(accountId, entry);
    if (this.entries.size > (this.options.maxAccounts ?? 100_000)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  private changed(accountIds: readonly string[]): void {
    this.epoch += 1;
    for (const id of accountIds) {
      this.changedAt.set(id, this.epoch);
      // Refetched at once, so the next check finds the new snapshot in memory; a fetch already
      // running may predate the change (it will not be kept), so another follows it.
      const running = this.inFlight.get(id);
      if ((this.entries.delete(id) || running) && !this.queued.has(id)) {
        this.queued.add(id);
        void (running ?? Promise.resolve()).catch(() => null).then(() => this.refetch(id));
      }
    }
    if (this.changedAt.size > 10 * (this.options.maxAccounts ?? 100_000)) this.resync();
  }

  private refetch(accountId: string): void {
    this.queued.delete(accountId);
    this.load(accountId).catch((error: Error) => this.options.onError?.(error));
  }

  private resync(): void {
    this.epoch += 1;
    this.floor = this.epoch;
    this.entries.clear();
    this.changedAt.clear();
    this.queued.clear();
  }
}

function decide(entry: Entry, feature: string, quantity: number): EntitlementDecision {
  const entitlement = entry.byFeature.get(feature);
  if (!entitlement) return { allowed: false, source: 'unknown_feature' };
  const allowed =
    entitlement.type === 'boolean'
      ? entitlement.enabled
      : entitlement.limit === null || entitlement.used + quantity <= entitlement.limit;
  return { allowed, source: 'snapshot', entitlement };
}
