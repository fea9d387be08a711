import path from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfigFromProcess } from '../../src/config/config';
import { startEmbeddedPostgres } from '../../src/local/embedded-postgres';
import { createExpressServer } from '../../src/shared/http/express-server';
import { BENCH_KEYS, benchToken, buildBenchApp, openBenchSchema } from '../shared/bench-app';

export interface BenchEnvironment {
  /** The app, listening on loopback. */
  url: string;
  databaseUrl: string;
  schema: string;
  serverKey: string;
  accounts: string[];
  /** End-user tokens of the first accounts. */
  tokens: string[];
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * The real app on a real PostgreSQL: DATABASE_URL when set, else the embedded server in
 * .data/bench-postgres. Everything lives in a fresh schema that close() drops.
 */
export async function startBenchEnvironment(options: {
  accounts: number;
  tokens: number;
  poolSize: number;
}): Promise<BenchEnvironment> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(String(error)));
  };
  try {
    let databaseUrl = loadConfigFromProcess().database.url;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres({
        dataDir: path.resolve(__dirname, '../../.data/bench-postgres'),
        database: 'tierlift_bench',
      });
      stops.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    const schema = `bench_${Date.now()}`;
    const { dataSource, drop } = await openBenchSchema({ databaseUrl, schema, poolSize: options.poolSize });
    stops.push(drop);
    const { app } = buildBenchApp(databaseUrl, dataSource);
    const { server, serve } = createExpressServer((_req, res) => res.writeHead(503).end());
    serve(app);
    server.keepAliveTimeout = 30000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    const accounts = await seedAccounts(dataSource, options.accounts);
    const tokens = accounts
      .slice(0, options.tokens)
      .map((accountId) => benchToken(`user_${accountId}`, accountId, 'member'));
    return {
      url: `http://127.0.0.1:${port}`,
      databaseUrl,
      schema,
      serverKey: BENCH_KEYS.server,
      accounts,
      tokens,
      dataSource,
      close: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Accounts signed up over the past year; every third one on a monthly pro subscription with extra seats. */
async function seedAccounts(dataSource: DataSource, count: number): Promise<string[]> {
  await dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at)
     SELECT 'bench_' || n, 'Bench ' || n, 'bench' || n || '@example.test', 'DE', 'de-DE', now() - (n % 365) * interval '1 day'
     FROM generate_series(1, $1) AS n`,
    [count],
  );
  await dataSource.query(
    `INSERT INTO subscriptions (id, account_id, status, plan_code, interval, currency, billing_cycle_anchor,
                                current_period_start, current_period_end, items, stripe_created_at)
     SELECT 'sub_bench_' || n, 'bench_' || n, 'active', 'pro', 'month', 'usd', now() - interval '40 days',
            now() - interval '10 days', now() + interval '20 days',
            '[{"id":"si_1","price_id":"p","kind":"add_on","code":"extra_seats","quantity":3}]'::jsonb, now() - interval '40 days'
     FROM generate_series(1, $1) AS n WHERE n % 3 = 0`,
    [count],
  );
  return Array.from({ length: count }, (_, i) => `bench_${i + 1}`);
}
