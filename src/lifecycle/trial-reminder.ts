import type { DataSource } from 'typeorm';
import { intervalAmount } from '../catalog/price-lists';
import type { Catalog } from '../catalog/catalog.types';
import { formatMoney } from '../shared/money';

/** Stripe sends `customer.subscription.trial_will_end` this long before the end (docs.stripe.com/billing/subscriptions/trials). */
const NOTICE_MS = 3 * 86_400_000;

export interface TrialEndingPrompt {
  id: string;
  kind: 'trial_ending';
  plan: string;
  interval: 'month' | 'year';
  ends_at: string;
  first_charge: { amount: number; currency: string; formatted: string };
  cancel: { method: 'POST'; path: '/v1/subscription/cancel' };
}

/**
 * In the last three days of a trial: the first charge (the catalog prices of what the subscription
 * holds, in its currency and interval) and its date, with the one request that cancels.
 */
export async function trialReminder(
  deps: { dataSource: DataSource; catalog: Catalog },
  account: { id: string; locale: string },
  now: Date,
): Promise<TrialEndingPrompt | null> {
  const [row]: Array<{
    id: string;
    plan_code: string;
    interval: 'month' | 'year';
    currency: string;
    trial_end: Date;
    items: Array<{ kind: string; code: string; quantity: number }>;
  }> = await deps.dataSource.query(
    `SELECT id, plan_code, interval, currency, trial_end, items FROM subscriptions
      WHERE account_id = $1 AND status = 'trialing' AND NOT cancel_at_period_end
        AND trial_end > $2 AND trial_end <= $2::timestamptz + make_interval(secs => $3)`,
    [account.id, now, NOTICE_MS / 1000],
  );
  if (!row) return null;
  let amount = 0;
  for (const item of row.items) {
    const product =
      item.kind === 'plan'
        ? deps.catalog.plans.find((plan) => plan.code === item.code)
        : deps.catalog.add_ons.find((addOn) => addOn.code === item.code);
    const prices = product && 'prices' in product ? product.prices : undefined;
    const price = prices ? intervalAmount(prices, row.interval, row.currency) : undefined;
    if (price === undefined) return null;
    amount += price * item.quantity;
  }
  return {
    id: `trl_${row.id}`,
    kind: 'trial_ending',
    plan: row.plan_code,
    interval: row.interval,
    ends_at: new Date(row.trial_end).toISOString(),
    first_charge: { amount, currency: row.currency, formatted: formatMoney(amount, row.currency, account.locale) },
    cancel: { method: 'POST', path: '/v1/subscription/cancel' },
  };
}
