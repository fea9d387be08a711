import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runEmbeddedPostgres } from '../support/embedded-postgres-process';

jest.setTimeout(120_000);

const run = runEmbeddedPostgres;

/** The zero-setup database says why it could not start, instead of failing with "undefined". */
describe('embedded PostgreSQL', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierlift-embedded-'));
  beforeAll(() => fs.chmodSync(dir, 0o755));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a second server on a folder in use, naming the lock file PostgreSQL found', async () => {
    const first = run(path.join(dir, 'data'));
    try {
      await first.ready();
      const second = run(path.join(dir, 'data'));
      expect(await second.exited).toBe(1);
      expect(second.output()).toMatch(/did not start[\s\S]*postmaster\.pid/);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  });
});
