import { silencedByPriceDecline } from '../../src/lifecycle/decline-guardrail.rules';

const DAY = 86_400_000;
const at = new Date('2026-05-01T00:00:00Z');
const declines = [{ amount: 1900, currency: 'usd', interval: 'month', at }];
const later = (days: number) => new Date(at.getTime() + days * DAY);

describe('"too expensive" guardrail', () => {
  it('silences the same price and higher for 30 days, in the same currency only', () => {
    expect(silencedByPriceDecline({ amount: 1900, currency: 'usd', interval: 'month' }, declines, later(1))).toBe(true);
    expect(silencedByPriceDecline({ amount: 4900, currency: 'usd', interval: 'month' }, declines, later(29))).toBe(
      true,
    );
    expect(silencedByPriceDecline({ amount: 1500, currency: 'usd', interval: 'month' }, declines, later(1))).toBe(
      false,
    );
    expect(silencedByPriceDecline({ amount: 1900, currency: 'eur', interval: 'month' }, declines, later(1))).toBe(
      false,
    );
    expect(silencedByPriceDecline({ amount: 1900, currency: 'usd', interval: 'month' }, declines, later(30))).toBe(
      false,
    );
  });

  it('compares a yearly price with a monthly one over a year', () => {
    expect(silencedByPriceDecline({ amount: 19000, currency: 'usd', interval: 'year' }, declines, later(1))).toBe(
      false,
    );
    expect(silencedByPriceDecline({ amount: 22800, currency: 'usd', interval: 'year' }, declines, later(1))).toBe(true);
  });
});
