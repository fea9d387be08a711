import type { DataSource } from 'typeorm';

/**
 * The app's process dying right after a claim, as under kill -9: the claim's statement has
 * committed (an operation or a refund claim holds the account's lane, its lease running), and the
 * code after it never runs — no staleness check, no Stripe call, no compensation, no lease given
 * back, no answer. In-process, a death is a promise that never settles: the claim hands the
 * request a promise that stays pending, so the request stops exactly there.
 *
 * NOTE: wraps this world's own DataSource (the app's, built for the world), never a module.
 */
export interface CrashPoints {
  /** The next claim by any request dies; `struck` gives the claimed row's id when it did. */
  arm(): { struck: Promise<string> };
  disarm(): void;
}

/** A claim's statement: journal operations (billing/operation-journal.ts) and refund claims. */
const CLAIM = /^\s*INSERT INTO (billing_operations|refund_claims)\b/;

type Query = (sql: string, params?: unknown[], runner?: { isTransactionActive?: boolean }) => Promise<unknown>;

export function installCrashPoints(dataSource: DataSource): CrashPoints {
  let strike: ((id: string) => void) | undefined;
  /** Claims written inside a transaction: they die once it has committed. */
  const inTransaction = new Set<string>();
  const dead = (id: string): Promise<never> => {
    const struck = strike;
    strike = undefined;
    struck?.(id);
    return new Promise<never>(() => undefined);
  };
  const query = dataSource.query.bind(dataSource) as Query;
  const wrapped: Query = async (sql, params, runner) => {
    const result = await query(sql, params, runner);
    if (!strike || !CLAIM.test(sql)) return result;
    const id = String((result as Array<{ id?: string }>)[0]?.id ?? '');
    if (runner?.isTransactionActive) {
      inTransaction.add(id);
      return result;
    }
    return dead(id);
  };
  dataSource.query = wrapped as DataSource['query'];
  const transaction = dataSource.transaction.bind(dataSource) as (...args: unknown[]) => Promise<unknown>;
  dataSource.transaction = (async (...args: unknown[]) => {
    const result = await transaction(...args);
    const id = (result as { id?: unknown } | null)?.id;
    if (strike && typeof id === 'string' && inTransaction.delete(id)) return dead(id);
    return result;
  }) as DataSource['transaction'];
  return {
    arm() {
      inTransaction.clear();
      return { struck: new Promise<string>((resolve) => (strike = resolve)) };
    },
    disarm() {
      strike = undefined;
    },
  };
}
