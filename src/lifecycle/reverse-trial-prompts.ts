import type { Catalog } from '../catalog/catalog.types';
import type { MessagesByLocale } from '../catalog/catalog-messages';
import { findPlan } from '../catalog/catalog-lookup';
import { featureValue } from '../catalog/feature-value-words';
import { createTranslator, type Translator } from '../catalog/translator';
import { FREE_PLAN } from '../usage/plan-limits';
import type { ReverseTrial } from './reverse-trials.repository';

/** The "last days" prompt shows this long before the end; the "it ended" one this long after. */
const ENDING_NOTICE_MS = 3 * 86_400_000;
const ENDED_SHOWN_MS = 7 * 86_400_000;

export interface ReverseTrialChange {
  feature: string;
  /** What the trial grants (a limit, or true for an included feature). */
  trial: number | 'unlimited' | boolean;
  free: number | 'unlimited' | boolean;
}

export interface ReverseTrialPrompt {
  id: string;
  kind: 'reverse_trial_ending' | 'reverse_trial_ended';
  plan: string;
  ends_at: string;
  falls_back_to: string;
  /** What differs between the trial's plan and Free, feature by feature. */
  changes: ReverseTrialChange[];
  /** What the account keeps: its data and usage, untouched. */
  kept: 'all_data';
  message: string;
}

/**
 * During a reverse trial's last three days: what changes and when ("On <date> your account
 * returns to Free: 3 projects instead of Unlimited …"); for a week after its end: that it ended
 * and that the data was kept. Neither once the account converted or holds a subscription.
 */
export function reverseTrialPrompt(
  deps: { catalog: Catalog; messages: MessagesByLocale },
  trial: ReverseTrial | null,
  account: { id: string; locale: string; subscribed: boolean },
  now: Date,
): ReverseTrialPrompt | null {
  if (!trial || trial.outcome === 'converted' || account.subscribed) return null;
  const left = trial.endsAt.getTime() - now.getTime();
  const kind = left > 0 ? 'reverse_trial_ending' : 'reverse_trial_ended';
  if (left > ENDING_NOTICE_MS || -left >= ENDED_SHOWN_MS) return null;
  const tr = createTranslator(deps.messages, account.locale);
  const changes = changesOf(deps.catalog, trial.planCode);
  const date = new Intl.DateTimeFormat(tr.formatLocale, { dateStyle: 'long', timeZone: 'UTC' }).format(trial.endsAt);
  const values = { date, plan: tr.t(`plans.${trial.planCode}.name`), free: tr.t(`plans.${FREE_PLAN}.name`) };
  const message =
    kind === 'reverse_trial_ending'
      ? tr.t('lifecycle.reverse_trial_ending', { ...values, changes: changesText(deps.catalog, changes, tr) })
      : tr.t('lifecycle.reverse_trial_ended', values);
  return {
    id: `rvt_${account.id}_${kind === 'reverse_trial_ending' ? 'ending' : 'ended'}`,
    kind,
    plan: trial.planCode,
    ends_at: trial.endsAt.toISOString(),
    falls_back_to: FREE_PLAN,
    changes,
    kept: 'all_data',
    message,
  };
}

function changesOf(catalog: Catalog, planCode: string): ReverseTrialChange[] {
  const trialPlan = findPlan(catalog, planCode);
  const free = findPlan(catalog, FREE_PLAN);
  if (!trialPlan || !free) return [];
  const changes: ReverseTrialChange[] = [];
  for (const feature of catalog.features) {
    if (feature.type === 'metered') {
      const trialLimit = trialPlan.limits[feature.code] ?? 0;
      const freeLimit = free.limits[feature.code] ?? 0;
      if (trialLimit !== freeLimit) changes.push({ feature: feature.code, trial: trialLimit, free: freeLimit });
    } else if (trialPlan.includes.includes(feature.code) && !free.includes.includes(feature.code)) {
      changes.push({ feature: feature.code, trial: true, free: false });
    }
  }
  return changes;
}

function changesText(catalog: Catalog, changes: readonly ReverseTrialChange[], tr: Translator): string {
  const list = new Intl.ListFormat(tr.formatLocale, { type: 'conjunction' });
  const limits: string[] = [];
  const lost: string[] = [];
  for (const change of changes) {
    const feature = catalog.features.find((candidate) => candidate.code === change.feature);
    if (!feature) continue;
    if (feature.type === 'boolean') {
      lost.push(tr.t(`features.${feature.code}`));
      continue;
    }
    const words = (limit: ReverseTrialChange['trial']) =>
      featureValue(feature, typeof limit === 'boolean' ? 0 : limit, false, tr).words;
    limits.push(tr.t('lifecycle.reverse_trial_limit', { free: words(change.free), trial: words(change.trial) }));
  }
  if (lost.length > 0) limits.push(tr.t('lifecycle.reverse_trial_without', { features: list.format(lost) }));
  return list.format(limits);
}
