import type { OfferAccount, VariantAssignment } from '../offers/offers.types';
import type { OfferRule } from '../offers/offer-rules.types';
import { assignVariant } from './assignment';
import type { ExperimentDefinition } from './experiment.schema';
import type { StoredExperiment } from './experiments.repository';

export interface RegistryOptions {
  load: () => Promise<StoredExperiment[]>;
  now: () => Date;
  /** How long a snapshot serves before the next prompt reloads it (other instances' starts and stops). */
  maxAgeMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * The running experiments in memory, by offer rule, for the offers engine's synchronous hook.
 * NOTE: the snapshot is refreshed in the background once older than maxAgeMs, so a start or stop on
 * another instance takes effect here within that time; on this instance, at once (refresh()).
 */
export class ExperimentRegistry {
  private byRule = new Map<string, ExperimentDefinition>();
  private fingerprint = '[]';
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly options: RegistryOptions) {}

  async refresh(): Promise<void> {
    const running = await this.options.load();
    const now = this.options.now();
    const next = new Map<string, ExperimentDefinition>();
    for (const experiment of running)
      if (withinWindow(experiment.definition, now)) next.set(experiment.definition.rule_id, experiment.definition);
    // NOTE: an unchanged set keeps its identity: the offers engine's kept decisions stay valid.
    const fingerprint = JSON.stringify([...next]);
    if (fingerprint !== this.fingerprint) {
      this.byRule = next;
      this.fingerprint = fingerprint;
    }
    this.loadedAt = Date.now();
  }

  /** The running experiments as loaded: a new object whenever a refresh finds them changed (the offers engine's cache compares it). */
  get snapshot(): object {
    return this.byRule;
  }

  /** The offers hook: which arm of the running experiment on this rule (if any) the account is in. */
  readonly assign = (account: OfferAccount, rule: OfferRule): VariantAssignment | null => {
    this.refreshWhenStale();
    const experiment = this.byRule.get(rule.id);
    if (!experiment || !withinWindow(experiment, this.options.now())) return null;
    if (experiment.audience.countries && !experiment.audience.countries.includes(account.country)) return null;
    const assignment = assignVariant(experiment, account.id);
    if (assignment.kind === 'holdout') return { key: experiment.key, variant: 'holdout', holdout: true };
    const variant = experiment.variants.find((v) => v.key === assignment.variant);
    const overrides = variant?.overrides ?? {};
    return {
      key: experiment.key,
      variant: assignment.variant,
      ...(Object.keys(overrides).length > 0 ? { overrides } : {}),
    };
  };

  private refreshWhenStale(): void {
    if (this.loading || Date.now() - this.loadedAt < (this.options.maxAgeMs ?? 10_000)) return;
    this.loading = this.refresh()
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => (this.loading = null));
  }
}

function withinWindow(experiment: ExperimentDefinition, now: Date): boolean {
  if (experiment.starts_at && now < new Date(experiment.starts_at)) return false;
  if (experiment.stops_at && now >= new Date(experiment.stops_at)) return false;
  return true;
}
