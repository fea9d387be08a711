import fs from 'node:fs';
import path from 'node:path';
import {
  loadCatalog,
  readCatalogSource,
  type CatalogSource,
  type LoadedCatalog,
} from '../../../src/catalog/load-catalog';
import { parseYaml } from '../../../src/catalog/parse-catalog-yaml';

export const DEMO_CATALOG_FILE = path.resolve(__dirname, '../../../catalog/demo.catalog.yaml');

/** The demo catalog, loaded fresh (tests may not share mutable state). */
export function demoCatalog(): LoadedCatalog {
  return loadCatalog(DEMO_CATALOG_FILE);
}

export function demoSource(): CatalogSource {
  return readCatalogSource(DEMO_CATALOG_FILE);
}

export function demoCatalogText(): string {
  return fs.readFileSync(DEMO_CATALOG_FILE, 'utf8');
}

/** The demo catalog as plain parsed data, ready to be broken by a test. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function demoRaw(): any {
  const parsed = parseYaml(demoCatalogText());
  if (!parsed.ok) throw new Error('the demo catalog does not parse');
  return parsed.raw;
}
