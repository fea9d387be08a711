import { regularizedGammaQ } from './gamma-function';

/** P(X ≥ x) for X chi-square distributed with `degrees` degrees of freedom: Q(k/2, x/2). */
export function chiSquareSurvival(x: number, degrees: number): number {
  if (!(degrees > 0)) throw new RangeError(`chi-square needs degrees > 0, got ${degrees}`);
  if (x <= 0) return 1;
  return regularizedGammaQ(degrees / 2, x / 2);
}

export interface ChiSquareResult {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

/**
 * Pearson's goodness-of-fit test: observed counts against expected shares (any positive weights,
 * normalised here; omitted means equal shares). k categories give k − 1 degrees of freedom.
 */
export function chiSquareGoodnessOfFit(
  observed: readonly number[],
  expectedWeights?: readonly number[],
): ChiSquareResult {
  if (observed.length < 2) throw new RangeError('goodness of fit needs at least two categories');
  const weights = expectedWeights ?? observed.map(() => 1);
  if (weights.length !== observed.length) throw new RangeError('observed and expected differ in length');
  const total = observed.reduce((a, b) => a + b, 0);
  const weightTotal = weights.reduce((a, b) => a + b, 0);
  let statistic = 0;
  observed.forEach((count, i) => {
    const expected = (total * (weights[i] as number)) / weightTotal;
    if (expected > 0) statistic += (count - expected) ** 2 / expected;
  });
  const degreesOfFreedom = observed.length - 1;
  return { statistic, degreesOfFreedom, pValue: total === 0 ? 1 : chiSquareSurvival(statistic, degreesOfFreedom) };
}

/** Pearson's test of independence on an r × c table of counts ((r − 1)(c − 1) degrees of freedom, no Yates correction). */
export function chiSquareIndependence(table: readonly (readonly number[])[]): ChiSquareResult {
  const rows = table.map((row) => row.reduce((a, b) => a + b, 0));
  const columnCount = table[0]?.length ?? 0;
  if (table.length < 2 || columnCount < 2) throw new RangeError('independence needs at least a 2 × 2 table');
  const columns = Array.from({ length: columnCount }, (_, j) => table.reduce((sum, row) => sum + (row[j] ?? 0), 0));
  const total = rows.reduce((a, b) => a + b, 0);
  let statistic = 0;
  table.forEach((row, i) =>
    row.forEach((count, j) => {
      const expected = ((rows[i] as number) * (columns[j] as number)) / total;
      if (expected > 0) statistic += (count - expected) ** 2 / expected;
    }),
  );
  const degreesOfFreedom = (table.length - 1) * (columnCount - 1);
  return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) };
}
