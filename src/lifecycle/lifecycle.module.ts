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
import type { MessagesByLocale } from '../catalog/catalog-messages';
import { reverseTrialSection, startReverseTrial } from './reverse-trial';
import { reverseTrialPrompt, type ReverseTrialPrompt } from './reverse-trial-prompts';
import { reverseTrials } from './reverse-trials.repository';

export interface LifecycleDeps {
  dataSource: DataSource;
  catalog: Catalog;
  entitlements(accountId: string): Promise<AccountEntitlements | null>;
  clock: { now(): Date };
  logger: Logger;
  /** CHECKOUT_RECOVERY_MINUTES: a Checkout open this long is abandoned. */
  checkoutRecoveryMinutes: number;
  /** The catalog's words (the reverse trial's prompts); English-less prompts fall back to their keys. */
  messages?: MessagesByLocale;
}

/** Lifecycle (issue #20): the cancel preview, abandoned Checkout recovery and its janitor. */
export interface LifecycleModule {
  dataSource: DataSource;
  cancelPreview(accountId: string): Promise<CancelPreview>;
  /** The account's lifecycle prompts: a trial ending in 3 days, a Checkout recovery (re-priced now). */
  prompts(accountId: string): Promise<Array<TrialEndingPrompt | RecoveryPrompt | ReverseTrialPrompt>>;
  /** A new account starts the catalog's reverse trial (if any); one per account, ever. */
  startReverseTrial(accountId: string): Promise<boolean>;
  /** The account view's `reverse_trial` section. */
  accountSection(accountId: string): Promise<Record<string, unknown>>;
  /** Records reverse trials past their end as ended (`trial.ended`, once); entitlements need no job. */
  endReverseTrials(): Promise<number>;
  /** One pass of the recovery janitor: raises a recovery per newly abandoned Checkout. */
  raiseCheckoutRecoveries(): Promise<number>;
  /** Trial, reverse-trial and recovery conversion, cancel reasons and saves. */
  report(period: Period): Promise<Record<string, unknown>>;
  startJanitor(intervalMs?: number): Promise<void>;
  stopJanitor(): Promise<void>;
}

export function buildLifecycleModule(deps: LifecycleDeps): LifecycleModule {
  const raise = () => raiseCheckoutRecoveries(deps.dataSource, deps.clock.now(), deps.checkoutRecoveryMinutes);
  const endReverseTrials = () =>
    deps.dataSource.transaction((manager) => reverseTrials.endDue(manager, deps.clock.now()));
  const janitor = periodicTask(
    'checkout recovery janitor',
    async () => (await raise()) + (await endReverseTrials()),
    deps.logger,
  );
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
      const [subscribed] = await deps.dataSource.query(
        `SELECT 1 FROM subscriptions WHERE account_id = $1 AND status NOT IN ('canceled', 'incomplete_expired')`,
        [accountId],
      );
      const reverse = reverseTrialPrompt(
        { catalog: deps.catalog, messages: deps.messages ?? {} },
        await reverseTrials.of(deps.dataSource, accountId),
        { ...account, subscribed: !!subscribed },
        now,
      );
      return [
        ...(reminder ? [reminder] : []),
        ...(reverse ? [reverse] : []),
        ...(await recoveryPrompts(deps, account, now)),
      ];
    },
    startReverseTrial: (accountId) => startReverseTrial(deps, accountId),
    accountSection: (accountId) => reverseTrialSection(deps, accountId),
    endReverseTrials,
    raiseCheckoutRecoveries: raise,
    report: (period) => lifecycleReport(deps.dataSource, period, deps.clock.now()),
    startJanitor: (intervalMs = 60_000) => janitor.start(intervalMs),
    stopJanitor: () => janitor.stop(),
  };
}
