/** One invoice line as the ledger reads it: its price, its amount after discounts, the period it covers. */
export interface LedgerLine {
  price: string | null;
  /** Minor units; negative for a credit ("Unused time on …"). */
  amount: number;
  /** Unix seconds; a one-time item covers an empty period (start = end). */
  period: { start: number; end: number };
}

export interface LedgerInput {
  /** The lines of the invoice that paid the purchase. */
  lines: readonly LedgerLine[];
  /** What the purchase's charge captured and what Stripe has refunded of it so far. */
  captured: number;
  refunded: number;
  /** Credit lines (negative) Stripe put on the subscription after the purchase: later invoices and pending items. */
  laterCredits: readonly LedgerLine[];
}

export interface Ledger {
  /** What the purchase's lines came to (after discounts, before the customer balance). */
  paid: number;
  /** Credit Stripe already returned for what the purchase bought (rational, before flooring). */
  returned: number;
  refunded: number;
  /** What a refund may still send to the card, floored to the minor unit. */
  refundable: number;
  /** The period the purchase's recurring lines paid for; null for a one-time purchase. */
  boughtPeriod: { start: number; end: number } | null;
}

/**
 * Pure: what Stripe still holds for one purchase. Refundable = captured for its invoice lines −
 * refunds − credit Stripe already returned for the same items. NOTE: Stripe returns unused time as
 * a credit line on a later invoice (or a pending invoice item), which a negative invoice total turns
 * into customer-balance credit — never cash (docs.stripe.com/billing/subscriptions/prorations).
 * A later credit for a price the purchase debited returns the part of it that falls inside the
 * period the purchase paid for; over that same stretch the credit the purchase itself gave for the
 * items it replaced is no longer the purchase's to keep, so it is set against it. Never negative,
 * never more than captured.
 */
export function purchaseLedger(input: LedgerInput): Ledger {
  const debits = input.lines.filter((line) => line.amount > 0);
  const ownCredits = input.lines.filter((line) => line.amount < 0);
  let returned = 0;
  for (const credit of input.laterCredits) {
    if (credit.amount >= 0) continue;
    for (const debit of debits) {
      if (debit.price !== credit.price) continue;
      const window = overlap(credit.period, debit.period);
      if (!window) continue;
      const gross = -credit.amount * share(credit.period, window);
      const given = ownCredits.reduce((sum, own) => sum - own.amount * share(own.period, window), 0);
      returned += Math.max(0, gross - given);
    }
  }
  const paid = input.lines.reduce((sum, line) => sum + line.amount, 0);
  returned = Math.min(returned, Math.max(paid, 0));
  const held = Math.min(input.captured, paid - returned) - input.refunded;
  return {
    paid,
    returned,
    refunded: input.refunded,
    refundable: Math.max(0, floorMinor(held)),
    boughtPeriod: periodOf(debits),
  };
}

/** Floors to the minor unit, forgiving float noise (999.9999999 is 1000), so rounding never favours a refund beyond what is held. */
function floorMinor(value: number): number {
  return Math.floor(value + 1e-9);
}

function overlap(a: LedgerLine['period'], b: LedgerLine['period']) {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return end > start ? { start, end } : null;
}

/** The share of a line's period inside a window (an empty period is never inside one). */
function share(period: LedgerLine['period'], window: { start: number; end: number }): number {
  const length = period.end - period.start;
  if (length <= 0) return 0;
  const inside = overlap(period, window);
  return inside ? (inside.end - inside.start) / length : 0;
}

function periodOf(debits: readonly LedgerLine[]) {
  const recurring = debits.filter((line) => line.period.end > line.period.start);
  if (recurring.length === 0) return null;
  return {
    start: Math.min(...recurring.map((line) => line.period.start)),
    end: Math.max(...recurring.map((line) => line.period.end)),
  };
}
