import type { GuaranteeDeps } from './guarantee-deps';
import type { ClaimablePurchase } from './guarantee-purchases.repository';
import { readLedger } from './read-ledger';
import { reversalBlocker } from './reverse-purchase';
import { refundAmount } from './refund-amount';
import { refundClaims, type RefundClaim } from './refund-claims.repository';
import { refusalError } from './refusal-error';

/**
 * A new claim's amount, checked again once the claim holds the account's billing lane: the ledger
 * read before the claim may have moved (a change applied in between returned credit for the same
 * items). The claim then never asks Stripe for more than the ledger says now; nothing left ends it
 * failed (`nothing_to_refund`, lane given back), and so does a purchase that could not be taken
 * back (`reversalBlocker`). NOTE: only for a claim that has sent nothing yet: a new one, or a
 * resumed one Stripe holds no refund for (carry-out-claim.ts); a resumed claim whose refund Stripe
 * has keeps its amount.
 */
export async function recheckUnderLane(
  deps: GuaranteeDeps,
  claim: RefundClaim,
  purchase: ClaimablePurchase,
): Promise<RefundClaim> {
  let amount: number;
  let blocker: 'later_purchases_first' | null = null;
  try {
    amount = refundAmount(claim.amount, await readLedger(deps, purchase));
    if (claim.reverse) blocker = await reversalBlocker(deps, purchase);
  } catch (error) {
    // nothing was sent: the claim stays `claimed` for the client's retry or the janitor
    await refundClaims.releaseLease(deps.dataSource, claim.id);
    throw error;
  }
  if (blocker) {
    await refundClaims.fail(deps.dataSource, claim.id, { code: blocker });
    throw refusalError(blocker, null);
  }
  if (amount === claim.amount) return claim;
  if (amount <= 0) {
    await refundClaims.fail(deps.dataSource, claim.id, { code: 'nothing_to_refund' });
    throw refusalError('nothing_to_refund', null);
  }
  // NOTE: updated_at stays: carry-out-claim reads updated_at = created_at as "a first run" (step keys).
  await deps.dataSource.query(`UPDATE refund_claims SET amount = $2 WHERE id = $1 AND state = 'claimed'`, [
    claim.id,
    amount,
  ]);
  return { ...claim, amount };
}
