import type { DataSource } from 'typeorm';
import { reverseTrialPlan } from '../catalog/catalog-reverse-trial.rules';
import type { Catalog } from '../catalog/catalog.types';
import { DAY_SECONDS, daysLeft } from './trial-eligibility.rules';
import { reverseTrials, type ReverseTrial } from './reverse-trials.repository';
import { trials } from './trials.repository';

export interface ReverseTrialDeps {
  dataSource: DataSource;
  catalog: Catalog;
  clock: { now(): Date };
}

/**
 * A new account (created by `PUT /v1/accounts/:id`) without a live subscription starts the
 * catalog's reverse trial: its plan for N days, no card, no Stripe subscription. One per account,
 * ever (a second start is a no-op). Returns whether one started.
 */
export async function startReverseTrial(deps: ReverseTrialDeps, accountId: string): Promise<boolean> {
  const option = reverseTrialPlan(deps.catalog);
  if (!option) return false;
  const now = deps.clock.now();
  return deps.dataSource.transaction(async (manager) => {
    const live: unknown[] = await manager.query(
      `SELECT 1 FROM subscriptions WHERE account_id = $1 AND status NOT IN ('canceled', 'incomplete_expired')`,
      [accountId],
    );
    if (live.length > 0) return false;
    return trials.start(manager, {
      accountId,
      planCode: option.plan.code,
      kind: 'reverse_trial',
      startedAt: now,
      endsAt: new Date(now.getTime() + option.days * DAY_SECONDS * 1000),
      stripeSubscriptionId: null,
    });
  });
}

/** Whether the reverse trial grants its plan at `now`: not converted, and strictly before its end. */
export function isRunning(trial: ReverseTrial | null, now: Date): trial is ReverseTrial {
  return !!trial && trial.outcome !== 'converted' && now.getTime() < trial.endsAt.getTime();
}

/** The account view's `reverse_trial` while one runs: `{ plan, ends_at, days_left }`, else null. */
export async function reverseTrialSection(
  deps: ReverseTrialDeps,
  accountId: string,
): Promise<{ reverse_trial: { plan: string; ends_at: string; days_left: number } | null }> {
  const now = deps.clock.now();
  const trial = await reverseTrials.of(deps.dataSource, accountId);
  if (!isRunning(trial, now)) return { reverse_trial: null };
  return {
    reverse_trial: {
      plan: trial.planCode,
      ends_at: trial.endsAt.toISOString(),
      days_left: daysLeft(trial.endsAt, now),
    },
  };
}
