import { DataSource } from 'typeorm';
import type { Config } from '../../config/config';
import { AccountChangeFeed, registerAccountChanges } from './account-changes';
import { loadMigrations } from './migrations';
import { ENTITIES } from './entities';

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  /** A schema to live in (tests use one per file); defaults to public. */
  schema?: string;
  applicationName?: string;
}

export function databaseOptionsFrom(config: Config, url: string): DatabaseOptions {
  return {
    url,
    schema: config.database.schema,
    poolSize: config.database.poolSize,
    statementTimeoutMs: config.database.statementTimeoutMs,
    lockTimeoutMs: config.database.lockTimeoutMs,
  };
}

/**
 * The one TypeORM DataSource. synchronize is off: the schema changes through migrations only.
 * Every pool connection listens for account changes (accountChangesOf).
 */
export function buildDataSource(options: DatabaseOptions): DataSource {
  const pgOptions = [
    `-c statement_timeout=${options.statementTimeoutMs}`,
    `-c lock_timeout=${options.lockTimeoutMs}`,
    `-c idle_in_transaction_session_timeout=${Math.max(options.statementTimeoutMs * 2, 60000)}`,
    options.schema ? `-c search_path=${options.schema},public` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const changes = new AccountChangeFeed(options.schema);
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: ENTITIES,
    migrations: loadMigrations() as never,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: options.applicationName ?? 'tierlift',
    // NOTE: min 1 keeps a connection listening for account changes while the pool is idle.
    extra: {
      max: options.poolSize,
      min: 1,
      options: pgOptions,
      connectionTimeoutMillis: 10000,
      onConnect: changes.attach,
    },
  });
  registerAccountChanges(dataSource, changes);
  return dataSource;
}
