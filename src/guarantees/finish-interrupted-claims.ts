import type { GuaranteeDeps } from './guarantee-deps';
import { carryOutClaim } from './carry-out-claim';
import { guaranteePurchases } from './guarantee-purchases.repository';
import { refundClaims } from './refund-claims.repository';

export interface ClaimJanitorReport {
  finished: number;
  stillFailing: number;
}

/**
 * The claims janitor: every claim a crash or a Stripe outage left `claimed` or `refunded` with a
 * lapsed lease is carried forward with the same Stripe keys, so Stripe replays the refund it
 * already made and the reversal happens once. A claim that fails again waits for the next run.
 */
export async function finishInterruptedClaims(deps: GuaranteeDeps): Promise<ClaimJanitorReport> {
  const report: ClaimJanitorReport = { finished: 0, stillFailing: 0 };
  for (const purchaseId of await refundClaims.interruptedPurchaseIds(deps.dataSource)) {
    const claim = await refundClaims.takeOver(deps.dataSource, purchaseId);
    const purchase = claim ? await guaranteePurchases.find(deps.dataSource, purchaseId) : undefined;
    if (!claim || !purchase) continue;
    try {
      await carryOutClaim(deps, claim, purchase);
      report.finished += 1;
    } catch (error) {
      report.stillFailing += 1;
      deps.logger.warn('refund claim still unfinished', { claimId: claim.id, error: String(error) });
    }
  }
  return report;
}
