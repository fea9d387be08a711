import type { UserPrincipal } from '../shared/http/principal';
import { canManageBilling } from '../shared/http/principal';
import { forbidden, notFound } from '../shared/errors';
import { carryOutClaim } from './carry-out-claim';
import { recheckUnderLane } from './recheck-under-lane';
import { decideEligibility } from './guarantee-eligibility';
import type { GuaranteeDeps } from './guarantee-deps';
import { guaranteePurchases, type ClaimablePurchase } from './guarantee-purchases.repository';
import { priorClaimsOf, refundClaims, type NewClaim, type RefundClaim } from './refund-claims.repository';
import { readLedger, asBought } from './read-ledger';
import { refundAmount } from './refund-amount';
import { refusalError } from './refusal-error';

/**
 * POST /v1/refunds: a customer's claim under the money-back guarantee. setup (the purchase, the
 * account, its claims, its usage) → decide (pure eligibility) → the claim row, the per-purchase
 * lock → execute (Stripe refund, reversal). Refusals send nothing to Stripe.
 */
export async function claimRefund(
  deps: GuaranteeDeps,
  principal: UserPrincipal,
  request: { purchaseId: string; reason: string },
): Promise<RefundClaim> {
  if (!canManageBilling(principal)) throw forbidden('Only an owner or an admin may ask for a refund.');
  const purchase = await guaranteePurchases.find(deps.dataSource, request.purchaseId);
  if (!purchase || purchase.accountId !== principal.accountId) throw notFound('Purchase', 'purchase_id');
  const stalled = await refundClaims.takeOver(deps.dataSource, purchase.id);
  if (stalled) return carryOutClaim(deps, stalled, purchase);

  const facts = await factsOf(deps, purchase);
  const first = decide(deps, purchase, facts, await refundClaims.ofAccount(deps.dataSource, purchase.accountId));
  // The ledger (only once the rules allow a claim): what Stripe still holds for this purchase's
  // invoice lines, and the period they paid for.
  const ledger = await readLedger(deps, purchase);
  const bought = asBought(purchase, ledger);
  const claim = await deps.dataSource.transaction(async (manager) => {
    await refundClaims.lockAccount(manager, purchase.accountId);
    // Decided again under the lock: a parallel claim may have been recorded since the first look.
    const wanted = decide(deps, bought, facts, await refundClaims.ofAccount(manager, purchase.accountId));
    const amount = refundAmount(wanted.amount, ledger);
    if (amount <= 0) throw refusalError('nothing_to_refund', first.deadline);
    return refundClaims.insert(manager, newClaim(purchase, principal, request.reason, amount, wanted.oncePerProduct));
  });
  return carryOutClaim(deps, await recheckUnderLane(deps, claim, purchase), purchase);
}

function newClaim(
  purchase: ClaimablePurchase,
  principal: UserPrincipal,
  reason: string,
  amount: number,
  oncePerProduct: boolean,
): NewClaim {
  return {
    accountId: purchase.accountId,
    purchaseId: purchase.id,
    product: purchase.product,
    purchaseKind: purchase.category,
    source: 'customer',
    withinPolicy: true,
    onceKey: oncePerProduct ? `${purchase.accountId}:${purchase.product}` : null,
    reverse: true,
    reason,
    requestedBy: `user:${principal.userId}`,
    currency: purchase.currency,
    amount,
    stripeChargeId: purchase.stripeChargeId,
  };
}

async function factsOf(deps: GuaranteeDeps, purchase: ClaimablePurchase) {
  const account = await deps.accounts.find(purchase.accountId);
  return { country: account?.country ?? '', usageShare: await deps.usageShare(purchase.accountId) };
}

function decide(
  deps: GuaranteeDeps,
  purchase: ClaimablePurchase,
  facts: { country: string; usageShare: number | null },
  prior: RefundClaim[],
) {
  const decision = decideEligibility({
    policies: deps.policies,
    purchase,
    country: facts.country,
    priorClaims: priorClaimsOf(prior),
    usageShare: facts.usageShare,
    now: deps.clock.now(),
  });
  if (!decision.eligible) throw refusalError(decision.reason, decision.deadline);
  const kind = purchase.category === 'renewal' || purchase.category === 'interval_change' ? null : purchase.category;
  const oncePerProduct = kind ? (deps.policies?.[kind]?.once_per_product ?? true) : true;
  return { amount: decision.amount, deadline: decision.deadline, oncePerProduct };
}
