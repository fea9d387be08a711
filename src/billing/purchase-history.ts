import type { DataSource } from 'typeorm';
import type { BoughtItems, PreviousState } from './quote-stripe-params';

/** What an account bought and when, in catalog terms (for offers: never offer twice, post-purchase prompts). */
export interface PurchasedItem {
  kind: 'plan' | 'add_on';
  code: string;
  at: Date;
}

interface PurchaseRow {
  kind: 'plan_change' | 'add_on' | 'subscription_start' | 'one_time';
  bought: BoughtItems;
  previous: Partial<PreviousState>;
  paid_at: Date;
}

/** Pure: the plan or add-ons each paid change added, a bundle's one-time items included (an add-on already held is not a new purchase). */
export function purchasedItems(rows: PurchaseRow[]): PurchasedItem[] {
  return rows.flatMap((row) => {
    const had = new Set((row.previous.items ?? []).map((item) => `${item.kind}:${item.code}`));
    const planChanged =
      (row.kind === 'plan_change' || row.kind === 'subscription_start') && row.previous.plan !== row.bought.plan;
    const plan: PurchasedItem[] = planChanged ? [{ kind: 'plan', code: row.bought.plan, at: row.paid_at }] : [];
    // NOTE: a bundle's one-time items (training, set-up) are bought too, though never on the subscription.
    const addOns = [...row.bought.items, ...(row.bought.one_time ?? [])]
      .filter((item) => item.kind === 'add_on' && !had.has(`add_on:${item.code}`))
      .map((item): PurchasedItem => ({ kind: 'add_on', code: item.code, at: row.paid_at }));
    return [...plan, ...addOns];
  });
}

export async function purchasesOf(dataSource: DataSource, accountId: string): Promise<PurchasedItem[]> {
  const rows: PurchaseRow[] = await dataSource.query(
    'SELECT kind, bought, previous, paid_at FROM purchases WHERE account_id = $1 ORDER BY paid_at',
    [accountId],
  );
  return purchasedItems(rows);
}
