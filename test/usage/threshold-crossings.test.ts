import { crossedThresholds } from '../../src/usage/threshold-crossings';
import { planCrossings } from '../../src/usage/plan-crossings';
import type { PlanAllowance } from '../../src/usage/plan-limits';
import type { AccountUsageContext } from '../../src/usage/usage.types';

describe('crossedThresholds', () => {
  it('crosses each threshold between before and after once, also several in one jump', () => {
    expect(crossedThresholds(0, 49, 100, [50, 80, 100])).toEqual([]);
    expect(crossedThresholds(49, 50, 100, [50, 80, 100])).toEqual([50]);
    expect(crossedThresholds(10, 120, 100, [100, 50, 80])).toEqual([50, 80, 100]);
    expect(crossedThresholds(50, 79, 100, [50, 80, 100])).toEqual([]);
    expect(crossedThresholds(79, 100, 100, [50, 80, 100])).toEqual([80, 100]);
  });

  it('uses exact integer arithmetic (1 of 3 is below 50%, 2 of 3 is past 50%)', () => {
    expect(crossedThresholds(0, 1, 3, [50])).toEqual([]);
    expect(crossedThresholds(1, 2, 3, [50])).toEqual([50]);
  });

  it('has no thresholds when unlimited, and a limit of 0 is crossed by any use', () => {
    expect(crossedThresholds(0, 10 ** 9, 'unlimited', [50, 80, 100])).toEqual([]);
    expect(crossedThresholds(0, 1, 0, [50, 80, 100])).toEqual([50, 80, 100]);
    expect(crossedThresholds(0, 0, 0, [50])).toEqual([]);
  });
});

describe('planCrossings', () => {
  const context: AccountUsageContext = {
    accountId: 'a1',
    signedUpAt: new Date('2026-01-01T00:00:00Z'),
    subscription: null,
    planCode: 'free',
    addOns: [],
  };
  const allowance: PlanAllowance = {
    planCode: 'free',
    limits: new Map([
      ['api_calls', 1000],
      ['seats', 2],
    ]),
    enabled: new Set(),
  };
  const now = new Date('2026-01-16T12:00:00Z');

  it('records every threshold a counter jumped over with its projection, and every level a gauge reached', () => {
    const sut = planCrossings({
      counters: [
        {
          accountId: 'a1',
          feature: 'api_calls',
          periodStart: new Date('2026-01-01T00:00:00Z'),
          before: 100,
          after: 850,
        },
      ],
      gauges: [{ accountId: 'a1', feature: 'seats', before: 0, value: 1, observedAt: now }],
      contexts: new Map([['a1', context]]),
      allowanceOf: () => allowance,
      recurrence: (feature) => (feature === 'api_calls' ? 'month' : 'billing'),
      now,
    });
    expect(sut.map((c) => [c.feature, c.threshold])).toEqual([
      ['api_calls', 50],
      ['api_calls', 80],
      ['seats', 50],
    ]);
    const first = sut[0];
    expect(first?.period.start.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(first?.period.end.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(first?.projectedTotal).toBe(1700); // half the period gone, 850 used
    expect(first?.projectedLimitAt?.toISOString()).toBe('2026-01-19T05:38:49.412Z'); // 1000 at 850 per 15.5 days
  });
  it("places a counter's crossing in its own month on a yearly plan, and a gauge's in the billing year", () => {
    const yearly: AccountUsageContext = {
      ...context,
      subscription: {
        interval: 'year',
        billingCycleAnchor: new Date('2026-01-14T00:00:00Z'),
        currentPeriodStart: new Date('2026-01-14T00:00:00Z'),
        currentPeriodEnd: new Date('2027-01-14T00:00:00Z'),
      },
    };
    const sut = planCrossings({
      counters: [
        { accountId: 'a1', feature: 'api_calls', periodStart: new Date('2026-03-14T00:00:00Z'), before: 0, after: 500 },
      ],
      gauges: [
        { accountId: 'a1', feature: 'seats', before: 0, value: 1, observedAt: new Date('2026-03-20T00:00:00Z') },
      ],
      contexts: new Map([['a1', yearly]]),
      allowanceOf: () => allowance,
      recurrence: (feature) => (feature === 'api_calls' ? 'month' : 'billing'),
      now: new Date('2026-03-20T00:00:00Z'),
    });
    expect(sut.map((c) => [c.feature, c.period.start.toISOString(), c.period.end.toISOString()])).toEqual([
      ['api_calls', '2026-03-14T00:00:00.000Z', '2026-04-14T00:00:00.000Z'],
      ['seats', '2026-01-14T00:00:00.000Z', '2027-01-14T00:00:00.000Z'],
    ]);
  });
});
