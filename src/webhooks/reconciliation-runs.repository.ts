import type { EntityManager } from 'typeorm';

export interface ReconciliationRunSummary {
  id: string;
  trigger: 'manual' | 'schedule';
  started_at: string;
  finished_at: string;
  checked: number;
  changed: number;
  report: Record<string, unknown>;
}

/** The most recent reconciliation runs, newest first; `before` is the last id of the previous page. */
export async function recentReconciliationRuns(
  manager: EntityManager,
  query: { limit: number; before?: string },
): Promise<{ runs: ReconciliationRunSummary[]; hasMore: boolean }> {
  const before = query.before ? Number(query.before.replace(/^recon_/, '')) : null;
  const rows: Array<{
    id: string;
    trigger: 'manual' | 'schedule';
    started_at: Date;
    finished_at: Date;
    checked: number;
    changed: number;
    report: Record<string, unknown>;
  }> = await manager.query(
    `SELECT id, trigger, started_at, finished_at, checked, changed, report FROM reconciliation_runs
     WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
    [before !== null && Number.isSafeInteger(before) ? before : null, query.limit + 1],
  );
  return {
    runs: rows.slice(0, query.limit).map((row) => ({
      id: `recon_${row.id}`,
      trigger: row.trigger,
      started_at: row.started_at.toISOString(),
      finished_at: row.finished_at.toISOString(),
      checked: row.checked,
      changed: row.changed,
      report: row.report,
    })),
    hasMore: rows.length > query.limit,
  };
}
