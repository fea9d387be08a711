import type { DataSource } from 'typeorm';

/**
 * Lets PostgreSQL finish the previous phase's background work before a measurement: a checkpoint
 * (when the role may), running autovacuum workers (up to 30 s), and optionally VACUUM ANALYZE of
 * the given tables. A benchmark measures its route, not the housekeeping after a bulk load.
 */
export async function settleDatabase(dataSource: DataSource, vacuum: string[] = []): Promise<void> {
  await dataSource.query('CHECKPOINT').catch(() => undefined);
  for (const table of vacuum) await dataSource.query(`VACUUM (ANALYZE) ${table}`);
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const [row] = (await dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`,
    )) as Array<{ n: number }>;
    if (!row?.n) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}
