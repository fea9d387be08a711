import type { DataSource } from 'typeorm';
import type { Logger } from '../shared/logger';
import { accountsWithCustomers } from './customer-accounts';
import type { PriceCodeResolver } from './price-codes';
import type { StripeObjects } from './stripe-objects';
import { subscriptionMirrors } from './subscription-mirror.repository';
import { syncSubscription } from './sync-subscription';

export interface ReconcileDeps {
  dataSource: DataSource;
  stripe: StripeObjects;
  resolvePrice: PriceCodeResolver;
  logger: Logger;
  /** Subscriptions compared at once (each holds one connection). */
  concurrency: number;
}

export interface ReconciliationReport {
  id: string;
  trigger: 'manual' | 'schedule';
  started_at: string;
  finished_at: string;
  checked: number;
  changed: number;
  changes: Array<{ subscription_id: string; account_id: string; fields: string[] }>;
  unknown_customers: Array<{ subscription_id: string; customer_id: string | null }>;
  errors: Array<{ id: string; message: string }>;
}

/**
 * Compares every local subscription, and every subscription of every account's
 * Stripe customer, with Stripe and repairs the mirror where it drifted. A second
 * run right after reports no changes.
 */
export async function reconcileSubscriptions(
  deps: ReconcileDeps,
  trigger: 'manual' | 'schedule',
): Promise<ReconciliationReport> {
  const startedAt = new Date();
  const errors: ReconciliationReport['errors'] = [];
  const ids = new Set(await subscriptionMirrors.allIds(deps.dataSource.manager));
  for (const account of await accountsWithCustomers(deps.dataSource.manager)) {
    try {
      for (const subscription of await deps.stripe.customerSubscriptions(account.customerId)) ids.add(subscription.id);
    } catch (error) {
      errors.push({ id: account.customerId, message: messageOf(error) });
    }
  }
  const changes: ReconciliationReport['changes'] = [];
  const unknown: ReconciliationReport['unknown_customers'] = [];
  await forEachLimited([...ids].sort(), deps.concurrency, async (id) => {
    const runner = deps.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const result = await syncSubscription({ runner, stripe: deps.stripe, resolvePrice: deps.resolvePrice }, id);
      if (result.outcome === 'unknown_customer') unknown.push({ subscription_id: id, customer_id: result.customerId });
      else if (result.outcome === 'second_live')
        errors.push({
          id,
          message: `a second live subscription of account ${result.accountId} beside ${result.liveIds.join(', ')}`,
        });
      else if (result.changes.length > 0) {
        changes.push({ subscription_id: id, account_id: result.accountId, fields: result.changes });
      }
    } catch (error) {
      errors.push({ id, message: messageOf(error) });
    } finally {
      await runner.release();
    }
  });
  changes.sort((a, b) => a.subscription_id.localeCompare(b.subscription_id));
  const finishedAt = new Date();
  const body = { checked: ids.size, changed: changes.length, changes, unknown_customers: unknown, errors };
  const rows: Array<{ id: string }> = await deps.dataSource.query(
    `INSERT INTO reconciliation_runs (trigger, started_at, finished_at, checked, changed, report)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING id`,
    [trigger, startedAt, finishedAt, body.checked, body.changed, JSON.stringify(body)],
  );
  const report = {
    id: `recon_${rows[0]?.id ?? ''}`,
    trigger,
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    ...body,
  };
  deps.logger.info('subscription reconciliation finished', {
    trigger,
    checked: report.checked,
    changed: report.changed,
    errors: errors.length,
  });
  return report;
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
