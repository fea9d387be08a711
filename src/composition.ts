import type { DataSource } from 'typeorm';
import type { Config } from './config/config';
import { AccountRepository } from './accounts/account.repository';
import type { AccountSection } from './accounts/accounts.routes';
import type { AccountHooks } from './accounts/upsert-account';
import type { Logger } from './shared/logger';
import type { AuthSettings } from './shared/http/authenticate';
import { loadCatalog } from './catalog/load-catalog';
import type { Catalog } from './catalog/catalog.types';
import { UsageService } from './usage/usage.service';

export interface Services {
  auth: AuthSettings;
  accounts: AccountRepository;
  accountHooks: AccountHooks;
  accountSections: AccountSection[];
  catalog: Catalog;
  /** Usage metering: ingestion, entitlements, threshold crossings and projections. */
  usage: UsageService;
}

export interface ServiceInputs {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  /** The validated catalog; loaded from config.catalogFile (or the demo catalog) when not given. */
  catalog?: Catalog;
}

/** The composition root: every long-lived object is built here, once, and passed explicitly. */
export function buildServices(inputs: ServiceInputs): Services {
  const { config, dataSource } = inputs;
  const catalog = inputs.catalog ?? loadCatalog(config.catalogFile).catalog;
  return {
    auth: { jwt: config.jwt, apiKeys: config.apiKeys },
    accounts: new AccountRepository(dataSource),
    accountHooks: {},
    accountSections: [],
    catalog,
    usage: new UsageService({ dataSource, catalog }),
  };
}
