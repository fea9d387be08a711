import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time spent by PostgreSQL's client backends of the current database (user + system, ms),
 * read from /proc: only when PostgreSQL runs on this machine (loopback, embedded); null
 * otherwise. Like process.cpuUsage, it barely moves with other load on the machine.
 * NOTE: background processes (autovacuum, checkpointer, WAL writer) are not counted.
 */
export async function backendCpuMs(dataSource: DataSource): Promise<Map<number, number> | null> {
  const rows = (await dataSource.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
  )) as Array<{ pid: number }>;
  const times = new Map<number, number>();
  try {
    for (const { pid } of rows) {
      // Fields after the command name (which may hold spaces) start at the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      times.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND);
    }
  } catch {
    return null;
  }
  return times;
}

/** The backends' CPU time between two readings (a backend started meanwhile counts from zero), ms. */
export function backendCpuSpent(before: Map<number, number> | null, after: Map<number, number> | null): number {
  if (!before || !after) return NaN;
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
  return spent;
}
