import jwt from 'jsonwebtoken';
import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import { buildApp } from '../../src/app';
import { buildServices, type Services } from '../../src/composition';
import { loadConfig } from '../../src/config/config';
import { createMetrics } from '../../src/ops/metrics';
import { databaseCheck, Readiness } from '../../src/ops/readiness';
import { buildDataSource } from '../../src/shared/database/data-source';
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

/** The real app (composition root and all) on the given schema, as the service builds it. */
export function buildBenchApp(
  databaseUrl: string,
  dataSource: DataSource,
  env: Record<string, string> = {},
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
  const logger = createLogger({ level: 'error', format: 'json', silent: true });
  const services = buildServices({ config, logger, dataSource });
  const app = buildApp({
    config,
    logger,
    metrics: createMetrics(),
    readiness: new Readiness([databaseCheck(dataSource)]),
    services,
  });
  return { app, services };
}

/** An end-user token for a benchmark account. */
export function benchToken(userId: string, accountId: string, role: 'owner' | 'member'): string {
  return jwt.sign(
    { sub: userId, account_id: accountId, role, aud: BENCH_KEYS.audience, iss: BENCH_KEYS.issuer },
    BENCH_KEYS.jwtSecret,
    { algorithm: 'HS256', expiresIn: 3600 },
  );
}
