import { addMonthsClamped, cyclePeriodContaining, periodAt, type PeriodSource } from '../../src/usage/billing-period';

const d = (iso: string) => new Date(iso);
const iso = (p: { start: Date; end: Date }) => [p.start.toISOString(), p.end.toISOString()];

describe('addMonthsClamped', () => {
  it('keeps the anchor day, clamping to the month end like Stripe (Jan 31 → Feb 28 → Mar 31)', () => {
    const anchor = d('2026-01-31T10:00:00Z');
    expect(addMonthsClamped(anchor, 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonthsClamped(anchor, 2).toISOString()).toBe('2026-03-31T10:00:00.000Z');
    expect(addMonthsClamped(d('2028-01-31T00:00:00Z'), 1).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(addMonthsClamped(anchor, -2).toISOString()).toBe('2025-11-30T10:00:00.000Z');
    expect(addMonthsClamped(anchor, 12).toISOString()).toBe('2027-01-31T10:00:00.000Z');
  });
});

describe('cyclePeriodContaining', () => {
  it('finds the monthly period around an instant, boundaries start-inclusive and end-exclusive', () => {
    const anchor = d('2026-01-31T10:00:00Z');
    expect(iso(cyclePeriodContaining(anchor, 1, d('2026-03-01T00:00:00Z')))).toEqual([
      '2026-02-28T10:00:00.000Z',
      '2026-03-31T10:00:00.000Z',
    ]);
    expect(iso(cyclePeriodContaining(anchor, 1, d('2026-02-28T10:00:00Z')))).toEqual([
      '2026-02-28T10:00:00.000Z',
      '2026-03-31T10:00:00.000Z',
    ]);
    expect(iso(cyclePeriodContaining(anchor, 1, d('2026-02-28T09:59:59.999Z')))).toEqual([
      '2026-01-31T10:00:00.000Z',
      '2026-02-28T10:00:00.000Z',
    ]);
  });

  it('steps backwards from the anchor for earlier instants, and by years for yearly cycles', () => {
    expect(iso(cyclePeriodContaining(d('2026-05-15T00:00:00Z'), 1, d('2026-01-20T00:00:00Z')))).toEqual([
      '2026-01-15T00:00:00.000Z',
      '2026-02-15T00:00:00.000Z',
    ]);
    expect(iso(cyclePeriodContaining(d('2024-02-29T00:00:00Z'), 12, d('2026-03-01T00:00:00Z')))).toEqual([
      '2026-02-28T00:00:00.000Z',
      '2027-02-28T00:00:00.000Z',
    ]);
  });
});

describe('periodAt', () => {
  const free: PeriodSource = { signedUpAt: d('2026-01-31T08:00:00Z'), subscription: null };
  const paid: PeriodSource = {
    signedUpAt: d('2025-12-01T00:00:00Z'),
    subscription: {
      interval: 'month',
      billingCycleAnchor: d('2026-02-10T12:00:00Z'),
      currentPeriodStart: d('2026-04-10T12:00:00Z'),
      currentPeriodEnd: d('2026-05-10T12:00:00Z'),
    },
  };

  it('gives free accounts monthly periods from their sign-up anniversary', () => {
    expect(iso(periodAt(free, d('2026-02-28T09:00:00Z')))).toEqual([
      '2026-02-28T08:00:00.000Z',
      '2026-03-31T08:00:00.000Z',
    ]);
  });

  it('uses the mirrored current period, then the anchor for late events and events after the renewal', () => {
    expect(iso(periodAt(paid, d('2026-04-20T00:00:00Z')))).toEqual([
      '2026-04-10T12:00:00.000Z',
      '2026-05-10T12:00:00.000Z',
    ]);
    expect(iso(periodAt(paid, d('2026-03-20T00:00:00Z')))).toEqual([
      '2026-03-10T12:00:00.000Z',
      '2026-04-10T12:00:00.000Z',
    ]);
    expect(iso(periodAt(paid, d('2026-05-10T12:00:00Z')))).toEqual([
      '2026-05-10T12:00:00.000Z',
      '2026-06-10T12:00:00.000Z',
    ]);
  });

  it('places instants before the subscription began in the free periods', () => {
    expect(iso(periodAt(paid, d('2026-02-05T00:00:00Z')))).toEqual([
      '2026-02-01T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ]);
  });

  it('trusts a trial period as mirrored, and steps from the anchor at its end', () => {
    const trial: PeriodSource = {
      signedUpAt: d('2026-01-01T00:00:00Z'),
      subscription: {
        interval: 'month',
        billingCycleAnchor: d('2026-03-15T00:00:00Z'),
        currentPeriodStart: d('2026-03-01T00:00:00Z'),
        currentPeriodEnd: d('2026-03-15T00:00:00Z'),
      },
    };
    expect(iso(periodAt(trial, d('2026-03-10T00:00:00Z')))).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-15T00:00:00.000Z',
    ]);
    expect(iso(periodAt(trial, d('2026-03-16T00:00:00Z')))).toEqual([
      '2026-03-15T00:00:00.000Z',
      '2026-04-15T00:00:00.000Z',
    ]);
  });
});
