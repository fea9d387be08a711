import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { unprocessable } from '../shared/errors';
import { repositoryRoot } from '../shared/repository-root';
import { flattenMessages, type MessagesByLocale } from './catalog-messages';
import { messageProblems } from './catalog-message.rules';
import { problemsText, type CatalogProblem } from './catalog-problem';
import type { Catalog } from './catalog.types';
import { parseYaml } from './parse-catalog-yaml';
import { validateCatalog } from './validate-catalog';

/** A validated catalog with its words, and the hash that names this exact version. */
export interface LoadedCatalog {
  catalog: Catalog;
  messages: MessagesByLocale;
  /** sha256 of the canonical catalog and messages: equal content, equal version. */
  version: string;
  /** The catalog file as written (kept with each recorded version). */
  sourceText: string;
}

export interface CatalogSource {
  catalogText: string;
  /** Locale → YAML text of its messages. */
  localeTexts: Readonly<Record<string, string>>;
}

export type CatalogLoad = { ok: true; loaded: LoadedCatalog } | { ok: false; problems: CatalogProblem[] };

/** Parses and validates a catalog and its locale files, reporting every problem at once. */
export function loadCatalogSource(source: CatalogSource): CatalogLoad {
  const parsed = parseYaml(source.catalogText);
  if (!parsed.ok) return parsed;
  const validation = validateCatalog(parsed.raw);
  const problems: CatalogProblem[] = validation.ok ? [] : [...validation.problems];
  const messages: Record<string, Record<string, string>> = {};
  for (const [locale, text] of Object.entries(source.localeTexts)) {
    const tree = parseYaml(text);
    if (!tree.ok) {
      problems.push(...tree.problems.map((p) => ({ ...p, path: `locales/${locale}${p.path}` })));
      continue;
    }
    const flat = flattenMessages(tree.raw);
    problems.push(...flat.bad.map((key) => ({ path: `locales/${locale}:${key}`, message: 'must be text' })));
    messages[locale] = flat.messages;
  }
  if (validation.ok) problems.push(...messageProblems(validation.catalog, messages));
  if (!validation.ok || problems.length > 0) return { ok: false, problems };
  const version = hashOf({ catalog: validation.catalog, messages });
  return { ok: true, loaded: { catalog: validation.catalog, messages, version, sourceText: source.catalogText } };
}

/** Checks catalog text against words the service already has (for the admin validate endpoint). */
export function validateCatalogText(catalogText: string, messages: MessagesByLocale): CatalogProblem[] {
  const parsed = parseYaml(catalogText);
  if (!parsed.ok) return parsed.problems;
  const validation = validateCatalog(parsed.raw);
  return validation.ok ? messageProblems(validation.catalog, messages) : validation.problems;
}

/** Reads a catalog file and the locales/ folder beside it. */
export function readCatalogSource(file: string): CatalogSource {
  const localesDir = path.join(path.dirname(file), 'locales');
  const localeTexts: Record<string, string> = {};
  if (fs.existsSync(localesDir)) {
    for (const name of fs
      .readdirSync(localesDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()) {
      localeTexts[name.replace(/\.ya?ml$/, '')] = fs.readFileSync(path.join(localesDir, name), 'utf8');
    }
  }
  return { catalogText: fs.readFileSync(file, 'utf8'), localeTexts };
}

/** Loads and validates a catalog file with its locales; throws a 422 `catalog_invalid` listing every problem. */
export function loadCatalog(file: string = defaultCatalogFile()): LoadedCatalog {
  const result = loadCatalogSource(readCatalogSource(file));
  if (result.ok) return result.loaded;
  throw unprocessable(
    'catalog_invalid',
    `The catalog ${file} is invalid:\n${problemsText(result.problems)}`,
    undefined,
    {
      problems: result.problems,
    },
  );
}

/** The typed catalog of one file (no messages). */
export function loadCatalogFile(file: string): Catalog {
  return loadCatalog(file).catalog;
}

/** catalog/demo.catalog.yaml of this repository, found from source and from the build alike. */
export function defaultCatalogFile(): string {
  return path.join(repositoryRoot(), 'catalog', 'demo.catalog.yaml');
}

export function hashOf(value: unknown): string {
  return crypto.createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
