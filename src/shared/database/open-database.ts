import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config/config';
import { startEmbeddedPostgres } from '../../local/embedded-postgres';
import type { Logger } from '../logger';
import { connectionProblem } from './connection-problem';
import { buildDataSource, databaseOptionsFrom } from './data-source';

export interface OpenDatabase {
  dataSource: DataSource;
  /** Embedded mode only: the URL of the server started for this process. */
  url: string;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL in DATA_DIR when it is unset. */
export async function openDatabase(config: Config, logger: Logger): Promise<OpenDatabase> {
  let url = config.database.url;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    logger.info('DATABASE_URL is not set: starting the embedded PostgreSQL', { data_dir: config.dataDir });
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, 'postgres'),
      setting: `DATA_DIR=${config.dataDir}`,
      database: 'tierlift',
      onLog: (message) => logger.debug(message, { component: 'embedded-postgres' }),
    });
    url = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const dataSource = buildDataSource(databaseOptionsFrom(config, url));
  try {
    await dataSource.initialize().catch((error: unknown) => {
      // NOTE: the embedded server's URL is ours, not the operator's: its failures are not DATABASE_URL's.
      throw stopEmbedded ? error : connectionProblem(error, url);
    });
    if (config.database.schema) await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${config.database.schema}"`);
  } catch (error) {
    await stopEmbedded?.();
    throw error;
  }
  return {
    dataSource,
    url,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await stopEmbedded?.();
    },
  };
}
