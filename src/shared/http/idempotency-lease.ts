import crypto from 'node:crypto';
import os from 'node:os';

/** How long an in-progress key stays its process's without a renewal; renewed every third of it. */
export const KEY_LEASE_SECONDS = 30;

/** Keys stored before leases existed: abandoned this long after they were created. */
export const LEGACY_ABANDONED_AFTER_SECONDS = 120;

/** This process, as an in-progress key names its owner: host/pid/instance. */
export const THIS_PROCESS = `${os.hostname()}/${process.pid}/${crypto.randomBytes(6).toString('hex')}`;

/**
 * Whether the process that owns a key is known to be gone: only a process on this host can be
 * checked (as PostgreSQL checks postmaster.pid). The same pid with another instance is a
 * process that ran before this one under the same pid (a container restarted: pid 1 again).
 * Anything else stays its owner's until the lease lapses.
 */
export function ownerIsGone(owner: string | null, self = THIS_PROCESS): boolean {
  if (!owner || owner === self) return false;
  const [host, pidText] = owner.split('/');
  const [selfHost, selfPid] = self.split('/');
  if (host !== selfHost) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (String(pid) === selfPid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // NOTE: EPERM is a live process of another user; only ESRCH says there is none.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
