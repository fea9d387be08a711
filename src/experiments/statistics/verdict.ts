import { proportionDifference, twoProportionZTest } from './proportions';

export type VerdictKind =
  | 'sample_ratio_mismatch'
  | 'guardrail_breach'
  | 'insufficient_sample'
  | 'no_difference'
  | 'b_ahead'
  | 'a_ahead';

export interface Counts {
  successes: number;
  trials: number;
}

export interface GuardrailInput {
  metric: string;
  /** Lower is better (refunds, dismissals): a breach is the treatment being surely worse. */
  control: Counts;
  treatment: Counts;
  /** The absolute increase tolerated before it counts as a breach (0 by default). */
  tolerance?: number;
}

export interface VerdictInput {
  control: Counts;
  treatment: Counts;
  /** Exposures each arm needs before any winner may be called. */
  plannedSampleSizePerVariant: number;
  alpha?: number;
  sampleRatioMismatch?: boolean;
  guardrails?: GuardrailInput[];
}

export interface Verdict {
  kind: VerdictKind;
  words: string;
  /** Guardrails the treatment surely made worse. */
  breached: string[];
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The plain-words reading of an experiment. NOTE: a winner is never called before both arms reach
 * the planned sample size — peeking at a running test and stopping at the first p < 0.05 inflates
 * false positives many times over. Broken splits and guardrail breaches are reported at once.
 */
export function experimentVerdict(input: VerdictInput): Verdict {
  const alpha = input.alpha ?? 0.05;
  if (input.sampleRatioMismatch)
    return {
      kind: 'sample_ratio_mismatch',
      words: 'The split between variants does not match the planned weights; fix assignment before reading results.',
      breached: [],
    };
  const breached = (input.guardrails ?? []).filter((g) => isBreached(g, alpha)).map((g) => g.metric);
  if (breached.length > 0)
    return {
      kind: 'guardrail_breach',
      words: `Variant B makes ${breached.join(' and ')} worse beyond chance; stop or rethink it whatever the conversions say.`,
      breached,
    };
  const planned = input.plannedSampleSizePerVariant;
  const smallest = Math.min(input.control.trials, input.treatment.trials);
  if (smallest < planned)
    return {
      kind: 'insufficient_sample',
      words: `Too early to call: ${smallest} of ${planned} planned exposures in the smaller arm.`,
      breached,
    };
  const test = twoProportionZTest(input.control, input.treatment);
  const difference = proportionDifference(input.control, input.treatment);
  if (test.pValue >= alpha)
    return {
      kind: 'no_difference',
      words: `No difference detected (p = ${test.pValue.toFixed(3)}); the change is between ${percent(difference.lower)} and ${percent(difference.upper)}.`,
      breached,
    };
  const bAhead = test.z > 0;
  return {
    kind: bAhead ? 'b_ahead' : 'a_ahead',
    words: `${bAhead ? 'B' : 'A'} converts better (p = ${test.pValue.toFixed(4)}): B − A is ${percent(difference.difference)}, between ${percent(difference.lower)} and ${percent(difference.upper)}.`,
    breached,
  };
}

function isBreached(guardrail: GuardrailInput, alpha: number): boolean {
  if (guardrail.control.trials === 0 || guardrail.treatment.trials === 0) return false;
  const test = twoProportionZTest(guardrail.control, guardrail.treatment);
  const difference = proportionDifference(guardrail.control, guardrail.treatment);
  return test.pValue < alpha && difference.lower > (guardrail.tolerance ?? 0);
}
