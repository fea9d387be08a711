import type { CatalogProblem } from './catalog-problem';
import type { Catalog, Limit, Plan } from './catalog.types';
import { isMinorAmount } from './minor-amount.rules';

const rank = (limit: Limit | undefined): number => (limit === 'unlimited' ? Infinity : (limit ?? 0));

/**
 * Plans are listed in tier order (free → pro → premium): each tier gives at least
 * what the tier below gives, and never costs less. A climb that loses something is a
 * catalog mistake, not an upsell.
 */
export function tierProblems(catalog: Catalog): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  catalog.plans.forEach((plan, i) => {
    if (i === 0) return;
    const lower = catalog.plans[i - 1] as Plan;
    const below = `than the tier below ("${lower.code}")`;
    for (const [feature, limit] of Object.entries(plan.limits)) {
      if (rank(limit) < rank(lower.limits[feature])) {
        problems.push({ path: `plans[${i}].limits.${feature}`, message: `tiers out of order: a lower limit ${below}` });
      }
    }
    for (const feature of lower.includes) {
      if (!plan.includes.includes(feature)) {
        problems.push({
          path: `plans[${i}].includes`,
          message: `tiers out of order: lacks "${feature}", which the tier below ("${lower.code}") includes`,
        });
      }
    }
    if (!plan.prices && lower.prices) {
      problems.push({
        path: `plans[${i}].prices`,
        message: `tiers out of order: free, but the tier below ("${lower.code}") is paid`,
      });
    }
    for (const interval of ['month', 'year'] as const) {
      const mine = plan.prices?.[interval] ?? {};
      const theirs = lower.prices?.[interval] ?? {};
      for (const [currency, amount] of Object.entries(mine)) {
        const lowerAmount = theirs[currency];
        if (isMinorAmount(amount) && isMinorAmount(lowerAmount) && amount < lowerAmount) {
          problems.push({
            path: `plans[${i}].prices.${interval}.${currency}`,
            message: `tiers out of order: a lower price ${below}`,
          });
        }
      }
    }
  });
  return problems;
}
