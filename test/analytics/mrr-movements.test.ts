import { mrrMovements, type PurchaseRecord } from '../../src/analytics/mrr-movements';
import { catalog } from '../offers/support/offer-fixtures';

const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
const november = { from: at('2026-11-01'), to: at('2026-12-01') };
const pro = { plan: 'pro', interval: 'month' as const, items: [{ kind: 'plan', code: 'pro', quantity: 1 }] };
const free = { plan: 'free', items: [] };

describe('mrrMovements', () => {
  it('counts a refunded first purchase as new, then churn once, not again for the cancellation it caused', () => {
    const purchase: PurchaseRecord = {
      accountId: 'a',
      paidAt: at('2026-11-03'),
      currency: 'usd',
      previous: free,
      bought: pro,
      refundedAt: at('2026-11-10'),
    };
    const cancellation = {
      accountId: 'a',
      startedAt: at('2026-11-03'),
      endedAt: at('2026-11-10'),
      currency: 'usd',
      holding: pro,
    };
    // Hand-computed: new 1900 (Pro, usd), churn 1900 from the refund; the cancellation adds nothing.
    expect(mrrMovements(catalog, [purchase], [cancellation], november)).toEqual([
      { currency: 'usd', new: 1900, expansion: 0, contraction: 0, churn: 1900, net: 0 },
    ]);
  });

  it('still counts the cancellation of an older subscription as churn', () => {
    const cancellation = {
      accountId: 'b',
      startedAt: at('2026-06-01'),
      endedAt: at('2026-11-10'),
      currency: 'usd',
      holding: pro,
    };
    expect(mrrMovements(catalog, [], [cancellation], november)).toEqual([
      { currency: 'usd', new: 0, expansion: 0, contraction: 0, churn: 1900, net: -1900 },
    ]);
  });

  it('counts a downgrade applied at the renewal as contraction, once, and not the paid change made since', () => {
    const premium = {
      plan: 'premium',
      interval: 'month' as const,
      items: [{ kind: 'plan', code: 'premium', quantity: 1 }],
    };
    const withSupport = { ...pro, items: [...pro.items, { kind: 'add_on', code: 'priority_support', quantity: 1 }] };
    const renewal = {
      accountId: 'c',
      effectiveAt: at('2026-11-01'),
      recordedAt: at('2026-11-01'),
      currency: 'usd',
      previous: premium,
      current: pro,
    };
    // Premium 4900 → Pro 1900 at the renewal: contraction 3000.
    expect(mrrMovements(catalog, [], [], november, [renewal])).toEqual([
      { currency: 'usd', new: 0, expansion: 0, contraction: 3000, churn: 0, net: -3000 },
    ]);
    // The mirror heard of the renewal only after the account added priority support (1500) on Nov 2:
    // the renewal is still 3000 down, the purchase 1500 up, not a 1500 contraction plus 1500 expansion.
    const addOn: PurchaseRecord = {
      accountId: 'c',
      paidAt: at('2026-11-02'),
      currency: 'usd',
      previous: pro,
      bought: withSupport,
      refundedAt: null,
    };
    const late = { ...renewal, recordedAt: at('2026-11-03'), current: withSupport };
    expect(mrrMovements(catalog, [addOn], [], november, [late])).toEqual([
      { currency: 'usd', new: 0, expansion: 1500, contraction: 3000, churn: 0, net: -1500 },
    ]);
  });

  it('leaves a period without movements empty', () => {
    expect(mrrMovements(catalog, [], [], november)).toEqual([]);
  });
});
