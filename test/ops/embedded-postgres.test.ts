import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'test/support/embedded-postgres-main.ts');

function run(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, dataDir], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = async () => {
    const until = Date.now() + 90_000;
    while (!output.includes('ready ')) {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`no server:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exited, ready, output: () => output };
}

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
