import type { CatalogVersionEntity } from './catalog-version.entity';

export function catalogVersionView(row: CatalogVersionEntity) {
  return {
    object: 'catalog_version',
    version: row.version,
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
    is_live: row.isLive,
    synced_at: row.syncedAt?.toISOString() ?? null,
    synced_by: row.syncedBy,
    sync_summary: row.syncSummary,
  };
}
