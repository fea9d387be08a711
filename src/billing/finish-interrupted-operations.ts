import type { BillingDeps } from './billing-deps';
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
      await runOperation(deps, leased);
    } catch (error) {
      deps.logger.warn('janitor could not finish a billing operation yet', { operationId: id, error: String(error) });
    }
    const after = await operations.find(deps.dataSource, id);
    if (after?.state === 'completed') report.completed += 1;
    else if (after?.state === 'failed') report.failed += 1;
    else report.stillOpen += 1;
  }
  return report;
}
