import type { CatalogProblem } from './catalog-problem';
import type { Catalog, Plan } from './catalog.types';

/** The plan a new account's reverse trial grants, with its days; null when the catalog offers none. */
export function reverseTrialPlan(catalog: Catalog): { plan: Plan; days: number } | null {
  const plan = catalog.plans.find((candidate) => candidate.reverse_trial_days > 0);
  return plan ? { plan, days: plan.reverse_trial_days } : null;
}

/**
 * A reverse trial grants a paid plan to a Free account: never the free plan itself, and at most
 * one plan per catalog (a new account starts one reverse trial, of one plan).
 */
export function reverseTrialProblems(catalog: Catalog): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  let first: string | null = null;
  catalog.plans.forEach((plan, i) => {
    if (plan.reverse_trial_days === 0) return;
    const path = `plans[${i}].reverse_trial_days`;
    if (!plan.prices) problems.push({ path, message: 'a reverse trial needs a paid plan: this one is free' });
    if (first !== null) {
      problems.push({ path, message: `only one plan may have a reverse trial ("${first}" already has one)` });
    } else first = plan.code;
  });
  return problems;
}
