import { recordOutboundEvent, type SqlRunner } from '../events/record-outbound-event';
import { trials } from './trials.repository';

interface MirrorState {
  id: string;
  accountId: string;
  status: string;
  planCode: string;
  trialEnd: number | null;
  endedAt: number | null;
}

const FELL_BACK = new Set(['canceled', 'unpaid', 'incomplete_expired', 'paused']);

/**
 * A subscription leaving its trial, seen by the mirror (in its transaction): `trialing → active`
 * converted (the first real invoice was paid), `trialing →` canceled/unpaid/paused fell back.
 * NOTE: `past_due` is neither yet: Stripe retries the first charge.
 */
export async function recordTrialTransition(
  sql: SqlRunner,
  before: MirrorState | undefined,
  after: MirrorState,
): Promise<void> {
  if (before?.status !== 'trialing' && before?.status !== 'past_due') return;
  const at = new Date((after.trialEnd ?? after.endedAt ?? 0) * 1000);
  if (after.status === 'active') await trials.finishSubscriptionTrial(sql, after.id, 'converted', at);
  else if (FELL_BACK.has(after.status))
    await trials.finishSubscriptionTrial(
      sql,
      after.id,
      'ended',
      new Date((after.endedAt ?? after.trialEnd ?? 0) * 1000),
    );
}

/** `customer.subscription.trial_will_end` (3 days before): `trial.will_end`, once per trial end. */
export async function recordTrialWillEnd(
  sql: SqlRunner,
  subscription: MirrorState,
  eventCreated: number,
): Promise<void> {
  if (subscription.status !== 'trialing' || subscription.trialEnd === null) return;
  await recordOutboundEvent(sql, {
    type: 'trial.will_end',
    accountId: subscription.accountId,
    data: {
      plan: subscription.planCode,
      subscription: subscription.id,
      ends_at: new Date(subscription.trialEnd * 1000).toISOString(),
    },
    dedupeKey: `trial.will_end:${subscription.id}:${subscription.trialEnd}`,
    occurredAt: new Date(eventCreated * 1000),
  });
}
