/**
 * Invoice arithmetic, pure and tax-free. NOTE: a negative total is not refunded; it
 * becomes customer-balance credit, and existing credit (a negative balance) pays down
 * the next invoice before the card is charged (Stripe customer balance rules).
 */
export interface DiscountRule {
  percentOff: number | null;
  amountOff: number | null;
}

export interface InvoiceTotals {
  subtotal: number;
  discountAmount: number;
  total: number;
  startingBalance: number;
  appliedBalance: number;
  amountDue: number;
  endingBalance: number;
}

export function discountAmount(subtotal: number, discounts: DiscountRule[]): number {
  let remaining = Math.max(subtotal, 0);
  let total = 0;
  for (const rule of discounts) {
    const amount =
      rule.percentOff !== null
        ? Math.round((remaining * rule.percentOff) / 100)
        : Math.min(rule.amountOff ?? 0, remaining);
    total += amount;
    remaining -= amount;
  }
  return total;
}

export interface BalanceApplication {
  startingBalance: number;
  appliedBalance: number;
  amountDue: number;
  endingBalance: number;
}

/** How a customer balance meets an invoice total (negative balance = credit). */
export function applyBalance(total: number, customerBalance: number): BalanceApplication {
  if (total <= 0)
    return {
      startingBalance: customerBalance,
      appliedBalance: total,
      amountDue: 0,
      endingBalance: customerBalance + total,
    };
  const applied = customerBalance < 0 ? Math.max(customerBalance, -total) : customerBalance;
  return {
    startingBalance: customerBalance,
    appliedBalance: applied,
    amountDue: total + applied,
    endingBalance: customerBalance - applied,
  };
}

export function invoiceTotals(
  lineAmounts: number[],
  discounts: DiscountRule[],
  customerBalance: number,
): InvoiceTotals {
  const subtotal = lineAmounts.reduce((sum, amount) => sum + amount, 0);
  const discount = discountAmount(subtotal, discounts);
  const total = subtotal - discount;
  return { subtotal, discountAmount: discount, total, ...applyBalance(total, customerBalance) };
}
