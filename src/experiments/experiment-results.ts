import type { ExperimentDefinition } from './experiment.schema';
import type { ExposureOutcome } from './experiment-outcomes.repository';
import {
  proportionDifference,
  relativeUplift,
  twoProportionZTest,
  wilsonInterval,
  type ProportionEstimate,
} from './statistics/proportions';
import { meanDifference, meanInterval, type MeanEstimate } from './statistics/revenue-per-account';
import { sampleRatioCheck } from './statistics/sample-ratio';
import { experimentVerdict, type Counts, type GuardrailInput, type Verdict } from './statistics/verdict';

export interface ArmResult {
  variant: string;
  exposures: number;
  conversions: ProportionEstimate;
  /** Revenue per exposed account in the experiment's currency (minor units). */
  revenuePerAccount: MeanEstimate;
  refunds: ProportionEstimate;
  dismissals: ProportionEstimate;
}

export interface Comparison {
  control: string;
  treatment: string;
  difference: { value: number; lower: number; upper: number };
  relativeUplift: { value: number | null; lower: number; upper: number } | null;
  zTest: { z: number; pValue: number };
  revenueDifference: { value: number; lower: number; upper: number } | null;
  verdict: Verdict;
}

export interface ExperimentResults {
  arms: ArmResult[];
  currency: string | null;
  sampleRatio: { statistic: number; pValue: number; mismatch: boolean };
  comparisons: Comparison[];
  breakdown: { country: Record<string, BreakdownArm[]>; plan: Record<string, BreakdownArm[]> };
}

export interface BreakdownArm {
  variant: string;
  conversions: ProportionEstimate;
}

const count = (outcomes: readonly ExposureOutcome[], pick: (o: ExposureOutcome) => boolean): Counts => ({
  successes: outcomes.filter(pick).length,
  trials: outcomes.length,
});

/**
 * An experiment's results from its exposed accounts' outcomes: per arm conversion (Wilson),
 * revenue per exposed account (t interval), refund and dismiss rates; each variant against the
 * first (the control) with the Newcombe difference, relative uplift, z-test and the plain-words
 * verdict; the sample-ratio check over the variants (holdout excluded); breakdowns by country and plan.
 */
export function experimentResults(
  definition: ExperimentDefinition,
  outcomes: readonly ExposureOutcome[],
): ExperimentResults {
  const currency = mostCommonCurrency(outcomes);
  const arms = [...definition.variants.map((v) => v.key), ...(definition.holdout > 0 ? ['holdout'] : [])];
  const byArm = new Map(arms.map((arm) => [arm, outcomes.filter((o) => o.variant === arm)]));
  const results: ArmResult[] = arms.map((variant) => {
    const own = byArm.get(variant) ?? [];
    const converted = own.filter((o) => o.converted);
    const refunds = count(converted, (o) => o.refunded);
    const dismissals = count(own, (o) => o.dismissed);
    const conversions = count(own, (o) => o.converted);
    return {
      variant,
      exposures: own.length,
      conversions: wilsonInterval(conversions.successes, conversions.trials),
      revenuePerAccount: meanInterval(own.map((o) => (o.currency === null || o.currency === currency ? o.revenue : 0))),
      refunds: wilsonInterval(refunds.successes, refunds.trials),
      dismissals: wilsonInterval(dismissals.successes, dismissals.trials),
    };
  });
  const variantArms = results.slice(0, definition.variants.length);
  const srm = sampleRatioCheck(
    variantArms.map((a) => a.exposures),
    definition.variants.map((v) => v.weight),
  );
  const [control, ...treatments] = variantArms;
  const comparisons = control
    ? treatments.map((treatment) => compare(definition, control, treatment, srm.mismatch))
    : [];
  return {
    arms: results,
    currency,
    sampleRatio: { statistic: srm.statistic, pValue: srm.pValue, mismatch: srm.mismatch },
    comparisons,
    breakdown: { country: breakdown(outcomes, arms, (o) => o.country), plan: breakdown(outcomes, arms, (o) => o.plan) },
  };
}

function compare(
  definition: ExperimentDefinition,
  control: ArmResult,
  treatment: ArmResult,
  mismatch: boolean,
): Comparison {
  const a = { successes: control.conversions.successes, trials: control.exposures };
  const b = { successes: treatment.conversions.successes, trials: treatment.exposures };
  const difference = proportionDifference(a, b);
  const uplift = relativeUplift(a, b);
  const revenue = meanDifference(control.revenuePerAccount, treatment.revenuePerAccount);
  const guardrails: GuardrailInput[] = definition.guardrail_metrics.map((metric) => {
    const pick = (arm: ArmResult) => (metric === 'refund_rate' ? arm.refunds : arm.dismissals);
    return { metric, control: pick(control), treatment: pick(treatment) };
  });
  const primaryIsRevenue = definition.primary_metric.type === 'revenue_per_account';
  const verdict = experimentVerdict({
    control: a,
    treatment: b,
    plannedSampleSizePerVariant: definition.planned_sample_size,
    sampleRatioMismatch: mismatch,
    guardrails,
  });
  return {
    control: control.variant,
    treatment: treatment.variant,
    difference: { value: difference.difference, lower: difference.lower, upper: difference.upper },
    relativeUplift: uplift ? { value: uplift.uplift, lower: uplift.lower, upper: uplift.upper } : null,
    zTest: twoProportionZTest(a, b),
    revenueDifference: revenue ? { value: revenue.difference, lower: revenue.lower, upper: revenue.upper } : null,
    verdict: primaryIsRevenue ? revenueVerdict(verdict, revenue) : verdict,
  };
}

/** With revenue as the primary metric, the winner is read from the revenue interval instead of the z-test. */
function revenueVerdict(verdict: Verdict, revenue: ReturnType<typeof meanDifference>): Verdict {
  if (!['b_ahead', 'a_ahead', 'no_difference'].includes(verdict.kind) || !revenue) return verdict;
  if (revenue.lower > 0)
    return { kind: 'b_ahead', words: 'B earns more per exposed account beyond chance.', breached: [] };
  if (revenue.upper < 0)
    return { kind: 'a_ahead', words: 'A earns more per exposed account beyond chance.', breached: [] };
  return { kind: 'no_difference', words: 'No difference in revenue per exposed account detected.', breached: [] };
}

function breakdown(
  outcomes: readonly ExposureOutcome[],
  arms: readonly string[],
  dimension: (o: ExposureOutcome) => string,
): Record<string, BreakdownArm[]> {
  const values = [...new Set(outcomes.map(dimension))].sort();
  return Object.fromEntries(
    values.map((value) => {
      const inValue = outcomes.filter((o) => dimension(o) === value);
      return [
        value,
        arms.map((variant) => {
          const c = count(
            inValue.filter((o) => o.variant === variant),
            (o) => o.converted,
          );
          return { variant, conversions: wilsonInterval(c.successes, c.trials) };
        }),
      ];
    }),
  );
}

function mostCommonCurrency(outcomes: readonly ExposureOutcome[]): string | null {
  const counts = new Map<string, number>();
  for (const o of outcomes) if (o.currency) counts.set(o.currency, (counts.get(o.currency) ?? 0) + 1);
  return [...counts.entries()].sort((x, y) => y[1] - x[1])[0]?.[0] ?? null;
}
