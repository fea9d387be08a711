import type { DataSource } from 'typeorm';
import type { Config } from './config/config';
import { AccountRepository } from './accounts/account.repository';
import type { AccountSection } from './accounts/accounts.routes';
import type { AccountHooks } from './accounts/upsert-account';
import type { Logger } from './shared/logger';
import type { AuthSettings } from './shared/http/authenticate';

export interface Services {
  auth: AuthSettings;
  accounts: AccountRepository;
  accountHooks: AccountHooks;
  accountSections: AccountSection[];
}

export interface ServiceInputs {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
}

/** The composition root: every long-lived object is built here, once, and passed explicitly. */
export function buildServices(inputs: ServiceInputs): Services {
  const { config, dataSource } = inputs;
  return {
    auth: { jwt: config.jwt, apiKeys: config.apiKeys },
    accounts: new AccountRepository(dataSource),
    accountHooks: {},
    accountSections: [],
  };
}
