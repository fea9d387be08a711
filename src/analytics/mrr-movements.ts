import type { Catalog } from '../catalog/catalog.types';
import { monthlyValue, type Holding } from './monthly-value';

/** A paid change as billing recorded it, with what Stripe later refunded of its charge. */
export interface PurchaseRecord {
  accountId: string;
  paidAt: Date;
  currency: string;
  previous: Holding;
  bought: Holding;
  /** When the charge was (fully) refunded: the change was reversed (money-back guarantee). */
  refundedAt: Date | null;
}

export interface Cancellation {
  accountId: string;
  /** When the cancelled subscription began. */
  startedAt: Date;
  /** When it stopped (Stripe's `ended_at`): a cancellation at period end churns at the period end, not when asked. */
  endedAt: Date;
  currency: string;
  holding: Holding;
}

/** A change of holding Stripe applied at a renewal with no purchase behind it (a scheduled downgrade's next phase). */
export interface RenewalChangeRecord {
  accountId: string;
  effectiveAt: Date;
  /** When the mirror learned of it (a paid change in between tells what the renewal itself changed). */
  recordedAt: Date;
  currency: string;
  previous: Holding;
  current: Holding;
}

export interface MrrMovements {
  currency: string;
  new: number;
  expansion: number;
  contraction: number;
  churn: number;
  net: number;
}

/**
 * MRR movements of a period [from, to) per currency, in minor units: a purchase from nothing is
 * new, up is expansion, down is contraction; a cancellation is churn when the subscription ends;
 * a change Stripe applies at a renewal (a scheduled downgrade) moves MRR at that renewal.
 * NOTE: a refunded purchase reverses its movement when the refund happens: a refunded upgrade is
 * contraction, a refunded first purchase churn — so MRR never keeps money Stripe gave back.
 */
export function mrrMovements(
  catalog: Catalog,
  purchases: readonly PurchaseRecord[],
  cancellations: readonly Cancellation[],
  period: { from: Date; to: Date },
  renewalChanges: readonly RenewalChangeRecord[] = [],
): MrrMovements[] {
  const within = (at: Date | null) => at !== null && at >= period.from && at < period.to;
  const byCurrency = new Map<string, MrrMovements>();
  const row = (currency: string) => {
    let r = byCurrency.get(currency);
    if (!r) byCurrency.set(currency, (r = { currency, new: 0, expansion: 0, contraction: 0, churn: 0, net: 0 }));
    return r;
  };
  for (const p of purchases) {
    const before = monthlyValue(catalog, p.previous, p.currency);
    const after = monthlyValue(catalog, p.bought, p.currency);
    const delta = after - before;
    const isNew = before === 0 && after > 0;
    if (within(p.paidAt)) {
      const r = row(p.currency);
      if (isNew) r.new += delta;
      else if (delta > 0) r.expansion += delta;
      else if (delta < 0) r.contraction += -delta;
    }
    if (within(p.refundedAt) && delta !== 0) {
      const r = row(p.currency);
      if (isNew) r.churn += delta;
      else if (delta > 0) r.contraction += delta;
      else r.expansion += -delta;
    }
  }
  for (const change of renewalChanges) {
    if (!within(change.effectiveAt)) continue;
    const before = monthlyValue(catalog, change.previous, change.currency);
    const after = monthlyValue(catalog, heldAfterRenewal(change, purchases), change.currency);
    const r = row(change.currency);
    if (before === 0 && after > 0) r.new += after;
    else if (after > before) r.expansion += after - before;
    else r.contraction += before - after;
  }
  for (const c of cancellations)
    if (within(c.endedAt) && !reversedWhole(c, purchases, catalog))
      row(c.currency).churn += monthlyValue(catalog, c.holding, c.currency);
  return [...byCurrency.values()]
    .map((r) => {
      const rounded = {
        ...r,
        new: Math.round(r.new),
        expansion: Math.round(r.expansion),
        contraction: Math.round(r.contraction),
        churn: Math.round(r.churn),
      };
      return { ...rounded, net: rounded.new + rounded.expansion - rounded.contraction - rounded.churn };
    })
    .sort((a, b) => a.currency.localeCompare(b.currency));
}

const HOUR_MS = 3600 * 1000;

/**
 * What the renewal itself left the account with. NOTE: when the mirror learned of the renewal only
 * after a paid change made since (the purchase counts that change), the purchase's `previous` — read
 * from Stripe just before it — is the holding the renewal produced; so nothing is counted twice.
 */
function heldAfterRenewal(change: RenewalChangeRecord, purchases: readonly PurchaseRecord[]): Holding {
  const since = purchases
    .filter(
      (p) =>
        p.accountId === change.accountId &&
        p.currency === change.currency &&
        p.paidAt >= change.effectiveAt &&
        p.paidAt < change.recordedAt,
    )
    .sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime());
  return since[0]?.previous ?? change.current;
}

/**
 * NOTE: a refunded first purchase already counted its churn when refunded; the cancellation that
 * reversal causes (same account, a subscription the purchase started) must not count it again.
 */
function reversedWhole(c: Cancellation, purchases: readonly PurchaseRecord[], catalog: Catalog): boolean {
  return purchases.some(
    (p) =>
      p.accountId === c.accountId &&
      p.refundedAt !== null &&
      p.paidAt.getTime() >= c.startedAt.getTime() - HOUR_MS &&
      monthlyValue(catalog, p.previous, p.currency) === 0,
  );
}
