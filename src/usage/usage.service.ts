import type { DataSource } from 'typeorm';
import type { Catalog } from '../catalog/catalog.types';
import { allowanceFrom, ingestUsage, type IngestResult } from './ingest-usage';
import type { AccountChanges } from '../shared/database/account-changes';
import { EntitlementCache } from './entitlement-cache';
import { pgPoolOf } from './pg-pool';
import {
  checkEntitlement,
  readEntitlements,
  type AccountEntitlements,
  type EntitlementCheck,
  type EntitlementDeps,
} from './read-entitlements';
import { UsageAccountRepository } from './usage-account.repository';
import { UsageIngestRepository } from './usage-ingest.repository';
import { UsageReadRepository, type CrossingQuery } from './usage-read.repository';
import { usageReport, type UsageReport } from './usage-report';
import type { ThresholdCrossing } from './usage.types';

export interface UsageServiceOptions {
  dataSource: DataSource;
  catalog: Catalog;
  now?: () => Date;
  /** The account change feed: with it, entitlement reads are cached per account (entitlement-cache.ts). */
  changes?: AccountChanges;
}

const CACHED_ACCOUNTS = 50_000;
const CACHE_TTL_MS = 10 * 60 * 1000;

/**
 * The usage module's face to the rest of Tierlift: ingestion for the route, and entitlements,
 * threshold crossings and projections for offers and analytics.
 */
export class UsageService {
  private readonly deps: EntitlementDeps;
  private readonly store: UsageIngestRepository;
  private readonly accounts: UsageAccountRepository;

  constructor(options: UsageServiceOptions) {
    const pool = () => pgPoolOf(options.dataSource);
    this.store = new UsageIngestRepository(pool);
    this.accounts = new UsageAccountRepository(pool);
    const now = options.now ?? (() => new Date());
    this.deps = {
      catalog: options.catalog,
      reads: new UsageReadRepository(pool),
      allowanceOf: allowanceFrom(options.catalog, now),
      now,
      cache: options.changes
        ? new EntitlementCache({ changes: options.changes, maxAccounts: CACHED_ACCOUNTS, ttlMs: CACHE_TTL_MS })
        : undefined,
    };
  }

  /** Stores a `POST /v1/usage` body: `{ accepted, duplicates, rejected }`. */
  ingest(body: unknown): Promise<IngestResult> {
    return ingestUsage({ ...this.deps, accounts: this.accounts, store: this.store }, body);
  }

  /** Every feature's limit and current use; null for an unknown account. */
  entitlements(accountId: string): Promise<AccountEntitlements | null> {
    return readEntitlements(this.deps, accountId);
  }

  /** May the account use `quantity` more of `feature`? 404 for an unknown feature; null for an unknown account. */
  check(accountId: string, feature: string, quantity = 1): Promise<EntitlementCheck | null> {
    return checkEntitlement(this.deps, accountId, feature, quantity);
  }

  /** Recorded threshold crossings, newest first. */
  crossings(query: CrossingQuery): Promise<ThresholdCrossing[]> {
    return this.deps.reads.crossings(query);
  }

  /** Entitlements, projections and crossings together. */
  report(accountId: string): Promise<UsageReport | null> {
    return usageReport(this.deps, accountId);
  }
}
