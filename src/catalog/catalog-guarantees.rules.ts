import type { CatalogProblem } from './catalog-problem';
import type { Catalog } from './catalog.types';
import { guaranteesSchema } from './guarantee-policy.schema';

/**
 * Pure: guarantee policies that could not be honoured as written. A one-time package has no
 * period, so its "unused part" means nothing; "not started" only applies to one-time packages;
 * a regional minimum names each region once.
 */
export function guaranteeProblems(catalog: Catalog): CatalogProblem[] {
  const parsed = guaranteesSchema.safeParse(catalog.guarantees);
  if (!catalog.guarantees || !parsed.success) return [];
  const guarantees = parsed.data;
  const problems: CatalogProblem[] = [];
  if (guarantees.one_time?.refund === 'unused_part')
    problems.push({
      path: 'guarantees.one_time.refund',
      message: 'a one-time package has no unused part: full_charge',
    });
  for (const kind of ['plan_upgrade', 'recurring_add_on'] as const) {
    if (guarantees[kind]?.conditions.not_started)
      problems.push({
        path: `guarantees.${kind}.conditions.not_started`,
        message: 'only a one-time package has a start date',
      });
  }
  const seen = new Set<string>();
  guarantees.regions.forEach((region, i) => {
    if (seen.has(region.code))
      problems.push({ path: `guarantees.regions[${i}].code`, message: `region "${region.code}" is listed twice` });
    seen.add(region.code);
  });
  return problems;
}
