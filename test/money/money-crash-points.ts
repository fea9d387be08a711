import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { DataSource } from 'typeorm';

/**
 * The app's process dying between two journal steps of one request, as under kill -9: right after
 * its claim committed (an operation or a refund claim holds the account's lane; nothing sent to
 * Stripe yet), or after its n-th journal write (`sent` recorded before a Stripe call, the object
 * Stripe made, the refund Stripe made, …). The code after it never runs — no staleness check, no
 * Stripe call, no compensation, no lease given back, no answer. In-process, a death is a promise
 * that never settles: the journal write hands the request a promise that stays pending, so the
 * request stops exactly there. Only the armed request dies (its handler runs in its own async
 * context): the webhook worker writing the journal meanwhile is not counted.
 *
 * NOTE: wraps this world's own DataSource (the app's, built for the world), never a module.
 */
export interface CrashPoints {
  /** The request served by `listener` dies after its `writes`-th journal write; `struck` says when. */
  arm(writes: number): { struck: Promise<void> };
  disarm(): void;
  /** The app's request listener, each request in the async context the crash looks for. */
  listener(app: RequestListener): RequestListener;
}

/** A journal write: billing/operation-journal.ts (claim, sent, object, finish) and refund claims. */
const JOURNAL_WRITE = /^\s*(INSERT INTO|UPDATE) (billing_operations|refund_claims)\b/;

type Query = (sql: string, params?: unknown[], runner?: { isTransactionActive?: boolean }) => Promise<unknown>;

export function installCrashPoints(dataSource: DataSource): CrashPoints {
  const inRequest = new AsyncLocalStorage<true>();
  let armed: { left: number; strike: () => void } | undefined;
  /** The n-th write was inside a transaction: the process dies once it has committed. */
  let afterCommit = false;
  const dead = (): Promise<never> => {
    armed?.strike();
    armed = undefined;
    afterCommit = false;
    return new Promise<never>(() => undefined);
  };
  const query = dataSource.query.bind(dataSource) as Query;
  const wrapped: Query = async (sql, params, runner) => {
    const counted = armed !== undefined && inRequest.getStore() === true && JOURNAL_WRITE.test(sql);
    const result = await query(sql, params, runner);
    if (!counted || !armed || afterCommit || (armed.left -= 1) > 0) return result;
    if (runner?.isTransactionActive) {
      afterCommit = true;
      return result;
    }
    return dead();
  };
  dataSource.query = wrapped as DataSource['query'];
  const transaction = dataSource.transaction.bind(dataSource) as (...args: unknown[]) => Promise<unknown>;
  dataSource.transaction = (async (...args: unknown[]) => {
    const result = await transaction(...args);
    if (afterCommit && inRequest.getStore() === true) return dead();
    return result;
  }) as DataSource['transaction'];
  return {
    arm(writes) {
      afterCommit = false;
      return { struck: new Promise<void>((strike) => (armed = { left: writes, strike })) };
    },
    disarm() {
      armed = undefined;
      afterCommit = false;
    },
    listener: (app) => (req: IncomingMessage, res: ServerResponse) => inRequest.run(true, () => app(req, res)),
  };
}
