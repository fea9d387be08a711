import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'test/support/embedded-postgres-main.ts');

/**
 * The embedded PostgreSQL started in a process of its own, as the service starts it
 * (embedded-postgres-main.ts; jest's sandbox cannot load the ES-module package). `ready()` waits for
 * it (90 s at most) and answers its URL; SIGTERM stops it.
 */
export function runEmbeddedPostgres(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, dataDir], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = async (): Promise<string> => {
    for (let i = 0; !/ready (\S+)/.test(output); i += 1) {
      if (child.exitCode !== null || i > 900) throw new Error(`no server:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return /ready (\S+)/.exec(output)?.[1] ?? '';
  };
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  return { child, exited, ready, stop, output: () => output };
}
