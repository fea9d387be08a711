import type { CatalogProblem } from './catalog-problem';
import type { Catalog } from './catalog.types';
import { bundleItemCode, isPlanItem } from './catalog.types';

/** Every code in the catalog names something that exists, and exists once. */
export function referenceProblems(catalog: Catalog): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const metered = new Set(catalog.features.filter((f) => f.type === 'metered').map((f) => f.code));
  const booleans = new Set(catalog.features.filter((f) => f.type === 'boolean').map((f) => f.code));
  const plans = new Set(catalog.plans.map((p) => p.code));
  const addOns = new Set(catalog.add_ons.map((a) => a.code));

  duplicates(catalog.features, 'features', add);
  duplicates(catalog.plans, 'plans', add);
  duplicates(catalog.add_ons, 'add_ons', add);
  duplicates(catalog.bundles, 'bundles', add);
  duplicates(catalog.price_lists, 'price_lists', add);
  catalog.add_ons.forEach((a, i) => {
    if (plans.has(a.code)) add(`add_ons[${i}].code`, `"${a.code}" is already a plan code`);
  });

  const checkMetered = (path: string, code: string) => {
    if (metered.has(code)) return;
    add(path, booleans.has(code) ? `"${code}" is a boolean feature, not a metered one` : `unknown feature "${code}"`);
  };
  const checkBoolean = (path: string, code: string) => {
    if (booleans.has(code)) return;
    add(
      path,
      metered.has(code) ? `"${code}" is a metered feature: give it a limit instead` : `unknown feature "${code}"`,
    );
  };

  catalog.plans.forEach((plan, i) => {
    for (const code of Object.keys(plan.limits)) checkMetered(`plans[${i}].limits.${code}`, code);
    for (const code of metered) {
      if (!(code in plan.limits))
        add(`plans[${i}].limits`, `no limit for metered feature "${code}" (use a number or unlimited)`);
    }
    plan.includes.forEach((code, j) => checkBoolean(`plans[${i}].includes[${j}]`, code));
  });

  catalog.add_ons.forEach((addOn, i) => {
    for (const code of Object.keys(addOn.adds)) checkMetered(`add_ons[${i}].adds.${code}`, code);
    addOn.enables.forEach((code, j) => checkBoolean(`add_ons[${i}].enables[${j}]`, code));
    addOn.available_on?.forEach((code, j) => {
      if (!plans.has(code)) add(`add_ons[${i}].available_on[${j}]`, `unknown plan "${code}"`);
    });
  });

  catalog.bundles.forEach((bundle, i) => {
    const codes = bundle.items.map(bundleItemCode);
    bundle.items.forEach((item, j) => {
      const code = bundleItemCode(item);
      if (isPlanItem(item) && !plans.has(code)) add(`bundles[${i}].items[${j}].plan`, `unknown plan "${code}"`);
      if (!isPlanItem(item) && !addOns.has(code)) add(`bundles[${i}].items[${j}].add_on`, `unknown add-on "${code}"`);
      if (codes.indexOf(code) !== j) add(`bundles[${i}].items[${j}]`, `"${code}" appears twice in the bundle`);
    });
    if (bundle.items.filter(isPlanItem).length > 1) add(`bundles[${i}].items`, 'a bundle holds at most one plan');
    bundle.discount.applies_to.forEach((code, j) => {
      if (!codes.includes(code))
        add(`bundles[${i}].discount.applies_to[${j}]`, `"${code}" is not an item of this bundle`);
    });
  });

  const listCodes = new Set(catalog.price_lists.map((l) => l.code));
  if (!listCodes.has(catalog.default_price_list)) {
    add('default_price_list', `unknown price list "${catalog.default_price_list}"`);
  }
  const countryOwner = new Map<string, string>();
  catalog.price_lists.forEach((list, i) => {
    list.countries.forEach((country, j) => {
      const owner = countryOwner.get(country);
      if (owner) add(`price_lists[${i}].countries[${j}]`, `${country} is already on price list "${owner}"`);
      else countryOwner.set(country, list.code);
    });
  });
  return problems;
}

function duplicates(
  items: ReadonlyArray<{ code: string }>,
  section: string,
  add: (path: string, message: string) => void,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.code);
    if (first === undefined) seen.set(item.code, i);
    else add(`${section}[${i}].code`, `duplicate code "${item.code}" (first used at ${section}[${first}])`);
  });
}
