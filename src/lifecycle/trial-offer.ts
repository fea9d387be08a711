import type { DataSource } from 'typeorm';
import type { Catalog } from '../catalog/catalog.types';
import { trialDaysFor } from './trial-eligibility.rules';
import { trials } from './trials.repository';

/** The trial a Free → paid change starts (days), or null: the catalog's trial, once per account and plan. */
export async function trialForCheckout(
  dataSource: DataSource,
  catalog: Catalog,
  accountId: string,
  request: { plan?: string; trial?: boolean },
): Promise<number | null> {
  const plan = catalog.plans.find((candidate) => candidate.code === request.plan);
  if (!plan) return null;
  const alreadyUsed = await trials.used(dataSource, accountId, plan.code);
  return trialDaysFor({ planTrialDays: plan.trial_days, alreadyUsed, wanted: request.trial });
}
