import http from 'node:http';
import { BENCH_KEYS, benchToken } from '../shared/bench-app';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One request over a keep-alive connection; the body parsed as JSON when it is JSON. */
export function call(
  base: string,
  method: 'GET' | 'POST',
  route: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${route}`,
      {
        method,
        agent,
        headers: payload
          ? { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown>;
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            parsed = { raw: text };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs the tasks with `concurrency` in flight; returns the wall time in seconds. */
export async function runTasks(tasks: Array<() => Promise<void>>, concurrency: number): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) {
        const task = tasks[next++];
        if (task) await task();
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export const serverAuth = { authorization: `Bearer ${BENCH_KEYS.server}` };
export const userAuth = (accountId: string, role: 'owner' | 'member' = 'owner') => ({
  authorization: `Bearer ${benchToken(`user_${accountId}`, accountId, role)}`,
});

/** Usage events with ids unique to the run: `count` increments of api_calls, one account each in turn. */
export function usageBatch(run: string, from: number, count: number, accounts: string[]) {
  return {
    events: Array.from({ length: count }, (_, k) => {
      const i = from + k;
      return {
        id: `${run}_${i}`,
        account_id: accounts[i % accounts.length],
        feature: 'api_calls',
        quantity: 1,
        action: 'increment',
        timestamp: new Date().toISOString(),
      };
    }),
  };
}

export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
