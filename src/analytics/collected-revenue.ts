/** What Stripe collected in a period, per currency, minor units (bigint columns read as strings). */
export interface CollectedRevenue {
  currency: string;
  /** Paid changes (purchases): first subscriptions, upgrades, add-ons, bundles, one-time items. */
  purchases: number;
  /** Paid renewal invoices (`billing_reason = subscription_cycle`): no purchase stands behind them. */
  renewals: number;
  renewal_invoices: number;
  /** Refunded so far of those payments (by a guarantee or elsewhere). */
  refunded: number;
  net: number;
}

export interface CollectedRow {
  currency: string;
  purchases: string | null;
  renewals: string | null;
  renewal_invoices: number;
  refunded: string | null;
}

/** Pure: the report's rows from the repository's sums. */
export function collectedRevenue(rows: readonly CollectedRow[]): CollectedRevenue[] {
  return rows.map((r) => {
    const purchases = Number(r.purchases ?? 0);
    const renewals = Number(r.renewals ?? 0);
    const refunded = Number(r.refunded ?? 0);
    return {
      currency: r.currency,
      purchases,
      renewals,
      renewal_invoices: r.renewal_invoices,
      refunded,
      net: purchases + renewals - refunded,
    };
  });
}
