import { ALL_SEGMENTS, type CoPurchaseRepository, type CoPurchasesBySegment } from './co-purchase.repository';
import type { CoPurchaseCounts } from './offers.types';

/**
 * Co-purchase counts kept in memory: an aggregate over every subscription is too dear per
 * request and changes slowly. Refreshed in the background once older than `ttlMs`.
 */
export class CoPurchaseCache {
  private counts: CoPurchasesBySegment | null = null;
  private loading: Promise<CoPurchasesBySegment> | null = null;
  private loadedAt = 0;

  constructor(
    private readonly repository: CoPurchaseRepository,
    private readonly now: () => Date,
    private readonly ttlMs = 10 * 60 * 1000,
  ) {}

  /** Counts for the account's industry; every account's together when the industry has none. */
  async forSegment(industry: string | null): Promise<CoPurchaseCounts> {
    const counts = await this.all();
    return (industry !== null ? counts.get(industry) : undefined) ?? counts.get(ALL_SEGMENTS) ?? {};
  }

  private async all(): Promise<CoPurchasesBySegment> {
    if (!this.counts) return (this.loading ??= this.load());
    if (Math.abs(this.now().getTime() - this.loadedAt) > this.ttlMs && !this.loading) {
      this.loading = this.load();
      this.loading.catch(() => undefined);
    }
    return this.counts;
  }

  private async load(): Promise<CoPurchasesBySegment> {
    try {
      this.counts = await this.repository.counts();
      this.loadedAt = this.now().getTime();
      return this.counts;
    } finally {
      this.loading = null;
    }
  }
}
