import { DataSource } from 'typeorm';
import type { Config } from '../../config/config';
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

/** The one TypeORM DataSource. synchronize is off: the schema changes through migrations only. */
export function buildDataSource(options: DatabaseOptions): DataSource {
  const pgOptions = [
    `-c statement_timeout=${options.statementTimeoutMs}`,
    `-c lock_timeout=${options.lockTimeoutMs}`,
    `-c idle_in_transaction_session_timeout=${Math.max(options.statementTimeoutMs * 2, 60000)}`,
    options.schema ? `-c search_path=${options.schema},public` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return new DataSource({
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
    extra: { max: options.poolSize, options: pgOptions, connectionTimeoutMillis: 10000 },
  });
}
