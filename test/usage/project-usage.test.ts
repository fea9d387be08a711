import { projectUsage } from '../../src/usage/project-usage';

const period = { start: new Date('2026-04-01T00:00:00Z'), end: new Date('2026-05-01T00:00:00Z') };

describe('projectUsage', () => {
  it('extrapolates usage so far over the elapsed fraction, and dates when the limit is hit', () => {
    const sut = projectUsage({ used: 300, limit: 1000, period, at: new Date('2026-04-07T00:00:00Z') });
    expect(sut.elapsed).toBeCloseTo(0.2);
    expect(sut.projectedTotal).toBe(1500);
    expect(sut.projectedLimitAt?.toISOString()).toBe('2026-04-21T00:00:00.000Z');
  });

  it('gives no date when the pace stays under the limit, and now when it is already reached', () => {
    expect(
      projectUsage({ used: 100, limit: 1000, period, at: new Date('2026-04-16T00:00:00Z') }).projectedLimitAt,
    ).toBeNull();
    const at = new Date('2026-04-10T00:00:00Z');
    expect(projectUsage({ used: 1000, limit: 1000, period, at }).projectedLimitAt).toEqual(at);
  });

  it('keeps a finished period as it ended, treats gauges as levels, and never dates an unlimited feature', () => {
    expect(projectUsage({ used: 700, limit: 1000, period, at: new Date('2026-06-01T00:00:00Z') }).projectedTotal).toBe(
      700,
    );
    expect(
      projectUsage({ used: 7, limit: 10, period, at: new Date('2026-04-02T00:00:00Z'), kind: 'gauge' }),
    ).toMatchObject({ projectedTotal: 7, projectedLimitAt: null });
    expect(projectUsage({ used: 500, limit: 'unlimited', period, at: new Date('2026-04-16T00:00:00Z') })).toMatchObject(
      { projectedTotal: 1000, projectedLimitAt: null },
    );
  });

  it("does not extrapolate a first hour's burst over a whole month", () => {
    const sut = projectUsage({ used: 900, limit: 1000, period, at: new Date('2026-04-01T00:30:00Z') });
    // Paced over at least one day: 900/day × 30 days, not 900 per half hour × 1,440 half hours.
    expect(sut.projectedTotal).toBe(27_000);
    expect(sut.projectedLimitAt?.toISOString()).toBe('2026-04-02T02:40:00.000Z');
  });
});
