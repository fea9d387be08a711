import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Stripe } from '../../src/stripe/stripe-client';

/**
 * bench:changes' instruments (benchmark-only): Stripe time (the SDK's Node HTTP client, each call
 * timed), PostgreSQL time (pg's Client#query, each statement timed) and commits per request.
 */
export const cpuNow = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

/**
 * Time spent in calls of one kind (Stripe, PostgreSQL) while a window (one measured request) is
 * open: wall time and this process's CPU time while at least one call is outstanding (overlapping
 * calls count once). Calls made while no window is open are counted as stray.
 */
export class BusyTimer {
  /** Whether CPU time is sampled too (a getrusage call at each edge: only where a figure uses it). */
  constructor(private readonly sampleCpu: boolean) {}
  private measuring = false;
  private outstanding = 0;
  private busySince = 0;
  private busyCpuSince = 0;
  private wallMs = 0;
  private cpuMs = 0;
  private calls = 0;
  strayCalls = 0;

  open(): void {
    this.measuring = true;
    this.wallMs = 0;
    this.cpuMs = 0;
    this.calls = 0;
    if (this.outstanding > 0) {
      this.busySince = performance.now();
      if (this.sampleCpu) this.busyCpuSince = cpuNow();
    }
  }

  close(): { wallMs: number; cpuMs: number; calls: number } {
    if (this.outstanding > 0) {
      this.wallMs += performance.now() - this.busySince;
      if (this.sampleCpu) this.cpuMs += cpuNow() - this.busyCpuSince;
    }
    this.measuring = false;
    return { wallMs: this.wallMs, cpuMs: this.cpuMs, calls: this.calls };
  }

  /** A call begins; the returned function ends it (once). */
  begin(): () => void {
    if (this.measuring) this.calls += 1;
    else this.strayCalls += 1;
    if (this.outstanding === 0) {
      this.busySince = performance.now();
      if (this.sampleCpu) this.busyCpuSince = cpuNow();
    }
    this.outstanding += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.outstanding -= 1;
      if (this.outstanding === 0 && this.measuring) {
        this.wallMs += performance.now() - this.busySince;
        if (this.sampleCpu) this.cpuMs += cpuNow() - this.busyCpuSince;
      }
    };
  }
}

export const stripeTimer = new BusyTimer(true);
// NOTE: the PostgreSQL figure is wall time only; sampling CPU at each query's edges cost the app
// figure ~2 ms per change on a loaded machine (getrusage), time that is the benchmark's, not the app's.
export const postgresTimer = new BusyTimer(false);
/**
 * Commits per request: COMMITs, and writes (INSERT, UPDATE, DELETE) sent outside a transaction,
 * each of which is one. A commit waits for the WAL flush: on a loaded disk the dearest statement.
 */
let commits = 0;
export const commitCount = () => commits;
const inTransaction = new WeakSet<object>();
function countCommit(client: object, text: string): void {
  const verb = text.trimStart().slice(0, 17).toUpperCase();
  if (verb.startsWith('START TRANSACTION') || verb.startsWith('BEGIN')) inTransaction.add(client);
  else if (verb.startsWith('COMMIT') || verb.startsWith('ROLLBACK')) {
    inTransaction.delete(client);
    if (verb.startsWith('COMMIT')) commits += 1;
  } else if (!inTransaction.has(client) && /^(INSERT|UPDATE|DELETE|WITH)/.test(verb)) commits += 1;
}

/**
 * Every query of the app's pool timed (benchmark-only): `pg`'s Client#query, which TypeORM and the
 * app's own pool users call, with a callback or as a promise. `onStatement` sees each statement's text.
 */
export function timePostgresQueries(onStatement: (text: string) => void): void {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function timedQuery(this: unknown, ...args: unknown[]) {
    const finish = postgresTimer.begin();
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    countCommit(this as object, text);
    onStatement(text);
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (...results: unknown[]) => {
        finish();
        return (last as (...r: unknown[]) => unknown)(...results);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(finish, finish);
    } else finish();
    return result;
  };
}

type HttpClient = ReturnType<typeof Stripe.createNodeHttpClient>;

export function timedHttpClient(timer: BusyTimer): HttpClient {
  const inner = Stripe.createNodeHttpClient();
  return {
    getClientName: () => inner.getClientName(),
    makeRequest: async (...args: Parameters<HttpClient['makeRequest']>) => {
      const finish = timer.begin();
      try {
        const response = await inner.makeRequest(...args);
        return {
          getStatusCode: () => response.getStatusCode(),
          getHeaders: () => response.getHeaders(),
          getRawResponse: () => response.getRawResponse(),
          toStream: (done: () => void) =>
            response.toStream(() => {
              finish();
              done();
            }),
          toJSON: () => (response.toJSON() as Promise<unknown>).finally(finish),
          dispose: () => {
            finish();
            response.dispose?.();
          },
        };
      } catch (error) {
        finish();
        throw error;
      }
    },
  };
}
