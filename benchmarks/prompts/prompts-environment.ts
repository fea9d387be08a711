import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express, { type Express } from 'express';
import type { DataSource } from 'typeorm';
import type { Services } from '../../src/composition';
import { loadConfigFromProcess } from '../../src/config/config';
import { startEmbeddedPostgres } from '../../src/local/embedded-postgres';
import { createExpressServer } from '../../src/shared/http/express-server';
import { benchToken, buildBenchApp, openBenchSchema } from '../shared/bench-app';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** The app on a loopback port, served as src/runtime.ts serves it. */
async function listen(app: Express): Promise<Listening> {
  const { server, serve } = createExpressServer((_req, res) => res.writeHead(503).end());
  serve(app);
  server.keepAliveTimeout = 30000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The baseline: a bare Express app whose one route does nothing but answer, served as the app is. */
export function startBareRoute(): Promise<Listening> {
  const app = express();
  app.get('/bare', (_req, res) => {
    res.json({ object: 'list', data: [] });
  });
  return listen(app);
}

/** A PostgreSQL for the run: DATABASE_URL when set, else a fresh embedded cluster in a temporary folder. */
export async function startDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = loadConfigFromProcess().database.url;
  if (given) return { url: given, stop: async () => undefined };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierlift-bench-prompts-'));
  const embedded = await startEmbeddedPostgres({ dataDir, database: 'tierlift_bench' });
  return {
    url: embedded.url,
    stop: async () => {
      await embedded.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface PromptsSetup {
  app: Listening;
  /** Another instance of the app on the same schema, with settings of its own (e.g. the decision cache off). */
  startVariant(env: Record<string, string>): Promise<Listening>;
  services: Services;
  dataSource: DataSource;
  tokens: string[];
  close(): Promise<void>;
}

/** The real app on its own schema of `databaseUrl`, with `accounts` seeded accounts and tokens for `tokens` of them. */
export async function startPromptsSetup(options: {
  databaseUrl: string;
  accounts: number;
  tokens: number;
  poolSize: number;
}): Promise<PromptsSetup> {
  const schema = `bench_prompts_${options.accounts}_${Date.now()}`;
  const { dataSource, drop } = await openBenchSchema({
    databaseUrl: options.databaseUrl,
    schema,
    poolSize: options.poolSize,
  });
  await seedAccounts(dataSource, options.accounts);
  const { app: handler, services } = buildBenchApp(options.databaseUrl, dataSource);
  const app = await listen(handler);
  const step = Math.max(1, Math.floor(options.accounts / options.tokens));
  const tokens = Array.from({ length: Math.min(options.tokens, options.accounts) }, (_, i) =>
    benchToken(`user_${i}`, `b_${i * step + 1}`, i % 10 === 0 ? 'member' : 'owner'),
  );
  const variants: Listening[] = [];
  return {
    app,
    startVariant: async (env) => {
      const variant = await listen(buildBenchApp(options.databaseUrl, dataSource, env).app);
      variants.push(variant);
      return variant;
    },
    services,
    dataSource,
    tokens,
    close: async () => {
      for (const variant of variants) await variant.close();
      await app.close();
      await drop();
    },
  };
}

/**
 * Accounts in six markets and five industries, signed up over the past 400 days; a third on Pro
 * (monthly) and a ninth on Premium (yearly), in their market's currency; every account with a
 * projects level between 0 and 29, so many are near or over a limit and see prompts.
 */
async function seedAccounts(dataSource: DataSource, count: number): Promise<void> {
  await dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, industry, company_size, signed_up_at)
     SELECT 'b_' || n, 'Bench ' || n, 'b' || n || '@example.test',
            (ARRAY['US','DE','JP','RU','UZ','BR'])[n % 6 + 1], (ARRAY['en-US','de-DE','ja-JP','ru-RU','uz-UZ','es-BR'])[n % 6 + 1],
            (ARRAY['agency','construction','software','retail',NULL])[n % 5 + 1], (ARRAY['1-10','11-50','51-200','201-1000','1001+'])[n % 5 + 1],
            now() - (n % 400) * interval '1 day'
     FROM generate_series(1, $1) AS n`,
    [count],
  );
  await dataSource.query(
    `INSERT INTO subscriptions (id, account_id, status, plan_code, interval, currency, billing_cycle_anchor,
                                current_period_start, current_period_end, items, stripe_created_at)
     SELECT 'sub_b_' || n, 'b_' || n, 'active', CASE WHEN n % 9 = 0 THEN 'premium' ELSE 'pro' END,
            CASE WHEN n % 9 = 0 THEN 'year' ELSE 'month' END, (ARRAY['usd','eur','jpy','usd','uzs','brl'])[n % 6 + 1],
            now() - interval '10 days', now() - interval '10 days',
            CASE WHEN n % 9 = 0 THEN now() + interval '355 days' ELSE now() + interval '20 days' END,
            '[]'::jsonb, now() - (n % 200) * interval '1 day'
     FROM generate_series(1, $1) AS n WHERE n % 3 = 0`,
    [count],
  );
  await dataSource.query(
    `INSERT INTO usage_gauges (account_id, feature, value, observed_at, event_id)
     SELECT 'b_' || n, 'projects', n % 30, now(), 'seed_' || n FROM generate_series(1, $1) AS n`,
    [count],
  );
  await dataSource.query('ANALYZE');
}
