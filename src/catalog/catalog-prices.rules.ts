import { formatMoney } from '../shared/money';
import type { CatalogProblem } from './catalog-problem';
import type { Catalog, Interval, PriceMap } from './catalog.types';
import { isPlanItem } from './catalog.types';
import { checkMinorAmount, isMinorAmount } from './minor-amount.rules';

/**
 * NOTE: Stripe refuses to charge less than a minimum per currency (about USD 0.50);
 * a price below it could never be paid. Amounts in minor units.
 * https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts
 */
export const STRIPE_MINIMUM_CHARGE: Readonly<Record<string, number>> = {
  usd: 50,
  eur: 50,
  gbp: 30,
  jpy: 50,
  inr: 50,
  brl: 50,
  aud: 50,
  cad: 50,
  chf: 50,
  sgd: 50,
  nzd: 50,
  mxn: 1000,
  pln: 200,
  sek: 300,
  nok: 300,
  dkk: 250,
  czk: 1500,
  huf: 17500,
  aed: 200,
  thb: 1000,
  myr: 200,
  hkd: 400,
};

/** Every price is in every currency a price list needs, paid amounts are chargeable, annual prices save. */
export function priceProblems(catalog: Catalog): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const needed = neededCurrencies(catalog);
  const checkMap = (path: string, map: PriceMap) => {
    for (const [currency, reason] of needed) {
      if (map[currency] === undefined) problems.push({ path, message: `missing ${currency}, needed by ${reason}` });
    }
    for (const [currency, amount] of Object.entries(map)) {
      const amountProblem = checkMinorAmount(amount, currency);
      if (amountProblem) {
        problems.push({ path: `${path}.${currency}`, message: amountProblem });
        continue;
      }
      const minimum = STRIPE_MINIMUM_CHARGE[currency];
      if (amount === 0)
        problems.push({
          path: `${path}.${currency}`,
          message: 'a paid price cannot be 0 (leave prices out for a free plan)',
        });
      else if (minimum !== undefined && amount < minimum) {
        problems.push({
          path: `${path}.${currency}`,
          message: `below Stripe's minimum charge of ${formatMoney(minimum, currency, 'en')}`,
        });
      }
    }
  };

  catalog.plans.forEach((plan, i) => {
    if (!plan.prices) return;
    if (!plan.prices.month) problems.push({ path: `plans[${i}].prices`, message: 'a paid plan needs a month price' });
    if (!plan.prices.year) problems.push({ path: `plans[${i}].prices`, message: 'a paid plan needs a year price' });
    for (const interval of ['month', 'year'] as const) {
      const map = plan.prices[interval];
      if (map) checkMap(`plans[${i}].prices.${interval}`, map);
    }
    problems.push(...annualSavingProblems(`plans[${i}].prices`, plan.prices.month, plan.prices.year));
  });

  catalog.add_ons.forEach((addOn, i) => {
    if (addOn.type === 'one_time') return checkMap(`add_ons[${i}].price`, addOn.price);
    for (const interval of ['month', 'year'] as const) {
      const map = addOn.prices[interval];
      if (map) checkMap(`add_ons[${i}].prices.${interval}`, map);
    }
    problems.push(...annualSavingProblems(`add_ons[${i}].prices`, addOn.prices.month, addOn.prices.year));
  });

  catalog.bundles.forEach((bundle, i) => {
    bundle.items.forEach((item, j) => {
      const path = `bundles[${i}].items[${j}]`;
      if (isPlanItem(item)) {
        const plan = catalog.plans.find((p) => p.code === item.plan);
        if (plan && !plan.prices?.[bundle.interval])
          problems.push({ path, message: `plan "${item.plan}" has no ${bundle.interval} price` });
        return;
      }
      const addOn = catalog.add_ons.find((a) => a.code === item.add_on);
      if (addOn?.type === 'recurring' && !addOn.prices[bundle.interval]) {
        problems.push({ path, message: `add-on "${item.add_on}" has no ${bundle.interval} price` });
      }
      if (addOn && !addOn.per_unit && item.quantity > 1)
        problems.push({ path: `${path}.quantity`, message: `add-on "${item.add_on}" is not sold per unit` });
    });
  });
  return problems;
}

/** Currency → why it is needed ("price list india", "default_currency"). */
function neededCurrencies(catalog: Catalog): Map<string, string> {
  const needed = new Map<string, string>([[catalog.default_currency, 'default_currency']]);
  for (const list of catalog.price_lists) {
    if (!needed.has(list.currency)) needed.set(list.currency, `price list "${list.code}"`);
  }
  return needed;
}

function annualSavingProblems(path: string, month: PriceMap | undefined, year: PriceMap | undefined): CatalogProblem[] {
  if (!month || !year) return [];
  return Object.entries(year)
    .filter(([currency, annual]) => {
      const monthly = month[currency];
      return isMinorAmount(annual) && isMinorAmount(monthly) && annual > 12 * monthly;
    })
    .map(([currency]) => ({
      path: `${path}.year.${currency}`,
      message: 'the annual price is more than 12 × the monthly price',
    }));
}

export function priceFor(
  prices: { month?: PriceMap; year?: PriceMap } | undefined,
  interval: Interval,
  currency: string,
): number | undefined {
  return prices?.[interval]?.[currency];
}
