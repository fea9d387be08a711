import type { DataSource } from 'typeorm';
import type { Catalog } from '../catalog/catalog.types';
import { hashOf } from '../catalog/load-catalog';

/**
 * The catalog a quote was priced against: the version live in Stripe (catalog_versions)
 * plus the catalog this process serves. A sync of a new version makes older quotes stale.
 */
export async function catalogFingerprint(dataSource: DataSource, catalog: Catalog): Promise<string> {
  const rows: Array<{ version: string }> = await dataSource.query(
    'SELECT version FROM catalog_versions WHERE is_live LIMIT 1',
  );
  return catalogFingerprintOf(rows[0]?.version, catalog);
}

/**
 * The catalog's hash, once per catalog object. NOTE: a catalog is never changed in place (a new
 * version is a new object: loaded, parsed, validated), so its hash cannot go stale; it was
 * recomputed (canonical JSON of the whole catalog, SHA-256) on every quote and change.
 */
const hashes = new WeakMap<Catalog, string>();
function catalogHash(catalog: Catalog): string {
  let hash = hashes.get(catalog);
  if (hash === undefined) {
    hash = hashOf(catalog);
    hashes.set(catalog, hash);
  }
  return hash;
}

/** The same, from a live version already read (e.g. by an operation's claim). */
export function catalogFingerprintOf(liveVersion: string | null | undefined, catalog: Catalog): string {
  return `${liveVersion ?? 'unsynced'}:${catalogHash(catalog)}`;
}
