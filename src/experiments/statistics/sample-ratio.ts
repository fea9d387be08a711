import { chiSquareGoodnessOfFit } from './chi-square';

/** NOTE: an SRM alarm needs strong evidence: a test run continuously would cry wolf at 0.05. */
export const SRM_ALPHA = 0.001;

export interface SampleRatioCheck {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** The split differs from the planned weights beyond chance: the results cannot be trusted. */
  mismatch: boolean;
}

/** Sample-ratio mismatch: do the exposures per arm match the planned weights? */
export function sampleRatioCheck(exposures: readonly number[], weights: readonly number[]): SampleRatioCheck {
  const result = chiSquareGoodnessOfFit(exposures, weights);
  return { ...result, mismatch: result.pValue < SRM_ALPHA };
}
