import type { QueryRunner } from 'typeorm';

/** Namespaces Tierlift's per-object advisory locks (an arbitrary constant). */
const OBJECT_LOCK_SPACE = 727_274_100;

/**
 * Serialises work on one Stripe object across workers and instances: the lock is
 * taken before the object is refetched and released after its mirror is written, so
 * mirror writes happen in fetch order and the last write carries the newest state.
 * NOTE: a session-level lock on the runner's connection, not a transaction: no
 * transaction stays open across the Stripe call; a crash releases it with the connection.
 */
export async function withObjectLock<T>(runner: QueryRunner, objectId: string, work: () => Promise<T>): Promise<T> {
  await runner.query('SELECT pg_advisory_lock($1, hashtext($2))', [OBJECT_LOCK_SPACE, objectId]);
  try {
    return await work();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [OBJECT_LOCK_SPACE, objectId]);
  }
}

/** Runs `work` in a transaction on the runner's own connection. */
export async function inTransaction<T>(runner: QueryRunner, work: () => Promise<T>): Promise<T> {
  await runner.startTransaction();
  try {
    const result = await work();
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  }
}
