import type { Logger } from '../../shared/logger';
import type { StripeClient } from '../../stripe/stripe-client';
import { FALLBACK_LOCALE } from '../catalog-messages';
import type { CatalogVersionRepository } from '../catalog-version.repository';
import { loadCatalogSource, type CatalogSource, type LoadedCatalog } from '../load-catalog';
import { unprocessable } from '../../shared/errors';
import { applySyncPlan } from './apply-sync-plan';
import { describeSyncPlan } from './describe-sync-plan';
import { desiredStripeCatalog } from './desired-stripe-catalog';
import { planCatalogSync } from './plan-catalog-sync';
import { readStripeCatalog } from './read-stripe-catalog';
import type { SyncOperation } from './stripe-catalog.types';

export interface SyncCatalogInput {
  loaded: LoadedCatalog;
  stripe: StripeClient;
  /** Where versions are recorded; omitted by callers without a database (dry runs). */
  versions?: CatalogVersionRepository;
  /** Who asked: an operator name, `cli:<user>` or `admin-api`. */
  actor: string;
  dryRun: boolean;
  logger?: Logger;
}

export interface SyncCatalogResult {
  version: string;
  dryRun: boolean;
  operations: SyncOperation[];
  /** Human-readable diff, one line per write. */
  lines: string[];
  /** Writes sent to Stripe (0 on a dry run or when already in sync). */
  written: number;
}

/**
 * Mirrors a validated catalog into Stripe: read what Stripe holds, plan the difference,
 * then (unless dryRun) write it with idempotency keys derived from the catalog version
 * and record the version as live. No database transaction is open during Stripe calls.
 */
export async function syncCatalog(input: SyncCatalogInput): Promise<SyncCatalogResult> {
  const { versions, dryRun } = input;
  if (dryRun || !versions) return planAndApply(input);
  return versions.withSyncLock(() => planAndApply(input));
}

async function planAndApply(input: SyncCatalogInput): Promise<SyncCatalogResult> {
  const { loaded, stripe, versions, actor, dryRun, logger } = input;
  const desired = desiredStripeCatalog(loaded.catalog, loaded.messages[FALLBACK_LOCALE] ?? {});
  const current = await readStripeCatalog(stripe);
  const operations = planCatalogSync(desired, current);
  const lines = describeSyncPlan(operations);
  if (dryRun) return { version: loaded.version, dryRun, operations, lines, written: 0 };

  await versions?.record(loaded, actor);
  logger?.info('catalog sync: writing to Stripe', { version: loaded.version, operations: operations.length });
  const applied = await applySyncPlan(stripe, loaded.version, operations);
  await versions?.markLive(loaded.version, actor, { operations: applied.length, lines });
  logger?.info('catalog sync: done', { version: loaded.version, written: applied.length });
  return { version: loaded.version, dryRun, operations, lines, written: applied.length };
}

/**
 * Validates catalog text first and refuses an invalid one with every problem listed
 * (422 `catalog_invalid`, details.problems) before anything is read from or sent to Stripe.
 */
export async function syncCatalogSource(
  input: Omit<SyncCatalogInput, 'loaded'> & { source: CatalogSource },
): Promise<SyncCatalogResult> {
  const load = loadCatalogSource(input.source);
  if (!load.ok) {
    const count = load.problems.length;
    throw unprocessable(
      'catalog_invalid',
      `The catalog is invalid (${count} problem${count === 1 ? '' : 's'}); nothing was synced.`,
      undefined,
      {
        problems: load.problems,
      },
    );
  }
  const { source: _source, ...rest } = input;
  return syncCatalog({ ...rest, loaded: load.loaded });
}
