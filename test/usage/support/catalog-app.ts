import { buildApp } from '../../../src/app';
import type { LoadedCatalog } from '../../../src/catalog/load-catalog';
import { buildServices } from '../../../src/composition';
import { createMetrics } from '../../../src/ops/metrics';
import { databaseCheck, Readiness } from '../../../src/ops/readiness';
import { createLogger } from '../../../src/shared/logger';
import { demoCatalog } from '../../catalog/support/demo-catalog';
import { createTestDatabase } from '../../support/test-database';
import { testConfig } from '../../support/test-config';
import type { TestApp } from '../../support/test-app';

/** The real app (as createTestApp builds it) on the demo catalog changed by `edit`. Call close() in afterAll. */
export async function createAppWithCatalog(edit: (loaded: LoadedCatalog) => LoadedCatalog): Promise<TestApp> {
  const config = testConfig();
  const logger = createLogger({ level: config.log.level, format: 'json', silent: !process.env.TEST_LOG_LEVEL });
  const db = await createTestDatabase();
  const services = buildServices({ config, logger, dataSource: db.dataSource, loadedCatalog: edit(demoCatalog()) });
  const app = buildApp({
    config,
    logger,
    metrics: createMetrics(),
    readiness: new Readiness([databaseCheck(db.dataSource)]),
    services,
  });
  return { app, config, services, db, close: () => db.drop() };
}
