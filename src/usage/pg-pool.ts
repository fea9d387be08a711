import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The pg Pool under the TypeORM DataSource. Usage ingestion speaks to it directly: named
 * prepared statements over unnest() arrays are one round trip per batch, without the
 * query-runner overhead, on the same connections and search_path as everything else.
 */
export function pgPoolOf(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('the DataSource is not an initialised PostgreSQL DataSource');
  return pool;
}
