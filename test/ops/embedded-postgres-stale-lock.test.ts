import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runEmbeddedPostgres } from '../support/embedded-postgres-process';

jest.setTimeout(180_000);

const run = runEmbeddedPostgres;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('embedded PostgreSQL after kill -9 of its Tierlift process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierlift-stale-lock-'));
  beforeAll(() => fs.chmodSync(dir, 0o755));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stops the orphaned server that holds postmaster.pid and starts again on the same folder', async () => {
    const data = path.join(dir, 'data');
    const first = run(data);
    await first.ready();
    const orphan = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(alive(orphan)).toBe(true); // the server outlived its process and holds the lock

    const second = run(data);
    try {
      await second.ready();
      expect(alive(orphan)).toBe(false);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
      if (alive(orphan)) process.kill(orphan, 'SIGINT'); // never leave the orphan behind
    }
  });
});
