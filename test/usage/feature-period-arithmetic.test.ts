import { loadCatalog } from '../../src/catalog/load-catalog';
import type { Catalog } from '../../src/catalog/catalog.types';
import { PeriodLocator, recurringPeriodAt, type PeriodSource } from '../../src/usage/billing-period';
import { currentUsage, recurrencesOf } from '../../src/usage/current-usage';

const d = (iso: string) => new Date(iso);
const iso = (p: { start: Date; end: Date }) => [p.start.toISOString(), p.end.toISOString()];

/** A subscription whose mirrored current period is its first billing period from `anchor`. */
function subscribed(interval: 'month' | 'year', anchor: string, periodEnd: string): PeriodSource {
  return {
    signedUpAt: d('2023-06-10T00:00:00Z'),
    subscription: {
      interval,
      billingCycleAnchor: d(anchor),
      currentPeriodStart: d(anchor),
      currentPeriodEnd: d(periodEnd),
    },
  };
}

describe('recurringPeriodAt: monthly limits on a yearly plan', () => {
  const yearly = subscribed('year', '2026-03-14T09:30:00Z', '2027-03-14T09:30:00Z');

  it('steps months from the billing cycle anchor: a plan started on 14 March resets on the 14th', () => {
    expect(iso(recurringPeriodAt(yearly, 'month', d('2026-03-14T09:30:00Z')))).toEqual([
      '2026-03-14T09:30:00.000Z',
      '2026-04-14T09:30:00.000Z',
    ]);
    expect(iso(recurringPeriodAt(yearly, 'month', d('2026-07-14T09:29:59.999Z')))).toEqual([
      '2026-06-14T09:30:00.000Z',
      '2026-07-14T09:30:00.000Z',
    ]);
    expect(iso(recurringPeriodAt(yearly, 'month', d('2027-03-01T00:00:00Z')))).toEqual([
      '2027-02-14T09:30:00.000Z',
      '2027-03-14T09:30:00.000Z',
    ]);
  });

  it('keeps months stepping past a stale mirror, into the next billing year', () => {
    expect(iso(recurringPeriodAt(yearly, 'month', d('2027-04-20T00:00:00Z')))).toEqual([
      '2027-04-14T09:30:00.000Z',
      '2027-05-14T09:30:00.000Z',
    ]);
  });

  it('clamps an anchor on the 31st to each month end, then returns to the 31st (Stripe-like)', () => {
    const lastDay = subscribed('year', '2026-01-31T00:00:00Z', '2027-01-31T00:00:00Z');
    const months = ['2026-02-10', '2026-03-10', '2026-04-10', '2026-05-10'].map((day) =>
      iso(recurringPeriodAt(lastDay, 'month', d(`${day}T00:00:00Z`))),
    );
    expect(months).toEqual([
      ['2026-01-31T00:00:00.000Z', '2026-02-28T00:00:00.000Z'],
      ['2026-02-28T00:00:00.000Z', '2026-03-31T00:00:00.000Z'],
      ['2026-03-31T00:00:00.000Z', '2026-04-30T00:00:00.000Z'],
      ['2026-04-30T00:00:00.000Z', '2026-05-31T00:00:00.000Z'],
    ]);
  });

  it('gives February 29 in a leap year to an anchor on the 29th or 30th', () => {
    const thirtieth = subscribed('year', '2027-10-30T00:00:00Z', '2028-10-30T00:00:00Z');
    expect(iso(recurringPeriodAt(thirtieth, 'month', d('2028-02-15T00:00:00Z')))).toEqual([
      '2028-01-30T00:00:00.000Z',
      '2028-02-29T00:00:00.000Z',
    ]);
    const twentyNinth = subscribed('year', '2027-05-29T00:00:00Z', '2028-05-29T00:00:00Z');
    expect(iso(recurringPeriodAt(twentyNinth, 'month', d('2028-03-01T00:00:00Z')))).toEqual([
      '2028-02-29T00:00:00.000Z',
      '2028-03-29T00:00:00.000Z',
    ]);
    expect(iso(recurringPeriodAt(twentyNinth, 'month', d('2028-02-28T23:59:59Z')))).toEqual([
      '2028-01-29T00:00:00.000Z',
      '2028-02-29T00:00:00.000Z',
    ]);
  });

  it('nests the months of a leap-day anchor in its years: the year and its last month end on Feb 28', () => {
    const leapDay = subscribed('year', '2024-02-29T12:00:00Z', '2025-02-28T12:00:00Z');
    expect(iso(recurringPeriodAt(leapDay, 'month', d('2025-02-10T00:00:00Z')))).toEqual([
      '2025-01-29T12:00:00.000Z',
      '2025-02-28T12:00:00.000Z',
    ]);
    expect(iso(recurringPeriodAt(leapDay, 'month', d('2025-03-01T00:00:00Z')))).toEqual([
      '2025-02-28T12:00:00.000Z',
      '2025-03-29T12:00:00.000Z',
    ]);
    expect(iso(recurringPeriodAt(leapDay, 'billing', d('2025-03-01T00:00:00Z')))).toEqual([
      '2025-02-28T12:00:00.000Z',
      '2026-02-28T12:00:00.000Z',
    ]);
  });

  it('never lets a month outlast its billing period: a trial and a year cut short stay whole periods', () => {
    const trial: PeriodSource = {
      signedUpAt: d('2026-01-01T00:00:00Z'),
      subscription: {
        interval: 'year',
        billingCycleAnchor: d('2026-03-15T00:00:00Z'),
        currentPeriodStart: d('2026-03-01T00:00:00Z'),
        currentPeriodEnd: d('2026-03-15T00:00:00Z'),
      },
    };
    expect(iso(recurringPeriodAt(trial, 'month', d('2026-03-05T00:00:00Z')))).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-15T00:00:00.000Z',
    ]);
    expect(iso(recurringPeriodAt(trial, 'month', d('2026-03-20T00:00:00Z')))).toEqual([
      '2026-03-15T00:00:00.000Z',
      '2026-04-15T00:00:00.000Z',
    ]);
    // A mirrored period that does not start on the anchor (the cycle was reset mid-month).
    const shifted: PeriodSource = {
      signedUpAt: d('2026-01-01T00:00:00Z'),
      subscription: {
        interval: 'year',
        billingCycleAnchor: d('2026-01-10T00:00:00Z'),
        currentPeriodStart: d('2026-05-20T00:00:00Z'),
        currentPeriodEnd: d('2027-01-10T00:00:00Z'),
      },
    };
    expect(iso(recurringPeriodAt(shifted, 'month', d('2026-06-01T00:00:00Z')))).toEqual([
      '2026-05-20T00:00:00.000Z',
      '2026-06-10T00:00:00.000Z',
    ]);
  });
});

