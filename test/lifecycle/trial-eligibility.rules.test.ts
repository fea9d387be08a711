import { daysLeft, trialDaysFor } from '../../src/lifecycle/trial-eligibility.rules';

describe('trialDaysFor', () => {
  it("gives the plan's trial once, pays now when asked, and refuses what cannot be", () => {
    expect(trialDaysFor({ planTrialDays: 14, alreadyUsed: false })).toBe(14);
    expect(trialDaysFor({ planTrialDays: 14, alreadyUsed: true })).toBeNull();
    expect(trialDaysFor({ planTrialDays: 14, alreadyUsed: false, wanted: false })).toBeNull();
    expect(trialDaysFor({ planTrialDays: 0, alreadyUsed: false })).toBeNull();
    expect(() => trialDaysFor({ planTrialDays: 14, alreadyUsed: true, wanted: true })).toThrow(/one trial per plan/);
    expect(() => trialDaysFor({ planTrialDays: 0, alreadyUsed: false, wanted: true })).toThrow(/no free trial/);
  });

  it('counts a started day as a day left, never below 0', () => {
    const end = new Date('2026-04-15T00:00:00Z');
    expect(daysLeft(end, new Date('2026-04-01T00:00:00Z'))).toBe(14);
    expect(daysLeft(end, new Date('2026-04-12T01:00:00Z'))).toBe(3);
    expect(daysLeft(end, new Date('2026-04-16T00:00:00Z'))).toBe(0);
  });
});
