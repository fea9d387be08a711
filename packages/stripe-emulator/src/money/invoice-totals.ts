/**
 * Invoice arithmetic, pure and tax-free. NOTE: a negative total is not refunded; it
 * becomes customer-balance credit, and existing credit (a negative balance) pays down
 * the next invoice before the card is charged (Stripe customer balance rules).
 */
export interface DiscountRule {
  id: string;
  percentOff: number | null;
  amountOff: number | null;
  /** A coupon's `applies_to.products`: it discounts only lines of these products (absent: every line). */
  products?: string[] | null;
}

export interface InvoiceLineInput {
  amount: number;
  /** Discounts on this line only (a subscription item's or invoice item's own discounts). */
  discounts: DiscountRule[];
  /** The line's product, for coupons restricted with `applies_to`. */
  product?: string;
  /** Discount amounts fixed in advance (a flexible credit proration): no coupon is worked out again. */
  fixed?: DiscountAmount[];
}

/** NOTE: a coupon with `applies_to.products` discounts only lines of those products (Stripe's coupon rules). */
export function appliesTo(rule: DiscountRule, product: string | undefined): boolean {
  return !rule.products || (product !== undefined && rule.products.includes(product));
}

export interface DiscountAmount {
  discount: string;
  amount: number;
}

export interface BalanceApplication {
  startingBalance: number;
  appliedBalance: number;
  amountDue: number;
  endingBalance: number;
}

export interface InvoiceTotals extends BalanceApplication {
  subtotal: number;
  discountAmount: number;
  total: number;
  lineDiscounts: DiscountAmount[][];
  invoiceDiscounts: DiscountAmount[];
}

function roundMinor(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/**
 * Applies discounts in order to what is left of an amount. A percentage also scales a
 * credit (a prorated credit for a discounted item is discounted too); a fixed amount
 * only reduces positive amounts, never below zero.
 */
export function applyDiscounts(amount: number, rules: DiscountRule[]): DiscountAmount[] {
  let remaining = amount;
  return rules.map((rule) => {
    const off =
      rule.percentOff !== null
        ? roundMinor((remaining * rule.percentOff) / 100)
        : remaining > 0
          ? Math.min(rule.amountOff ?? 0, remaining)
          : 0;
    remaining -= off;
    return { discount: rule.id, amount: off };
  });
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

const sum = (amounts: DiscountAmount[]) => amounts.reduce((total, entry) => total + entry.amount, 0);

/** Subtotal, line and invoice discounts, total, and what the customer balance leaves to pay. */
export function invoiceTotals(
  lines: InvoiceLineInput[],
  invoiceDiscounts: DiscountRule[],
  customerBalance: number,
): InvoiceTotals {
  const subtotal = lines.reduce((total, line) => total + line.amount, 0);
  // NOTE: an invoice-level coupon restricted to products is worked out per eligible line, after
  // that line's own discounts, and shown in the line's discount_amounts.
  const restricted = invoiceDiscounts.filter((rule) => rule.products);
  const lineDiscounts = lines.map((line) => {
    if (line.fixed) return line.fixed;
    const own = applyDiscounts(
      line.amount,
      line.discounts.filter((rule) => appliesTo(rule, line.product)),
    );
    const rest = line.amount - sum(own);
    const eligible = restricted.filter((rule) => appliesTo(rule, line.product));
    return [...own, ...(rest !== 0 ? applyDiscounts(rest, eligible) : [])];
  });
  const afterLineDiscounts = subtotal - lineDiscounts.reduce((total, amounts) => total + sum(amounts), 0);
  const unrestricted = invoiceDiscounts.filter((rule) => !rule.products);
  // NOTE: lines whose discounts were fixed in advance (flexible credit prorations) already carry
  // their share of every discount, so invoice-level coupons work on the other lines only.
  const base = lines.reduce(
    (total, line, index) => (line.fixed ? total : total + line.amount - sum(lineDiscounts[index] ?? [])),
    0,
  );
  const onInvoice = afterLineDiscounts > 0 && base > 0 ? applyDiscounts(base, unrestricted) : [];
  const total = afterLineDiscounts - sum(onInvoice);
  return {
    subtotal,
    discountAmount: subtotal - total,
    total,
    lineDiscounts,
    invoiceDiscounts: onInvoice,
    ...applyBalance(total, customerBalance),
  };
}
