import type { Pool } from 'pg';

/** What one counted request learns: whether it fits, and the window's state after it. */
export interface RateCount {
  allowed: boolean;
  /** Requests left in the window after this one (0 when refused). */
  remaining: number;
  /** Requests counted in the window, this one included when allowed. */
  consumed: number;
  msBeforeNext: number;
}

export interface SharedRateCountsOptions {
  pool: () => Pool;
  /** The table of migrations/1763902000000-RateLimits.ts: (key, points, expire in epoch ms). */
  table: string;
  windowMs: number;
  /** How long counts wait before they are sent together (the sync interval). */
  syncMs: number;
  now?: () => number;
  /** Keys kept in memory at most; the oldest window goes first. */
  maxKeys?: number;
  onError?: (error: unknown) => void;
}

interface Window {
  /** The window's end (epoch ms): the shared row's once synced. */
  end: number;
  /** Every instance's count as the table last answered (ours sent so far included). */
  known: number;
  /** Counted here and not yet sent. */
  pending: number;
  /** Sent and not yet answered. */
  sending: number;
}

const SWEEP_EVERY_MS = 5 * 60 * 1000;

/**
 * Request counts shared by every instance through PostgreSQL, without a statement per request.
 *
 * Each instance counts in memory and decides at once against what it knows: every instance's count
 * as the table last answered, plus its own since. Every `syncMs` (when anything was counted) it
 * sends all its new counts in one statement, keys in a fixed order, and learns the shared totals
 * back. So one instance alone is exact; with several, a key may pass its limit by what the other
 * instances counted for it within one sync interval, never more. While PostgreSQL does not answer,
 * the counts wait in memory and still limit this instance; they are sent once it answers.
 * NOTE: fixed windows, as rate-limiter-flexible keeps them in the same table: a row past its
 * `expire` starts a new window at its next count. Expired rows are swept every few minutes.
 */
export class SharedRateCounts {
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  private sweptAt = 0;
  private readonly now: () => number;

  constructor(private readonly options: SharedRateCountsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Counts one request for `key` against `points` a window (a refused request is not counted). */
  consume(key: string, points: number): RateCount {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now >= window.end) {
      window = { end: now + this.options.windowMs, known: 0, pending: 0, sending: 0 };
      this.keep(key, window);
    }
    const used = window.known + window.pending + window.sending;
    const msBeforeNext = window.end - now;
    if (used >= points) return { allowed: false, remaining: 0, consumed: used, msBeforeNext };
    window.pending += 1;
    this.schedule();
    return { allowed: true, remaining: points - used - 1, consumed: used + 1, msBeforeNext };
  }

  /** Sends every count not yet sent and learns the shared totals; resolves when answered (tests, shutdown). */
  async sync(): Promise<void> {
    while (this.syncing) await this.syncing;
    this.syncing = this.send().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private keep(key: string, window: Window): void {
    this.windows.delete(key);
    if (this.windows.size >= (this.options.maxKeys ?? 100_000)) {
      const oldest = this.windows.keys().next().value as string;
      this.windows.delete(oldest);
    }
    this.windows.set(key, window);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sync().catch((error: unknown) => this.options.onError?.(error));
    }, this.options.syncMs);
    this.timer.unref();
  }

  private async send(): Promise<void> {
    const now = this.now();
    const batch = [...this.windows]
      .filter(([, w]) => w.pending > 0 && now < w.end)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [key, w] of this.windows) if (now >= w.end && w.pending + w.sending === 0) this.windows.delete(key);
    if (batch.length === 0) return;
    const sent = batch.map(([, w]) => w.pending);
    for (const [, w] of batch) {
      w.sending += w.pending;
      w.pending = 0;
    }
    try {
      const { rows } = await this.options.pool().query<{ key: string; points: number; expire: string }>({
        name: 'rate_counts_v1',
        text: `INSERT INTO ${this.options.table} (key, points, expire)
               SELECT k, p, $3::bigint + $4::bigint FROM unnest($1::text[], $2::int[]) AS t(k, p)
               ON CONFLICT (key) DO UPDATE SET
                 points = CASE WHEN ${this.options.table}.expire <= $3 THEN excluded.points
                               ELSE ${this.options.table}.points + excluded.points END,
                 expire = CASE WHEN ${this.options.table}.expire <= $3 THEN excluded.expire
                               ELSE ${this.options.table}.expire END
               RETURNING key, points, expire`,
        values: [batch.map(([key]) => key), sent, now, this.options.windowMs],
      });
      const answered = new Map(rows.map((row) => [row.key, row]));
      batch.forEach(([key, w], i) => {
        w.sending -= sent[i] as number;
        const row = answered.get(key);
        if (!row) return;
        w.known = row.points;
        w.end = Number(row.expire);
      });
    } catch (error) {
      // NOTE: not sent: the counts go back to pending, still limiting here, and are sent next time.
      batch.forEach(([, w], i) => {
        w.sending -= sent[i] as number;
        w.pending += sent[i] as number;
      });
      this.schedule();
      throw error;
    }
    if (now - this.sweptAt >= SWEEP_EVERY_MS) {
      this.sweptAt = now;
      await this.options.pool().query(`DELETE FROM ${this.options.table} WHERE expire < $1`, [now]);
    }
  }
}
