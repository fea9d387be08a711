import type { Catalog } from '../catalog/catalog.types';
import { validateOfferRule } from './load-offer-rules';
import type { RuleCopyOverrides } from './offer-copy-overrides';
import type { OfferRule, OfferRules } from './offer-rules.types';
import type { OfferRulesRepository } from './offer-rules.repository';

export interface RuleSetOptions {
  repository: OfferRulesRepository;
  catalog: Catalog;
  copyKeys: ReadonlySet<string>;
  /** The validated rules file: market settings, and the rules that seed an empty table. */
  file: OfferRules;
  now: () => Date;
  /** How stale the cached rules may get before a background check for edits made elsewhere. */
  refreshMs?: number;
  onInvalidRule?: (id: string, problems: string) => void;
}

/**
 * The live rules, cached in memory: loaded (and seeded from the file when the table is empty)
 * on first use, reloaded at once after an edit here, and checked in the background every few
 * seconds for edits made by another instance. Requests never wait on that check.
 */
export class OfferRuleSet {
  private cached: OfferRules | null = null;
  private loading: Promise<OfferRules> | null = null;
  private overrides = new Map<string, RuleCopyOverrides>();
  private version = '';
  private checkedAt = 0;

  constructor(private readonly options: RuleSetOptions) {}

  async current(): Promise<OfferRules> {
    return this.loaded() ?? (this.loading ??= this.load(true));
  }

  /** The rules when loaded, with the same background check as `current()`; undefined before the first load. */
  loaded(): OfferRules | undefined {
    if (!this.cached) return undefined;
    const now = this.options.now().getTime();
    if (Math.abs(now - this.checkedAt) > (this.options.refreshMs ?? 5000)) {
      this.checkedAt = now;
      void this.refreshIfChanged().catch(() => undefined);
    }
    return this.cached;
  }

  /** The operator's copy for a rule, by locale, as of the rules `current()` last gave (empty when none). */
  copyOverrides(ruleId: string): RuleCopyOverrides {
    return this.overrides.get(ruleId) ?? {};
  }

  /** Reload after an edit made through this instance. */
  async reload(): Promise<OfferRules> {
    this.loading = this.load(false);
    return this.loading;
  }

  private async refreshIfChanged(): Promise<void> {
    if ((await this.options.repository.version()) !== this.version) await this.reload();
  }

  private async load(seed: boolean): Promise<OfferRules> {
    const { repository, file } = this.options;
    try {
      if (seed) await repository.seedIfEmpty(file.rules);
      this.version = await repository.version();
      const rules = (await repository.list()).flatMap((raw) => this.valid(raw));
      this.overrides = await repository.copyOverrides();
      this.cached = { ...file, rules };
      this.checkedAt = this.options.now().getTime();
      return this.cached;
    } finally {
      this.loading = null;
    }
  }

  /** A stored rule the catalog no longer supports (a removed plan) is skipped, not fatal. */
  private valid(raw: OfferRule): OfferRule[] {
    const checked = validateOfferRule(raw, this.options.catalog, this.options.file, this.options.copyKeys);
    if (checked.ok) return [checked.value];
    this.options.onInvalidRule?.(raw.id, checked.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    return [];
  }
}
