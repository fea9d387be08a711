import type { DataSource } from 'typeorm';
import { conflict } from '../shared/errors';
import type { LoadedCatalog } from './load-catalog';
import { CatalogVersionEntity, type SyncSummary } from './catalog-version.entity';

/** Persistence of catalog versions; the only writer of catalog_versions. */
export class CatalogVersionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records a version once (by hash); a second call with the same content keeps the first row. */
  async record(loaded: LoadedCatalog, createdBy: string): Promise<CatalogVersionEntity> {
    await this.dataSource.query(
      `INSERT INTO catalog_versions (version, content, source_text, created_by)
       VALUES ($1, $2, $3, $4) ON CONFLICT (version) DO NOTHING`,
      [
        loaded.version,
        JSON.stringify({ catalog: loaded.catalog, messages: loaded.messages }),
        loaded.sourceText,
        createdBy,
      ],
    );
    const row = await this.find(loaded.version);
    if (!row) throw new Error(`catalog version ${loaded.version} vanished after insert`);
    return row;
  }

  /** Makes `version` the live one, in one transaction (the partial unique index allows one live row). */
  async markLive(version: string, syncedBy: string, summary: SyncSummary): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE catalog_versions SET is_live = false WHERE is_live AND version <> $1`, [version]);
      await manager.query(
        `UPDATE catalog_versions SET is_live = true, synced_at = now(), synced_by = $2, sync_summary = $3 WHERE version = $1`,
        [version, syncedBy, JSON.stringify(summary)],
      );
    });
  }

  /**
   * Runs `work` while holding a session advisory lock, so that two instances never sync at
   * once (a second caller gets 409 catalog_sync_in_progress). NOTE: a lock, not a transaction:
   * no transaction stays open across the Stripe calls inside `work`.
   */
  async withSyncLock<T>(work: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [row] = (await runner.query(
        `SELECT pg_try_advisory_lock(hashtext('tierlift:catalog-sync:' || current_schema())) AS locked`,
      )) as Array<{ locked: boolean }>;
      if (!row?.locked)
        throw conflict('catalog_sync_in_progress', 'Another catalog sync is running; try again when it has finished.');
      try {
        return await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext('tierlift:catalog-sync:' || current_schema()))`);
      }
    } finally {
      await runner.release();
    }
  }

  find(version: string): Promise<CatalogVersionEntity | null> {
    return this.dataSource.manager.findOneBy(CatalogVersionEntity, { version });
  }

  live(): Promise<CatalogVersionEntity | null> {
    return this.dataSource.manager.findOneBy(CatalogVersionEntity, { isLive: true });
  }

  /** Newest first, without the (large) content. */
  list(limit = 50): Promise<CatalogVersionEntity[]> {
    return this.dataSource.manager.find(CatalogVersionEntity, {
      select: ['id', 'version', 'createdAt', 'createdBy', 'isLive', 'syncedAt', 'syncedBy', 'syncSummary'],
      order: { id: 'DESC' },
      take: limit,
    });
  }
}
