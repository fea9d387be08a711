import fs from 'node:fs';
import path from 'node:path';

/** Beside the data folder: the pid of the process that started its PostgreSQL (`<dir>.owner`). */
const ownerFile = (databaseDir: string) => path.join(path.dirname(databaseDir), `${path.basename(databaseDir)}.owner`);

/** Records this process as the one the embedded PostgreSQL in `databaseDir` belongs to. */
export function recordPostgresOwner(databaseDir: string): void {
  fs.writeFileSync(ownerFile(databaseDir), `${process.pid}\n`);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readPid = (file: string, line = 0): number | undefined => {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[line]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/** /proc/<pid>/<what> on Linux; undefined where there is no /proc (then nothing is assumed). */
const proc = (pid: number, what: string): string | undefined => {
  try {
    return fs.readFileSync(`/proc/${pid}/${what}`, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * Clears the lock of an embedded PostgreSQL whose Tierlift process is gone (kill -9, a crash):
 * its server is orphaned, still holds `postmaster.pid`, and PostgreSQL would refuse every later
 * start on the folder. Orphaned means the process recorded as its owner no longer exists (or,
 * without that record, the server was handed to init). Such a server is stopped (fast shutdown,
 * as `pg_ctl stop -m fast`). A lock naming a pid that is now another program (pid reuse after a
 * reboot or in a container) is removed. A server whose owner lives is left alone: the folder is
 * in use. Resolves with what it did.
 */
export async function clearStalePostgresLock(
  databaseDir: string,
  waitMs = 15_000,
): Promise<'none' | 'stopped-orphan' | 'removed-stale' | 'in-use'> {
  const lockFile = path.join(databaseDir, 'postmaster.pid');
  const postmaster = readPid(lockFile);
  if (postmaster === undefined) return 'none';
  if (!alive(postmaster)) return 'none'; // PostgreSQL clears a lock of a dead pid itself
  const cmdline = proc(postmaster, 'cmdline');
  if (cmdline !== undefined && !/postgres/.test(cmdline)) {
    fs.rmSync(lockFile, { force: true });
    return 'removed-stale';
  }
  const owner = readPid(ownerFile(databaseDir));
  const parent = Number(/^PPid:\s*(\d+)/m.exec(proc(postmaster, 'status') ?? '')?.[1]);
  const orphaned = owner !== undefined ? owner !== process.pid && !alive(owner) : parent === 1;
  if (!orphaned) return 'in-use';
  process.kill(postmaster, 'SIGINT');
  for (const stopAt = Date.now() + waitMs; alive(postmaster) && Date.now() < stopAt; )
    await new Promise((resolve) => setTimeout(resolve, 100));
  return 'stopped-orphan';
}
