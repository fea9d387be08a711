import { silencedByPriceDecline } from '../../../src/lifecycle/decline-guardrail.rules';
import { resolvePriceList } from '../../../src/catalog/price-lists';
import { inAudience } from '../../../src/offers/offer-audience';
import { applyCaps, historyByRule, promptImportance, ruleSilence } from '../../../src/offers/offer-guardrails';
import { regionsOf, toneProfileFor } from '../../../src/offers/offer-market';
import type { OfferRule } from '../../../src/offers/offer-rules.types';
import { resolveTarget } from '../../../src/offers/offer-target';
import { matchTrigger } from '../../../src/offers/offer-triggers';
import type { DecidedOffer, EvaluationInput, OfferTarget } from '../../../src/offers/offers.types';
import { promptId } from '../../../src/offers/prompt-id';

/**
 * The evaluator as it was before rule sets were compiled (src/offers/compiled-rules.ts), kept
 * verbatim as the model compiled-evaluation.test.ts holds the compiled one to.
 * The heart of Tierlift: which offers (if any) one account should see at one placement now.
 * Pure: rules → trigger, audience, honest target, guardrails → best first by priority and
 * expected value → at most the tone profile's number per placement, within frequency caps.
 */
export function interpretedEvaluateOffers(input: EvaluationInput): DecidedOffer[] {
  const { rules, account, now } = input;
  const tone = toneProfileFor(rules, account.country);
  const regions = regionsOf(rules, account.country);
  const planCode = input.subscription?.planCode ?? 'free';
  // NOTE: the price list follows the subscription's currency when there is one (Stripe cannot mix currencies on a customer).
  const currency = input.subscription?.currency ?? resolvePriceList(input.catalog, account.country).currency;
  const silence = { dismissCooldownDays: tone.profile.dismiss_cooldown_days, snoozeDays: rules.defaults.snooze_days };

  const history = historyByRule(input.history);
  const candidates: DecidedOffer[] = [];
  for (const written of rules.rules) {
    if (!written.enabled) continue;
    if (!inAudience(written.audience, { account, planCode, role: input.role }, rules)) continue;
    // NOTE: assignment is a pure hash, so asking before the placement and trigger lets a variant move them.
    const variant = input.assignVariant?.(account, written) ?? null;
    const rule: OfferRule = variant?.overrides ? { ...written, ...variant.overrides } : written;
    if (!rule.placements.includes(input.placement)) continue;
    const match = matchTrigger(rule.trigger, input);
    if (!match) continue;
    if (ruleSilence(rule, history.get(rule.id) ?? [], now, silence).silenced) continue;
    if (variant?.holdout) {
      input.onHeldOut?.(rule, { key: variant.key, variant: variant.variant });
      continue;
    }
    const target = resolveTarget(rule.offer, {
      ...input,
      currency,
      regions,
      triggerFeature: match.reason.feature,
    });
    if (!target) continue;
    if (silencedByPriceDecline(target, input.priceDeclines ?? [], now)) continue;
    candidates.push({
      promptId: promptId(account.id, rule.id, match.periodKey),
      periodKey: match.periodKey,
      rule,
      kind: rule.kind,
      placement: input.placement,
      target,
      reason: match.reason,
      endsAt: match.endsAt,
      ...guaranteeOf(target, rule, input, planCode),
      toneProfile: tone.name,
      copyKey: variant?.copy ?? rule.copy,
      expectedValue: expectedValue(target, rule),
      canPurchase: input.role !== 'member',
      experiment: variant ? { key: variant.key, variant: variant.variant } : null,
    });
  }
  const ranked = distinctTargets(candidates.sort(byPriorityThenValue));
  // NOTE: caps by importance: an earlier, less important prompt never keeps a more important one out.
  const known = new Map(rules.rules.map((r) => [r.id, promptImportance(r)]));
  const importanceOf = (ruleId: string) => known.get(ruleId) ?? Number.MAX_SAFE_INTEGER;
  return applyCaps(ranked, input.history, now, tone.profile.caps, importanceOf).slice(
    0,
    tone.profile.max_per_placement,
  );
}

/**
 * The guarantee a prompt may announce. NOTE: once the guarantees module answers, its answer
 * stands, "none" included; rule data is the fallback before it exists.
 */
function guaranteeOf(
  target: OfferTarget,
  rule: OfferRule,
  input: EvaluationInput,
  planCode: string,
): Pick<DecidedOffer, 'guaranteeDays' | 'guaranteeConditions'> {
  if (input.guarantee) {
    const situation = { planCode, priorClaims: input.refundClaims ?? [], catalog: input.catalog };
    const promised = input.guarantee(target, input.account, situation, input.now);
    return { guaranteeDays: promised.days, guaranteeConditions: promised.conditions };
  }
  if (input.guaranteeDays) return { guaranteeDays: input.guaranteeDays(target, input.account) };
  return { guaranteeDays: rule.guarantee_days ?? null };
}

function byPriorityThenValue(a: DecidedOffer, b: DecidedOffer): number {
  return b.rule.priority - a.rule.priority || b.expectedValue - a.expectedValue || (a.rule.id < b.rule.id ? -1 : 1);
}

/** Two rules offering the very same thing: the better-ranked one speaks. */
function distinctTargets(ranked: DecidedOffer[]): DecidedOffer[] {
  const seen = new Set<string>();
  return ranked.filter((offer) => {
    const key = `${offer.target.type}:${offer.target.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Monthly revenue the offer adds if taken, times the rule's estimated conversion rate. */
export function expectedValue(target: OfferTarget, rule: OfferRule): number {
  const monthly = (amount: number, interval: string) =>
    interval === 'year' ? amount / 12 : interval === 'one_time' ? amount / 12 : amount;
  let gain: number;
  if (target.type === 'plan') gain = monthly(target.amount, target.interval) - monthly(target.currentAmount, 'month');
  else gain = monthly(target.amount, target.interval);
  return Math.max(gain, 0) * rule.conversion_rate;
}
