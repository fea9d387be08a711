import type { DataSource } from 'typeorm';
import type { Catalog } from '../catalog/catalog.types';
import { notFound } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { periodicTask } from '../shared/periodic-task';
import type { AccountEntitlements } from '../usage/read-entitlements';
import { lifecycleReport, type Period } from './lifecycle-analytics';
import { trialReminder, type TrialEndingPrompt } from './trial-reminder';
import { cancelPreview, type CancelPreview } from './cancel-preview';
import { raiseCheckoutRecoveries, recoveryPrompts, type RecoveryPrompt } from './checkout-recovery';

export interface LifecycleDeps {
  dataSource: DataSource;
  catalog: Catalog;
  entitlements(accountId: string): Promise<AccountEntitlements | null>;
  clock: { now(): Date };
  logger: Logger;
  /** CHECKOUT_RECOVERY_MINUTES: a Checkout open this long is abandoned. */
  checkoutRecoveryMinutes: number;
}

/** Lifecycle (issue #20): the cancel preview, abandoned Checkout recovery and its janitor. */
export interface LifecycleModule {
  dataSource: DataSource;
  cancelPreview(accountId: string): Promise<CancelPreview>;
  /** The account's lifecycle prompts: a trial ending in 3 days, a Checkout recovery (re-priced now). */
  prompts(accountId: string): Promise<Array<TrialEndingPrompt | RecoveryPrompt>>;
  /** One pass of the recovery janitor: raises a recovery per newly abandoned Checkout. */
  raiseCheckoutRecoveries(): Promise<number>;
  /** Trial, reverse-trial and recovery conversion, cancel reasons and saves. */
  report(period: Period): Promise<Record<string, unknown>>;
  startJanitor(intervalMs?: number): Promise<void>;
  stopJanitor(): Promise<void>;
}

export function buildLifecycleModule(deps: LifecycleDeps): LifecycleModule {
  const raise = () => raiseCheckoutRecoveries(deps.dataSource, deps.clock.now(), deps.checkoutRecoveryMinutes);
  const janitor = periodicTask('checkout recovery janitor', raise, deps.logger);
  return {
    dataSource: deps.dataSource,
    cancelPreview: (accountId) => cancelPreview(deps, accountId),
    prompts: async (accountId) => {
      const [account]: Array<{ id: string; country: string; locale: string }> = await deps.dataSource.query(
        'SELECT id, country, locale FROM accounts WHERE id = $1',
        [accountId],
      );
      if (!account) throw notFound('Account');
      const now = deps.clock.now();
      const reminder = await trialReminder(deps, account, now);
      return [...(reminder ? [reminder] : []), ...(await recoveryPrompts(deps, account, now))];
    },
    raiseCheckoutRecoveries: raise,
    report: (period) => lifecycleReport(deps.dataSource, period),
    startJanitor: (intervalMs = 60_000) => janitor.start(intervalMs),
    stopJanitor: () => janitor.stop(),
  };
}
