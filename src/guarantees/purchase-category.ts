import type { PurchaseCategory } from './guarantee.types';

type Item = { kind: 'plan' | 'add_on'; code: string; quantity: number };

/** A purchases row as guarantees read it (billing writes it). */
export interface PurchaseFacts {
  kind: 'plan_change' | 'add_on' | 'subscription_start' | 'one_time';
  bought: { plan?: string; items?: Item[] };
  previous: { plan?: string; items?: Item[] };
}

/**
 * Pure: what a paid change was, in guarantee terms, and the product it bought. A plan change
 * that kept the plan (month → year) is an interval change, never a first purchase; an add-on
 * change buys the first add-on it added or increased.
 */
export function categorise(row: PurchaseFacts): { category: PurchaseCategory; product: string } {
  if (row.kind === 'one_time') return { category: 'one_time', product: `add_on:${firstAdded(row) ?? 'unknown'}` };
  if (row.kind === 'add_on') return { category: 'recurring_add_on', product: `add_on:${firstAdded(row) ?? 'unknown'}` };
  const plan = row.bought.plan ?? 'unknown';
  if (row.kind === 'plan_change' && row.previous.plan === plan)
    return { category: 'interval_change', product: `plan:${plan}` };
  return { category: 'plan_upgrade', product: `plan:${plan}` };
}

function firstAdded(row: PurchaseFacts): string | undefined {
  const had = new Map((row.previous.items ?? []).map((item) => [`${item.kind}:${item.code}`, item.quantity]));
  const added = (row.bought.items ?? []).find(
    (item) => item.kind === 'add_on' && item.quantity > (had.get(`add_on:${item.code}`) ?? 0),
  );
  return added?.code;
}
