import type { z } from 'zod';
import { guaranteeProblems } from './catalog-guarantees.rules';
import { referenceProblems } from './catalog-references.rules';
import { reverseTrialProblems } from './catalog-reverse-trial.rules';
import { priceProblems } from './catalog-prices.rules';
import { pathOf, type CatalogProblem } from './catalog-problem';
import { catalogSchema } from './catalog.schema';
import { tierProblems } from './catalog-tiers.rules';
import type { Catalog } from './catalog.types';

export type CatalogValidation = { ok: true; catalog: Catalog } | { ok: false; problems: CatalogProblem[] };

/**
 * Checks a parsed catalog document: its shape, then its meaning (references, tier order,
 * currencies, amounts, guarantees). Every problem is reported at once, each with its path.
 */
export function validateCatalog(raw: unknown): CatalogValidation {
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map(toProblem) };
  const catalog = parsed.data;
  const problems = [
    ...referenceProblems(catalog),
    ...priceProblems(catalog),
    ...tierProblems(catalog),
    ...guaranteeProblems(catalog),
    ...reverseTrialProblems(catalog),
  ];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, catalog };
}

function toProblem(issue: z.core.$ZodIssue): CatalogProblem {
  if (issue.code === 'unrecognized_keys') {
    return {
      path: pathOf([...issue.path, issue.keys[0] ?? '']),
      message: `unknown field(s): ${issue.keys.join(', ')}`,
    };
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // A bundle item or feature that fits no variant: name the closest variant's first complaint.
    const nested = issue.errors.flat()[0];
    if (nested) return toProblem({ ...nested, path: [...issue.path, ...nested.path] } as z.core.$ZodIssue);
  }
  return { path: pathOf(issue.path), message: issue.message };
}
