import type { Catalog } from '../catalog/catalog.types';
import { collectedRevenue, type CollectedRevenue, type CollectedRow } from './collected-revenue';
import { lifetimeValue, type LifetimeValue } from './lifetime-value';
import { monthlyValue } from './monthly-value';
import {
  mrrMovements,
  type Cancellation,
  type MrrMovements,
  type PurchaseRecord,
  type RenewalChangeRecord,
} from './mrr-movements';
import type { Period, SubscriptionRow } from './analytics.repository';

const PAYING = new Set(['active', 'past_due']);

export interface RevenueReport {
  period: { from: string; to: string };
  mrr: Array<{ currency: string; mrr: number; paying_accounts: number }>;
  movements: MrrMovements[];
  collected: CollectedRevenue[];
  lifetime_value: LifetimeValue[];
  add_on_attach_rate: number | null;
  guarantee_refund_rate: number | null;
}

/**
 * MRR now (from the subscription mirror, i.e. Stripe's state), its movements over the period, the
 * money collected (purchases and renewals, net of refunds), ARPA, churn and lifetime value per
 * currency, add-on attach rate and the guarantee refund rate.
 */
export function revenueReport(input: {
  catalog: Catalog;
  period: Period;
  purchases: readonly PurchaseRecord[];
  subscriptions: readonly SubscriptionRow[];
  cancellations: readonly Cancellation[];
  renewalChanges: readonly RenewalChangeRecord[];
  collected: readonly CollectedRow[];
  refundCounts: { purchases: number; refunded: number };
  grossMargin: number;
}): RevenueReport {
  const { catalog, period } = input;
  const paying = input.subscriptions.filter(
    (s) => PAYING.has(s.status) && monthlyValue(catalog, s.holding, s.currency) > 0,
  );
  const currencies = [...new Set(input.subscriptions.map((s) => s.currency))].sort();
  const mrr = currencies.map((currency) => {
    const own = paying.filter((s) => s.currency === currency);
    return {
      currency,
      mrr: Math.round(own.reduce((sum, s) => sum + monthlyValue(catalog, s.holding, currency), 0)),
      paying_accounts: own.length,
    };
  });
  const lifetime = mrr.map((m) => {
    const own = input.subscriptions.filter((s) => s.currency === m.currency);
    const payingAtStart = own.filter(
      (s) => s.createdAt < period.from && (!s.endedAt || s.endedAt >= period.from),
    ).length;
    const churnedAccounts = input.cancellations.filter(
      (c) => c.currency === m.currency && c.endedAt >= period.from && c.endedAt < period.to,
    ).length;
    return lifetimeValue(
      { currency: m.currency, mrr: m.mrr, payingAccounts: m.paying_accounts, payingAtStart, churnedAccounts },
      input.grossMargin,
    );
  });
  const withAddOn = paying.filter((s) => (s.holding.items ?? []).some((i) => i.kind === 'add_on')).length;
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    mrr,
    movements: mrrMovements(catalog, input.purchases, input.cancellations, period, input.renewalChanges),
    collected: collectedRevenue(input.collected),
    lifetime_value: lifetime,
    add_on_attach_rate: paying.length > 0 ? withAddOn / paying.length : null,
    guarantee_refund_rate:
      input.refundCounts.purchases > 0 ? input.refundCounts.refunded / input.refundCounts.purchases : null,
  };
}
