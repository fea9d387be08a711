import { recordOutboundEvent } from '../events/record-outbound-event';
import type { GuaranteeDeps } from './guarantee-deps';
import { refundEligibility } from './refund-eligibility';

const DAY_MS = 86_400_000;
/** How long before its deadline a guarantee is announced as expiring. */
export const EXPIRING_LEAD_DAYS = 3;

/** The longest window any policy or regional minimum grants: purchases paid before that are out of reach. */
function longestWindowDays(deps: GuaranteeDeps): number {
  const policies = deps.policies;
  if (!policies) return 0;
  const windows = [policies.plan_upgrade, policies.recurring_add_on, policies.one_time]
    .filter((policy) => policy !== undefined)
    .map((policy) => policy.window_days);
  const minimums = (policies.regions ?? []).map((region) => region.minimum_window_days);
  return Math.max(0, ...windows, ...minimums);
}

/**
 * `guarantee.expiring` (issue #21): a purchase a claim would refund now whose deadline falls within
 * the next EXPIRING_LEAD_DAYS is announced once (dedupe key per purchase), for post-purchase
 * follow-ups. Time, not a write, makes it true, so a periodic scan emits it; eligibility is the
 * customer-facing one (`GET /v1/refunds/eligibility`), so nothing is announced that a claim would refuse.
 */
export async function emitExpiringGuarantees(deps: GuaranteeDeps): Promise<number> {
  const longest = longestWindowDays(deps);
  if (longest === 0) return 0;
  const now = deps.clock.now();
  const rows: Array<{ account_id: string }> = await deps.dataSource.query(
    `SELECT DISTINCT p.account_id FROM purchases p
      WHERE p.refunded_at IS NULL AND COALESCE(p.starts_at, p.paid_at) > $1
        AND COALESCE(p.starts_at, p.paid_at) <= $2
        AND NOT EXISTS (SELECT 1 FROM outbound_events e WHERE e.dedupe_key = 'guarantee.expiring:' || p.id)`,
    [new Date(now.getTime() - longest * DAY_MS), now],
  );
  let emitted = 0;
  for (const { account_id: accountId } of rows) {
    for (const line of await refundEligibility(deps, accountId)) {
      if (!line.eligible || !line.deadline || line.amount === null) continue;
      const left = Date.parse(line.deadline) - now.getTime();
      if (left <= 0 || left > EXPIRING_LEAD_DAYS * DAY_MS) continue;
      const id = await recordOutboundEvent(deps.dataSource.manager, {
        type: 'guarantee.expiring',
        accountId,
        data: {
          purchase_id: line.purchase_id,
          product: line.product,
          expires_at: line.deadline,
          amount: line.amount,
          currency: line.currency,
        },
        dedupeKey: `guarantee.expiring:${line.purchase_id}`,
        occurredAt: now,
      });
      if (id) emitted += 1;
    }
  }
  return emitted;
}
