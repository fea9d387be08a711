import { purchaseLedger, type LedgerLine } from '../../src/guarantees/purchase-ledger';

const DAY = 86_400;
const APRIL_1 = Date.UTC(2026, 3, 1) / 1000;
const MAY_1 = APRIL_1 + 30 * DAY;
const day = (n: number) => APRIL_1 + (n - 1) * DAY; // day(16) = 16 April 00:00

const line = (price: string | null, amount: number, start: number, end: number): LedgerLine => ({
  price,
  amount,
  period: { start, end },
});

describe('purchase ledger (pure, minor units)', () => {
  it('holds the whole charge while Stripe has returned nothing', () => {
    const sut = purchaseLedger({
      lines: [line('premium', 2450, day(16), MAY_1), line('pro', -950, day(16), MAY_1)],
      captured: 1500,
      refunded: 0,
      laterCredits: [],
    });
    expect(sut).toMatchObject({ paid: 1500, returned: 0, refundable: 1500 });
    expect(sut.boughtPeriod).toEqual({ start: day(16), end: MAY_1 });
  });

  it('holds nothing once the seats came back as balance credit (sequence 4, USD)', () => {
    const sut = purchaseLedger({
      lines: [line('seats', 1250, day(16), MAY_1)],
      captured: 1250,
      refunded: 0,
      laterCredits: [line('seats', -1250, day(16), MAY_1)],
    });
    expect(sut).toMatchObject({ returned: 1250, refundable: 0 });
  });

  it('sets the credit the purchase gave for the seats it replaced against their later credit', () => {
    // 2 → 5 seats (−500 + 1250 = 750), then all 5 removed (−1250): the 2 seats were paid by the period's invoice.
    const sut = purchaseLedger({
      lines: [line('seats', -500, day(16), MAY_1), line('seats', 1250, day(16), MAY_1)],
      captured: 750,
      refunded: 0,
      laterCredits: [line('seats', -1250, day(16), MAY_1)],
    });
    expect(sut).toMatchObject({ returned: 750, refundable: 0 });
  });

  it('keeps the days the upgrade was used when a later change credits the rest (sequence 5)', () => {
    // Premium 4900, pro 1900 a month; upgraded 16 April (+2450 −950), moved to yearly 26 April (−817 premium).
    const sut = purchaseLedger({
      lines: [line('premium', 2450, day(16), MAY_1), line('pro', -950, day(16), MAY_1)],
      captured: 1500,
      refunded: 0,
      laterCredits: [line('premium', -817, day(26), MAY_1), line('other', -5000, day(26), MAY_1)],
    });
    // 817 − 950 × 5/15 = 500.33 came back; 999.67 is held, floored.
    expect(sut.returned).toBeCloseTo(500.33, 2);
    expect(sut.refundable).toBe(999);
  });

  it('ignores credits outside the bought period and for other prices', () => {
    const sut = purchaseLedger({
      lines: [line('premium', 2450, day(16), MAY_1), line('pro', -950, day(16), MAY_1)],
      captured: 1500,
      refunded: 0,
      laterCredits: [line('premium', -4900, MAY_1, MAY_1 + 31 * DAY), line('pro', -1900, day(16), MAY_1)],
    });
    expect(sut.refundable).toBe(1500);
  });

  it('subtracts what Stripe already refunded and never goes below zero', () => {
    const partly = purchaseLedger({
      lines: [line('x', 1000, 0, DAY)],
      captured: 1000,
      refunded: 400,
      laterCredits: [],
    });
    expect(partly.refundable).toBe(600);
    const over = purchaseLedger({
      lines: [line('x', 1000, 0, DAY)],
      captured: 1000,
      refunded: 400,
      laterCredits: [line('x', -900, 0, DAY)],
    });
    expect(over.refundable).toBe(0);
  });

  it('refunds to the card at most what the card paid when the balance paid the rest', () => {
    const sut = purchaseLedger({ lines: [line('x', 1500, 0, DAY)], captured: 250, refunded: 0, laterCredits: [] });
    expect(sut.refundable).toBe(250);
  });

  it('never lets a credit return a one-time line (an empty period)', () => {
    const sut = purchaseLedger({
      lines: [line('training', 44000, day(16), day(16))],
      captured: 44000,
      refunded: 0,
      laterCredits: [line('training', -44000, day(16), day(16))],
    });
    expect(sut).toMatchObject({ refundable: 44000, boughtPeriod: null });
  });

  it.each([
    // [currency, upgrade debit, own credit, later credit, expected refundable] — the docs' worked examples.
    ['usd (2 decimals)', 2450, -950, -817, 999],
    ['jpy (0 decimals)', 3700, -1400, -1233, 1533],
    ['kwd (3 decimals)', 7500, -3000, -2500, 3000],
  ])('works in whole minor units whatever the exponent: %s', (_currency, debit, own, later, expected) => {
    const sut = purchaseLedger({
      lines: [line('premium', debit, day(16), MAY_1), line('pro', own, day(16), MAY_1)],
      captured: debit + own,
      refunded: 0,
      laterCredits: [line('premium', later, day(26), MAY_1)],
    });
    expect(sut.refundable).toBe(expected);
  });
});
