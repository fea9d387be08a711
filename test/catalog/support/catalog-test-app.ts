import express, { type Express } from 'express';
import { AccountRepository } from '../../../src/accounts/account.repository';
import { buildCatalogRouter } from '../../../src/catalog/catalog.routes';
import { catalogViewerReader } from '../../../src/catalog/catalog-viewer.reader';
import { CatalogVersionRepository } from '../../../src/catalog/catalog-version.repository';
import type { LoadedCatalog } from '../../../src/catalog/load-catalog';
import { errorHandler, notFoundHandler } from '../../../src/shared/http/error-handler';
import { requestContext } from '../../../src/shared/http/request-context';
import { createLogger } from '../../../src/shared/logger';
import type { StripeClient } from '../../../src/stripe/stripe-client';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { testConfig } from '../../support/test-config';
import { demoCatalog } from './demo-catalog';

export interface CatalogTestApp {
  app: Express;
  db: TestDatabase;
  accounts: AccountRepository;
  versions: CatalogVersionRepository;
  loaded: LoadedCatalog;
  close(): Promise<void>;
}

/**
 * The catalog router inside the shared HTTP pipeline (request context, JSON, error
 * handler), on a private schema. NOTE: mirrors how src/app.ts mounts it.
 */
export async function createCatalogTestApp(
  options: { stripe?: StripeClient; loaded?: LoadedCatalog } = {},
): Promise<CatalogTestApp> {
  const config = testConfig();
  const logger = createLogger({ level: 'error', format: 'json', silent: true });
  const db = await createTestDatabase();
  const loaded = options.loaded ?? demoCatalog();
  const versions = new CatalogVersionRepository(db.dataSource);
  const app = express();
  app.use(requestContext(logger));
  app.use(express.json());
  app.use(
    buildCatalogRouter({
      auth: { jwt: config.jwt, apiKeys: config.apiKeys },
      loaded,
      findViewer: catalogViewerReader(db.dataSource),
      versions,
      stripe: options.stripe,
    }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler);
  return { app, db, accounts: new AccountRepository(db.dataSource), versions, loaded, close: () => db.drop() };
}
