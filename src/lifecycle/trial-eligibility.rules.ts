import { conflict, unprocessable } from '../shared/errors';

export const DAY_SECONDS = 86_400;

/**
 * Whether a Free → paid change starts the plan's trial (pure).
 * - `wanted` absent: the catalog's trial when the plan has one and this account never had it;
 *   otherwise the change is charged at once, as before.
 * - `wanted: true`: the trial, or 409 `trial_already_used` / 422 `trial_not_available`.
 * - `wanted: false`: the customer chose to pay now.
 * Returns the trial's length in days, or null for no trial.
 */
export function trialDaysFor(input: { planTrialDays: number; alreadyUsed: boolean; wanted?: boolean }): number | null {
  if (input.wanted === false) return null;
  if (input.planTrialDays <= 0) {
    if (input.wanted) throw unprocessable('trial_not_available', 'This plan has no free trial.', 'trial');
    return null;
  }
  if (input.alreadyUsed) {
    if (input.wanted)
      throw conflict('trial_already_used', 'This account already had the free trial of this plan; one trial per plan.');
    return null;
  }
  return input.planTrialDays;
}

/** Whole days left until `endsAt` (a part of a day counts as a day), never negative. */
export function daysLeft(endsAt: Date, now: Date): number {
  return Math.max(0, Math.ceil((endsAt.getTime() - now.getTime()) / (DAY_SECONDS * 1000)));
}
