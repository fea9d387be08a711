import type { DataSource } from 'typeorm';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** Readiness turns false on SIGTERM so load balancers stop sending work before the server closes. */
export class Readiness {
  private draining = false;

  constructor(private readonly checks: ReadinessCheck[]) {}

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  startDraining(): void {
    this.draining = true;
  }

  async status(): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    if (this.draining) return { ready: false, checks: { shutdown: 'draining' } };
    await Promise.all(
      this.checks.map(async (c) => {
        try {
          await withTimeout(c.check(), 2000);
          checks[c.name] = 'ok';
        } catch (error) {
          checks[c.name] = error instanceof Error ? error.message : 'failed';
        }
      }),
    );
    return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
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
 */
export const stripeCheck = (
  stripe: { products: { list(params: { limit: number }): Promise<unknown> } },
  cacheMs = 30000,
): ReadinessCheck => {
  let lastOk = 0;
  return {
    name: 'stripe',
    check: async () => {
      if (Date.now() - lastOk < cacheMs) return;
      await stripe.products.list({ limit: 1 });
      lastOk = Date.now();
    },
  };
};
