import type { Caps, OfferRule } from './offer-rules.types';
import type { OfferHistoryEvent } from './offers.types';

const DAY_MS = 24 * 3600 * 1000;

export interface RuleSilence {
  silenced: boolean;
  why?: 'never' | 'snoozed' | 'dismissed' | 'shown_enough';
}

export interface SilenceSettings {
  dismissCooldownDays: number;
  snoozeDays: number;
}

/** The latest time of an event of `type` among `events`; -Infinity when none. */
function latest(events: readonly OfferHistoryEvent[], type: OfferHistoryEvent['type']): number {
  let max = -Infinity;
  for (const e of events) if (e.type === type && e.at.getTime() > max) max = e.at.getTime();
  return max;
}

/** History grouped by rule, once per evaluation: a thousand rules must not each scan it. */
export function historyByRule(history: readonly OfferHistoryEvent[]): Map<string, OfferHistoryEvent[]> {
  const byRule = new Map<string, OfferHistoryEvent[]>();
  for (const event of history) {
    const list = byRule.get(event.ruleId);
    if (list) list.push(event);
    else byRule.set(event.ruleId, [event]);
  }
  return byRule;
}

/**
 * Whether the customer has asked not to see this rule (never; a snooze or a dismissal still
 * cooling down), or has seen it as often as it may be shown. Pure. `history` may hold other
 * rules' events too; only this rule's count.
 */
export function ruleSilence(
  rule: OfferRule,
  history: readonly OfferHistoryEvent[],
  now: Date,
  settings: SilenceSettings,
): RuleSilence {
  const mine = history.filter((e) => e.ruleId === rule.id);
  if (mine.length === 0) return { silenced: false };
  if (mine.some((e) => e.type === 'never')) return { silenced: true, why: 'never' };
  const cooldown = (rule.dismiss_cooldown_days ?? settings.dismissCooldownDays) * DAY_MS;
  if (now.getTime() - latest(mine, 'dismiss') < cooldown) return { silenced: true, why: 'dismissed' };
  if (now.getTime() - latest(mine, 'snooze') < settings.snoozeDays * DAY_MS) return { silenced: true, why: 'snoozed' };
  if (rule.max_impressions !== undefined) {
    const days = new Set(mine.filter((e) => e.type === 'impression').map((e) => Math.floor(e.at.getTime() / DAY_MS)));
    const shownToday = days.has(Math.floor(now.getTime() / DAY_MS));
    if (days.size >= rule.max_impressions && !shownToday) return { silenced: true, why: 'shown_enough' };
  }
  return { silenced: false };
}

/**
 * How much a rule's prompt matters to the customer, for the caps (not for ranking at a placement,
 * which is `priority`): a limit reached blocks work (3); usage near a limit warns of it (2); a
 * feature gate answers a click on something the plan lacks (1); every other moment is a suggestion (0).
 */
export function promptImportance(rule: OfferRule): number {
  const trigger = rule.trigger;
  if (trigger.type === 'usage_threshold') return trigger.percent >= 100 ? 3 : 2;
  return trigger.type === 'feature_gate' ? 1 : 0;
}

/**
 * Frequency caps: at most `per_day` distinct prompts in any 24 hours and `per_week` in any
 * 7 days. A prompt already shown inside both windows may be shown again (a page reload is not
 * a new prompt); new ones fill what room is left. Candidates come best first.
 *
 * Caps by importance: only prompts at least as important as a candidate count against it, so
 * a less important prompt seen earlier (a feature-gate hint) never uses up the room of a more
 * important one (limit reached). `importanceOf` gives a rule's importance (its priority); a
 * prompt of a rule no longer known counts as most important. Without it, every prompt counts.
 */
export function applyCaps<T extends { promptId: string; rule?: { id: string } }>(
  candidates: readonly T[],
  history: readonly OfferHistoryEvent[],
  now: Date,
  caps: Caps,
  importanceOf: (ruleId: string) => number = () => 0,
): T[] {
  const shownSince = (ms: number) => {
    const shown = new Map<string, number>();
    for (const e of history)
      if (e.type === 'impression' && now.getTime() - e.at.getTime() < ms) shown.set(e.promptId, importanceOf(e.ruleId));
    return shown;
  };
  const day = shownSince(DAY_MS);
  const week = shownSince(7 * DAY_MS);
  const counted = (shown: Map<string, number>, importance: number) => {
    let n = 0;
    for (const other of shown.values()) if (other >= importance) n += 1;
    return n;
  };
  const kept: T[] = [];
  for (const candidate of candidates) {
    const importance = candidate.rule ? importanceOf(candidate.rule.id) : 0;
    const newToday = !day.has(candidate.promptId);
    const newThisWeek = !week.has(candidate.promptId);
    if (
      (newToday && counted(day, importance) >= caps.per_day) ||
      (newThisWeek && counted(week, importance) >= caps.per_week)
    )
      continue;
    day.set(candidate.promptId, importance);
    week.set(candidate.promptId, importance);
    kept.push(candidate);
  }
  return kept;
}
