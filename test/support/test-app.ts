import type { Express } from 'express';
import type { Config } from '../../src/config/config';
import { buildApp } from '../../src/app';
import { buildServices, type Services } from '../../src/composition';
import { createMetrics } from '../../src/ops/metrics';
import { databaseCheck, Readiness } from '../../src/ops/readiness';
import { createLogger } from '../../src/shared/logger';
import type { StripeClient } from '../../src/stripe/stripe-client';
import { createTestDatabase, type TestDatabase } from './test-database';
import { testConfig } from './test-config';

export interface TestApp {
  app: Express;
  config: Config;
  services: Services;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The real app on a private schema of the test PostgreSQL. Call close() in afterAll. */
export async function createTestApp(
  overrides: Record<string, string> = {},
  options: { stripe?: StripeClient } = {},
): Promise<TestApp> {
  const config = testConfig(overrides);
  const logger = createLogger({
    level: config.log.level,
    format: 'json',
    silent: config.log.level === 'error' && !process.env.TEST_LOG_LEVEL,
  });
  const db = await createTestDatabase();
  const services = buildServices({ config, logger, dataSource: db.dataSource, stripe: options.stripe });
  const app = buildApp({
    config,
    logger,
    metrics: createMetrics(),
    readiness: new Readiness([databaseCheck(db.dataSource)]),
    services,
  });
  return { app, config, services, db, close: () => db.drop() };
}
