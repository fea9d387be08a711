import type { Server } from 'node:http';
import jwt from 'jsonwebtoken';
import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import { buildApp } from '../../src/app';
import { buildServices, type ServiceInputs, type Services } from '../../src/composition';
import { loadConfig, type Config } from '../../src/config/config';
import { createMetrics } from '../../src/ops/metrics';
import { databaseCheck, Readiness } from '../../src/ops/readiness';
import { buildDataSource } from '../../src/shared/database/data-source';
import { createExpressServer } from '../../src/shared/http/express-server';
import { createLogger } from '../../src/shared/logger';

/** Credentials of the benchmarks' app (local, throwaway). */
export const BENCH_KEYS = {
  server: 'bench-server-key-0123456789abcdef',
  admin: 'bench-admin-key-0123456789abcdef',
  jwtSecret: 'bench-jwt-secret-0123456789abcdef0123456789',
  audience: 'tierlift-bench',
  issuer: 'https://auth.bench.local/',
};

/** A fresh schema with every migration applied; `drop` removes it and closes the pool. */
export async function openBenchSchema(options: {
  databaseUrl: string;
  schema: string;
  poolSize: number;
}): Promise<{ dataSource: DataSource; drop(): Promise<void> }> {
  const dataSource = buildDataSource({
    url: options.databaseUrl,
    schema: options.schema,
    poolSize: options.poolSize,
    statementTimeoutMs: 60000,
    lockTimeoutMs: 10000,
  });
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA "${options.schema}"`);
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    drop: async () => {
      await dataSource.query(`DROP SCHEMA IF EXISTS "${options.schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}

/** What a benchmark may give the app: its own Stripe client or catalog, a logger that prints errors. */
type BenchInputs = Partial<Pick<ServiceInputs, 'stripe' | 'loadedCatalog' | 'logger'>>;

/** The real app (composition root and all) on the given schema, as the service builds it. */
export function buildBenchApp(
  databaseUrl: string,
  dataSource: DataSource,
  env: Record<string, string> = {},
  inputs: BenchInputs = {},
): { app: Express; services: Services } {
  const config = loadConfig({
    ...env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: BENCH_KEYS.jwtSecret,
    JWT_AUDIENCE: BENCH_KEYS.audience,
    JWT_ISSUER: BENCH_KEYS.issuer,
    SERVER_API_KEY: BENCH_KEYS.server,
    ADMIN_API_KEY: BENCH_KEYS.admin,
    LOG_LEVEL: 'error',
  });
  return assembleBenchApp(config, dataSource, inputs);
}

/** The app from a config already loaded (an instance started with its own environment). */
export function assembleBenchApp(
  config: Config,
  dataSource: DataSource,
  inputs: BenchInputs = {},
): { app: Express; services: Services } {
  // BENCH_LOG=1 prints the app's errors (a run that reports FAILED requests says why).
  const logger =
    inputs.logger ?? createLogger({ level: 'error', format: 'json', silent: process.env.BENCH_LOG !== '1' });
  const services = buildServices({ ...inputs, config, logger, dataSource });
  const app = buildApp({
    config,
    logger,
    metrics: createMetrics(),
    readiness: new Readiness([databaseCheck(dataSource)]),
    services,
  });
  return { app, services };
}

/** Serves the app on a free loopback port, as `src/runtime.ts` serves it (keep-alive 30 s). */
export async function serveBenchApp(app: Express): Promise<{ server: Server; port: number; url: string }> {
  const { server, serve } = createExpressServer((_req, res) => res.writeHead(503).end());
  serve(app);
  server.keepAliveTimeout = 30000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, port, url: `http://127.0.0.1:${port}` };
}

/** An end-user token for a benchmark account. */
export function benchToken(userId: string, accountId: string, role: 'owner' | 'member'): string {
  return jwt.sign(
    { sub: userId, account_id: accountId, role, aud: BENCH_KEYS.audience, iss: BENCH_KEYS.issuer },
    BENCH_KEYS.jwtSecret,
    { algorithm: 'HS256', expiresIn: 3600 },
  );
}
