import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface SpawnedService {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first JSON log line whose message matches. */
  waitForLog(message: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  waitForExit(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

const ROOT = path.resolve(__dirname, '../..');

/** Runs the real entry point (src/server.ts through tsx) as its own process, as `npm start` would. */
export function spawnService(env: Record<string, string>, entry = 'src/server.ts'): SpawnedService {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ message: string; resolve: (line: Record<string, unknown>) => void }> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const raw of chunk.toString().split('\n')) {
      if (!raw.startsWith('{')) continue;
      try {
        const line = JSON.parse(raw) as Record<string, unknown>;
        lines.push(line);
        for (const w of waiters.filter((x) => x.message === line.message)) w.resolve(line);
      } catch {
        // a partial line; the whole output is still kept for diagnostics
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const started = Date.now();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    child,
    output: () => output,
    waitForLog: (message, timeoutMs = 30000) =>
      new Promise((resolve, reject) => {
        const found = lines.find((l) => l.message === message);
        if (found) return resolve(found);
        const timer = setTimeout(
          () => reject(new Error(`no "${message}" log within ${timeoutMs} ms:\n${output}`)),
          timeoutMs,
        );
        waiters.push({ message, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then(() => reject(new Error(`process exited before "${message}":\n${output}`)));
      }),
    waitForExit: async (timeoutMs = 20000) => {
      const stopAt = Date.now();
      const timeout = new Promise<never>((_r, reject) =>
        setTimeout(() => reject(new Error('did not exit in time')), timeoutMs).unref(),
      );
      const result = await Promise.race([exited, timeout]);
      return { code: result.code, signal: result.signal, ms: result.at - Math.max(stopAt, started) };
    },
  };
}
