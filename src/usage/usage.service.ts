import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { Catalog } from '../catalog/catalog.types';
import { PeriodLocator } from './billing-period';
import { allowanceFrom, ingestUsage, type IngestResult } from './ingest-usage';
import type { AccountChanges } from '../shared/database/account-changes';
import { EntitlementCache } from './entitlement-cache';
import { EntitlementChangeStream } from './entitlement-stream';
import { pgPoolOf } from './pg-pool';
import {
  checkEntitlement,
  readEntitlements,
  type AccountEntitlements,
  type EntitlementCheck,
  type EntitlementDeps,
} from './read-entitlements';
import { UsageAccountRepository } from './usage-account.repository';
import { UsageContextCache, type UsageContextSource } from './usage-context-cache';
import { UsageIngestRepository } from './usage-ingest.repository';
import { maintainUsagePartitions, type PartitionReport } from './usage-partitions';
import { UsageReadRepository, type CrossingQuery } from './usage-read.repository';
import { usageReport, type UsageReport } from './usage-report';
import type { ThresholdCrossing } from './usage.types';

export interface UsageServiceOptions {
  dataSource: DataSource;
  catalog: Catalog;
  now?: () => Date;
  /** Whole months of usage events kept (USAGE_EVENTS_RETENTION_MONTHS); default 24. */
  eventsRetentionMonths?: number;
  /** The account change feed: with it, entitlement reads are cached per account (entitlement-cache.ts). */
  changes?: AccountChanges;
  /** How often the entitlement stream proves it is alive; 500 ms by default (clients allow 1 s of staleness). */
  streamHeartbeatMs?: number;
  /** ENTITLEMENT_CACHE_SECONDS: an entry's longest life (600 s by default); 0 keeps none. */
  cacheSeconds?: number;
  /**
   * The state feed (AccountChangeFeed.accountState): with it (and cacheSeconds not 0), ingestion
   * keeps the accounts' usage contexts in memory (usage-context-cache.ts).
   */
  accountState?: AccountChanges;
}

const CACHED_ACCOUNTS = 50_000;
const CACHE_SECONDS = 600;

/**
 * The usage module's face to the rest of Tierlift: ingestion for the route, and entitlements,
 * threshold crossings and projections for offers and analytics.
 */
export class UsageService {
  private readonly deps: EntitlementDeps;
  private readonly store: UsageIngestRepository;
  private readonly accounts: UsageContextSource;
  /** Periods found for the contexts ingestion saw; worth keeping once the contexts are kept. */
  private readonly periods = new PeriodLocator();
  private readonly pool: () => Pool;
  private readonly eventsRetentionMonths: number;
  /** Entitlement changes as server-sent events; absent without the account change feed. */
  readonly changeStream: EntitlementChangeStream | undefined;

  constructor(options: UsageServiceOptions) {
    const pool = () => pgPoolOf(options.dataSource);
    this.pool = pool;
    this.eventsRetentionMonths = options.eventsRetentionMonths ?? 24;
    this.store = new UsageIngestRepository(pool);
    const now = options.now ?? (() => new Date());
    const cacheSeconds = options.cacheSeconds ?? CACHE_SECONDS;
    const accounts = new UsageAccountRepository(pool);
    this.accounts =
      options.accountState && cacheSeconds > 0
        ? new UsageContextCache({
            changes: options.accountState,
            source: accounts,
            maxAccounts: CACHED_ACCOUNTS,
            ttlMs: cacheSeconds * 1000,
            now,
          })
        : accounts;
    this.deps = {
      catalog: options.catalog,
      reads: new UsageReadRepository(pool),
      allowanceOf: allowanceFrom(options.catalog, now),
      now,
      cache:
        options.changes && (options.cacheSeconds ?? CACHE_SECONDS) > 0
          ? new EntitlementCache({
              changes: options.changes,
              maxAccounts: CACHED_ACCOUNTS,
              ttlMs: (options.cacheSeconds ?? CACHE_SECONDS) * 1000,
            })
          : undefined,
    };
    this.changeStream = options.changes
      ? new EntitlementChangeStream({
          changes: options.changes,
          bufferSize: 10_000,
          heartbeatMs: options.streamHeartbeatMs ?? 500,
          coalesceMs: 10,
          now,
        })
      : undefined;
  }

  /** Stores a `POST /v1/usage` body: `{ accepted, duplicates, rejected }`. */
  ingest(body: unknown): Promise<IngestResult> {
    return ingestUsage({ ...this.deps, accounts: this.accounts, store: this.store, periods: this.periods }, body);
  }

  /** Creates the coming months' event partitions and drops those past the retention (run hourly). */
  maintainPartitions(): Promise<PartitionReport> {
    return maintainUsagePartitions(this.pool(), this.deps.now(), this.eventsRetentionMonths);
  }

  /** Every feature's limit and current use; null for an unknown account. */
  entitlements(accountId: string): Promise<AccountEntitlements | null> {
    return readEntitlements(this.deps, accountId);
  }

  /** Entitlements read from PostgreSQL, never the cache: a client refetching after a change must see it. */
  freshEntitlements(accountId: string): Promise<AccountEntitlements | null> {
    return readEntitlements({ ...this.deps, cache: undefined }, accountId);
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
