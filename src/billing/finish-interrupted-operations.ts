import { assertFreshOnResume } from './assert-still-fresh';
import { removeBundleInvoiceItems } from './bundle-invoice-items';
import type { BillingDeps } from './billing-deps';
import { withdrawOneTime } from './charge-one-time';
import { operations } from './operation-journal';
import { runOperation } from './run-operation';

export interface JanitorReport {
  examined: number;
  completed: number;
  failed: number;
  stillOpen: number;
}

/**
 * The janitor: finishes or rolls forward every operation a crash or an outage left
 * claimed or sent, and refreshes those waiting on the customer, by asking Stripe (the
 * same steps with the same derived keys). Run at start-up and periodically.
 */
export async function finishInterruptedOperations(deps: BillingDeps): Promise<JanitorReport> {
  const report: JanitorReport = { examined: 0, completed: 0, failed: 0, stillOpen: 0 };
  for (const id of await operations.unfinishedIds(deps.dataSource)) {
    const leased = await operations.takeLease(deps.dataSource, id);
    if (!leased) continue;
    report.examined += 1;
    try {
      await assertFreshOnResume(deps, leased);
      await runOperation(deps, leased);
    } catch (error) {
      deps.logger.warn('janitor could not finish a billing operation yet', { operationId: id, error: String(error) });
    }
    const after = await operations.find(deps.dataSource, id);
    if (after?.state === 'completed') report.completed += 1;
    else if (after?.state === 'failed') report.failed += 1;
    else report.stillOpen += 1;
  }
  await removeFailedBundleItems(deps);
  await removeFailedOneTimeItems(deps);
  return report;
}

/**
 * NOTE: a bundle's one-time items are pending invoice items of the subscription; left there by a
 * refused bundle whose clean-up failed (or crashed), the next renewal invoice would bill them.
 * One bounded list per customer with a bundle failed in the last week; deleting is idempotent.
 */
async function removeFailedBundleItems(deps: BillingDeps): Promise<void> {
  const rows: Array<{ customer: string; ids: string[] }> = await deps.dataSource.query(
    `SELECT stripe_params->>'customer' AS customer, array_agg(id) AS ids FROM billing_operations
     WHERE kind = 'update' AND state = 'failed' AND updated_at > now() - interval '7 days'
       AND jsonb_array_length(COALESCE(stripe_params->'bundle'->'invoice_items', '[]'::jsonb)) > 0
     GROUP BY 1 LIMIT 100`,
  );
  for (const row of rows) await removeBundleInvoiceItems(deps, row.ids, row.customer);
}

/**
 * NOTE: a one-time purchase refused part-way (at its second invoice item, at its invoice) leaves
 * pending invoice items on the customer that the next invoice would bill with no purchase behind
 * them. The refusal withdraws them at once; this repeats it for every one-time purchase failed in
 * the last week and not yet withdrawn (that attempt failed or crashed). Withdrawing is idempotent.
 */
async function removeFailedOneTimeItems(deps: BillingDeps): Promise<void> {
  const rows: Array<{ id: string; customer: string; stripe_object_id: string | null }> = await deps.dataSource.query(
    `SELECT id, stripe_params->>'customer' AS customer, stripe_object_id FROM billing_operations
     WHERE kind = 'one_time' AND state = 'failed' AND withdrawn_at IS NULL
       AND updated_at > now() - interval '7 days'
     ORDER BY updated_at DESC LIMIT 100`,
  );
  for (const row of rows)
    await withdrawOneTime(deps, { id: row.id, stripeObjectId: row.stripe_object_id }, row.customer);
}
