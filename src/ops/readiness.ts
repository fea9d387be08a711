import type { DataSource } from 'typeorm';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
  /**
   * False for a dependency most routes never need (Stripe): reported in `checks`, never failing
   * readiness, so its outage does not take every instance out of rotation. Default true.
   */
  gatesReadiness?: boolean;
}

/** What /readyz shows anyone: a word per check, never an error message (hosts, ports, drivers). */
export type CheckState = 'ok' | 'unavailable' | 'draining';

/** Readiness turns false on SIGTERM so load balancers stop sending work before the server closes. */
export class Readiness {
  private draining = false;

  constructor(
    private readonly checks: ReadinessCheck[],
    /** Where a failed check's real reason goes (the log); /readyz itself only says `unavailable`. */
    private readonly onFailure?: (check: string, error: unknown) => void,
  ) {}

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  startDraining(): void {
    this.draining = true;
  }

  async status(): Promise<{ ready: boolean; checks: Record<string, CheckState> }> {
    const checks: Record<string, CheckState> = {};
    if (this.draining) return { ready: false, checks: { shutdown: 'draining' } };
    let ready = true;
    await Promise.all(
      this.checks.map(async (c) => {
        try {
          await withTimeout(c.check(), 2000);
          checks[c.name] = 'ok';
        } catch (error) {
          checks[c.name] = 'unavailable';
          if (c.gatesReadiness !== false) ready = false;
          this.onFailure?.(c.name, error);
        }
      }),
    );
    return { ready, checks };
  }
}

export const databaseCheck = (dataSource: DataSource): ReadinessCheck => ({
  name: 'database',
  check: async () => {
    await dataSource.query('SELECT 1');
  },
});

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * Stripe reachable: one cheap authenticated read, remembered for `cacheMs` so that probes
 * every few seconds do not spend Stripe's rate limit (25 requests/s in test mode).
 * NOTE: reported, never gating readiness: most routes never call Stripe, and those that do
 * answer a Stripe outage themselves (502/503); a Stripe outage must not empty the load balancer.
 */
export const stripeCheck = (
  stripe: { products: { list(params: { limit: number }): Promise<unknown> } },
  cacheMs = 30000,
): ReadinessCheck => {
  let lastOk = 0;
  return {
    name: 'stripe',
    gatesReadiness: false,
    check: async () => {
      if (Date.now() - lastOk < cacheMs) return;
      await stripe.products.list({ limit: 1 });
      lastOk = Date.now();
    },
  };
};
