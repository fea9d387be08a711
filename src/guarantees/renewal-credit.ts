/** One line of a renewal invoice: its price, amount after discounts, and quantity. */
export interface RenewalLine {
  price: string | null;
  amount: number;
  quantity: number | null;
}

/**
 * Pure: what a renewal charged for items a reversal takes back, beyond what the items it puts
 * back would have cost for the same period — owed to the customer, since the refunded purchase
 * is undone as if it had never been. Capped at what that renewal captured; never negative.
 * NOTE: `proration_behavior: 'none'` on the reversal leaves this to us: Stripe credits nothing.
 */
export function renewalCredit(input: {
  lines: readonly RenewalLine[];
  /** Per price, the quantity the reversal takes away. */
  taken: ReadonlyMap<string, number>;
  /** What the items put back cost for one period, in the invoice's currency. */
  restoredCost: number;
  captured: number;
}): number {
  const charged = input.lines.reduce((sum, line) => {
    const taken = line.price ? (input.taken.get(line.price) ?? 0) : 0;
    if (taken <= 0 || line.amount <= 0) return sum;
    const quantity = line.quantity ?? 1;
    return sum + Math.floor((line.amount * Math.min(taken, quantity)) / quantity);
  }, 0);
  return Math.max(0, Math.min(input.captured, charged - input.restoredCost));
}
