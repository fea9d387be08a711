import { addInterval, nextPeriodEnd } from '../src/money/calendar';
import { applyBalance, invoiceTotals, type DiscountRule } from '../src/money/invoice-totals';
import { prorationCredit, prorationDebit, remainingShare } from '../src/money/proration';

const utc = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day) / 1000;

describe('per-second proration', () => {
  const period = { periodStart: utc(2026, 1, 1), periodEnd: utc(2026, 2, 1) };
  const middle = period.periodStart + (period.periodEnd - period.periodStart) / 2;

  it('credits half of the old amount and debits half of the new one at the exact middle', () => {
    expect(prorationCredit(1000, { ...period, prorationDate: middle })).toBe(-500);
    expect(prorationDebit(2000, { ...period, prorationDate: middle })).toBe(1000);
  });

  it('rounds each line to the minor unit separately', () => {
    const third = period.periodStart + Math.round((period.periodEnd - period.periodStart) / 3);
    const share = remainingShare({ ...period, prorationDate: third });
    expect(prorationCredit(999, { ...period, prorationDate: third })).toBe(-Math.round(999 * share));
    expect(prorationDebit(1999, { ...period, prorationDate: third })).toBe(Math.round(1999 * share));
  });

  it('gives nothing at the end of the period and everything at its start', () => {
    expect(prorationDebit(1000, { ...period, prorationDate: period.periodEnd })).toBe(0);
    expect(prorationDebit(1000, { ...period, prorationDate: period.periodStart })).toBe(1000);
  });
});

describe('billing calendar', () => {
  it('clamps monthly periods to the month end and returns to the anchor day', () => {
    const anchor = utc(2026, 1, 31);
    expect(addInterval(anchor, 'month', 1)).toBe(utc(2026, 2, 28));
    expect(addInterval(anchor, 'month', 2)).toBe(utc(2026, 3, 31));
    expect(addInterval(utc(2028, 2, 29), 'year', 1)).toBe(utc(2029, 2, 28));
  });

  it('finds the period end after a moment by counting whole intervals from the anchor', () => {
    expect(nextPeriodEnd(utc(2026, 1, 31), 'month', 1, utc(2026, 2, 28))).toBe(utc(2026, 3, 31));
  });
});

describe('invoice totals and customer balance', () => {
  const line = (amount: number, discounts: DiscountRule[] = []) => ({ amount, discounts });

  it('uses existing credit before charging the card', () => {
    expect(invoiceTotals([line(1000)], [], -300)).toMatchObject({ total: 1000, amountDue: 700, endingBalance: 0 });
  });

  it('turns a negative total into customer credit instead of a refund', () => {
    expect(applyBalance(-500, 0)).toEqual({
      startingBalance: 0,
      appliedBalance: -500,
      amountDue: 0,
      endingBalance: -500,
    });
  });

  it('applies percent and amount discounts to the subtotal', () => {
    const tenPercent = { id: 'di_a', percentOff: 10, amountOff: null };
    expect(invoiceTotals([line(1000), line(500)], [tenPercent], 0)).toMatchObject({
      subtotal: 1500,
      discountAmount: 150,
      total: 1350,
    });
    expect(invoiceTotals([line(300)], [{ id: 'di_b', percentOff: null, amountOff: 500 }], 0)).toMatchObject({
      total: 0,
      amountDue: 0,
    });
  });

  it('discounts only the lines a line discount belongs to, credits included', () => {
    const bundle = { id: 'di_bundle', percentOff: 20, amountOff: null };
    const totals = invoiceTotals([line(1000), line(-500, [bundle]), line(2000, [bundle])], [], 0);
    expect(totals.lineDiscounts).toEqual([
      [],
      [{ discount: 'di_bundle', amount: -100 }],
      [{ discount: 'di_bundle', amount: 400 }],
    ]);
    expect(totals).toMatchObject({ subtotal: 2500, total: 2200 });
  });

  it('scales a credit line by an invoice coupon restricted to its product, like a debit', () => {
    const seats = { id: 'di_seats', percentOff: 15, amountOff: null, products: ['prod_seats'] };
    const credit = { amount: -1000, discounts: [], product: 'prod_seats' };
    const debit = { amount: 3000, discounts: [], product: 'prod_seats' };
    const other = { amount: 500, discounts: [], product: 'prod_other' };
    const totals = invoiceTotals([credit, debit, other], [seats], 0);
    expect(totals.lineDiscounts).toEqual([
      [{ discount: 'di_seats', amount: -150 }],
      [{ discount: 'di_seats', amount: 450 }],
      [],
    ]);
    expect(totals).toMatchObject({ subtotal: 2500, total: 2200 });
  });
});
