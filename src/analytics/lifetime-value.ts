export interface RevenueSnapshot {
  currency: string;
  /** Monthly recurring revenue now, minor units. */
  mrr: number;
  /** Paying accounts now. */
  payingAccounts: number;
  /** Paying accounts at the start of the period, and how many of them churned during it. */
  payingAtStart: number;
  churnedAccounts: number;
}

export interface LifetimeValue {
  currency: string;
  arpa: number | null;
  churn_rate: number | null;
  gross_margin: number;
  /** ARPA × gross margin ÷ monthly churn rate; null while nobody churned (unbounded). */
  cltv: number | null;
}

/** ARPA (MRR per paying account) and lifetime value = ARPA × gross margin ÷ churn rate. */
export function lifetimeValue(snapshot: RevenueSnapshot, grossMargin: number): LifetimeValue {
  const arpa = snapshot.payingAccounts > 0 ? snapshot.mrr / snapshot.payingAccounts : null;
  const churnRate = snapshot.payingAtStart > 0 ? snapshot.churnedAccounts / snapshot.payingAtStart : null;
  const cltv = arpa !== null && churnRate ? Math.round((arpa * grossMargin) / churnRate) : null;
  return {
    currency: snapshot.currency,
    arpa: arpa === null ? null : Math.round(arpa),
    churn_rate: churnRate,
    gross_margin: grossMargin,
    cltv,
  };
}
