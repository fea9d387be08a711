import crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import { buildDataSource } from '../../src/shared/database/data-source';

export interface TestDatabase {
  dataSource: DataSource;
  url: string;
  schema: string;
  drop(): Promise<void>;
}

/** A fresh schema with every migration applied, private to one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is set by test/support/global-setup.ts');
  const schema = `tt_${Date.now()}_${crypto.randomBytes(4).toString('hex')}`;
  const dataSource = buildDataSource({ url, schema, poolSize: 10, statementTimeoutMs: 30000, lockTimeoutMs: 10000 });
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA "${schema}"`);
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    url,
    schema,
    drop: async () => {
      await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}