describe('recurringPeriodAt: periods as long as the billing period, and longer', () => {
  const monthly = subscribed('month', '2026-03-14T09:30:00Z', '2026-04-14T09:30:00Z');

  it('answers the billing period when the feature recurs as often as the plan bills (monthly plan unchanged)', () => {
    for (const at of ['2026-03-20T00:00:00Z', '2026-05-01T00:00:00Z']) {
      expect(recurringPeriodAt(monthly, 'month', d(at))).toEqual(recurringPeriodAt(monthly, 'billing', d(at)));
    }
    expect(iso(recurringPeriodAt(monthly, 'month', d('2026-03-20T00:00:00Z')))).toEqual([
      '2026-03-14T09:30:00.000Z',
      '2026-04-14T09:30:00.000Z',
    ]);
  });

  it('steps a yearly feature by years from the anchor on a monthly plan, and from sign-up when free', () => {
    expect(iso(recurringPeriodAt(monthly, 'year', d('2027-05-01T00:00:00Z')))).toEqual([
      '2027-03-14T09:30:00.000Z',
      '2028-03-14T09:30:00.000Z',
    ]);
    const free: PeriodSource = { signedUpAt: d('2024-02-29T00:00:00Z'), subscription: null };
    expect(iso(recurringPeriodAt(free, 'year', d('2026-03-01T00:00:00Z')))).toEqual([
      '2026-02-28T00:00:00.000Z',
      '2027-02-28T00:00:00.000Z',
    ]);
    expect(iso(recurringPeriodAt(free, 'month', d('2026-03-01T00:00:00Z')))).toEqual([
      '2026-02-28T00:00:00.000Z',
      '2026-03-29T00:00:00.000Z',
    ]);
  });

  it('keeps a trial as its own period for a yearly feature too', () => {
    const trial: PeriodSource = {
      signedUpAt: d('2026-01-01T00:00:00Z'),
      subscription: {
        interval: 'month',
        billingCycleAnchor: d('2026-03-15T00:00:00Z'),
        currentPeriodStart: d('2026-03-01T00:00:00Z'),
        currentPeriodEnd: d('2026-03-15T00:00:00Z'),
      },
    };
    expect(iso(recurringPeriodAt(trial, 'year', d('2026-03-05T00:00:00Z')))).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-15T00:00:00.000Z',
    ]);
  });
});

