import type { Express } from 'express';
import { buildApp } from '../../src/app';
import { CatalogVersionRepository } from '../../src/catalog/catalog-version.repository';
import { syncCatalog } from '../../src/catalog/sync/sync-catalog';
import { buildServices, type Services } from '../../src/composition';
import { startStripeEmulator, type StripeEmulator } from '@tierlift/stripe-emulator';
import { createMetrics } from '../../src/ops/metrics';
import { databaseCheck, Readiness } from '../../src/ops/readiness';
import { createLogger } from '../../src/shared/logger';
import { createStripeClient, type StripeClient } from '../../src/stripe/stripe-client';
import { demoCatalog } from '../catalog/support/demo-catalog';
import { createTestDatabase, type TestDatabase } from './test-database';
import { testConfig } from './test-config';

export interface ConfiguredEmulatorApp {
  app: Express;
  services: Services;
  stripe: StripeClient;
  emulator: StripeEmulator;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The real app with the Stripe emulator and the demo catalog, on a config with `env` over the test one. */
export async function startConfiguredEmulatorApp(env: Record<string, string>): Promise<ConfiguredEmulatorApp> {
  const emulator = await startStripeEmulator({ port: 0 });
  const stripe = createStripeClient({
    secretKey: emulator.secretKey,
    emulator: { host: emulator.host, port: emulator.port },
    maxNetworkRetries: 0,
  });
  const db = await createTestDatabase();
  const loaded = demoCatalog();
  await syncCatalog({
    loaded,
    stripe,
    versions: new CatalogVersionRepository(db.dataSource),
    actor: 'test',
    dryRun: false,
  });
  const config = testConfig(env);
  const logger = createLogger({ level: 'error', format: 'json', silent: true });
  const services = buildServices({ config, logger, dataSource: db.dataSource, stripe, loadedCatalog: loaded });
  const app = buildApp({
    config,
    logger,
    metrics: createMetrics(),
    readiness: new Readiness([databaseCheck(db.dataSource)]),
    services,
  });
  return {
    app,
    services,
    stripe,
    emulator,
    db,
    close: async () => {
      await emulator.close();
      await db.drop();
    },
  };
}