describe('PeriodLocator', () => {
  it('remembers periods per account and recurrence, so a batch mixing features places each in its own', () => {
    const sut = new PeriodLocator();
    const yearly = {
      accountId: 'a1',
      ...subscribed('year', '2026-03-14T09:30:00Z', '2027-03-14T09:30:00Z'),
    };
    const at = d('2026-06-01T00:00:00Z');
    expect(iso(sut.locate(yearly, 'billing', at))).toEqual(['2026-03-14T09:30:00.000Z', '2027-03-14T09:30:00.000Z']);
    expect(iso(sut.locate(yearly, 'month', at))).toEqual(['2026-05-14T09:30:00.000Z', '2026-06-14T09:30:00.000Z']);
    expect(iso(sut.locate(yearly, 'billing', d('2026-07-01T00:00:00Z')))).toEqual([
      '2026-03-14T09:30:00.000Z',
      '2027-03-14T09:30:00.000Z',
    ]);
  });
});

describe('PeriodLocator kept across batches', () => {
  it("places an account's changed context by its own periods, never the remembered ones of the old context", () => {
    const sut = new PeriodLocator();
    const monthly = { accountId: 'a1', ...subscribed('month', '2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z') };
    const at = d('2026-05-20T00:00:00Z');
    expect(iso(sut.locate(monthly, 'billing', at))).toEqual(['2026-05-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z']);
    const replanned = { accountId: 'a1', ...subscribed('month', '2026-05-15T00:00:00Z', '2026-06-15T00:00:00Z') };
    expect(iso(sut.locate(replanned, 'billing', at))).toEqual(['2026-05-15T00:00:00.000Z', '2026-06-15T00:00:00.000Z']);
    expect(iso(sut.locate(monthly, 'billing', at))).toEqual(['2026-05-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z']);
  });
});

describe('currentUsage', () => {
  const demo = loadCatalog().catalog;
  const yearly = subscribed('year', '2026-03-14T09:30:00Z', '2027-03-14T09:30:00Z');
  const ms = (s: string) => d(s).getTime();

  it("reads a counter only from its feature's current period, and gauges as they stand", () => {
    const sut = currentUsage({
      catalog: demo,
      source: yearly,
      counters: new Map([
        ['api_calls', { periodStartMs: ms('2026-04-14T09:30:00Z'), used: 30000 }],
        ['exports', { periodStartMs: ms('2026-05-14T09:30:00Z'), used: 12 }],
      ]),
      gauges: new Map([['seats', 4]]),
      at: d('2026-05-20T00:00:00Z'),
    });
    expect(Object.fromEntries(sut.used)).toEqual({ projects: 0, seats: 4, api_calls: 0, storage_gb: 0, exports: 12 });
    expect(iso(sut.periodOf('api_calls'))).toEqual(['2026-05-14T09:30:00.000Z', '2026-06-14T09:30:00.000Z']);
    expect(iso(sut.periodOf('seats'))).toEqual(['2026-03-14T09:30:00.000Z', '2027-03-14T09:30:00.000Z']);
  });

  it('lets a counter without a period follow the billing period', () => {
    const catalog: Catalog = {
      ...demo,
      features: demo.features.map((f) =>
        f.code === 'exports' && f.type === 'metered' ? { ...f, period: undefined } : f,
      ),
    };
    expect(recurrencesOf(catalog)('exports')).toBe('billing');
    expect(recurrencesOf(catalog)('api_calls')).toBe('month');
    const sut = currentUsage({
      catalog,
      source: yearly,
      counters: new Map([['exports', { periodStartMs: ms('2026-03-14T09:30:00Z'), used: 700 }]]),
      gauges: new Map(),
      at: d('2026-05-20T00:00:00Z'),
    });
    expect(sut.used.get('exports')).toBe(700);
  });
});
