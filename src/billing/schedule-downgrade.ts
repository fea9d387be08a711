import { definitelyRefused, translateStripeError } from '../stripe/stripe-errors';
import type { BillingDeps } from './billing-deps';
import { callStripe } from './call-stripe';
import type { ChangeOutcome } from './change-outcome';
import { mirrorSubscription } from './mirror-subscription';
import { operations, type Operation } from './operation-journal';
import { stepKey } from './step-key';
import type { Stripe } from '../stripe/stripe-client';
import type { PriceQuantity, QuoteStripeParams } from './quote-stripe-params';

export type ScheduleParams = Extract<QuoteStripeParams, { kind: 'schedule' }>;

/**
 * Downgrades wait for the renewal: a subscription schedule made from the subscription,
 * whose current phase ends at the period end and whose next phase holds the new items
 * (no proration, no refund of the unused part — STRIPE.md). Two Stripe steps, each with
 * its own derived key; the schedule id is journalled between them.
 */
export async function scheduleDowngrade(
  deps: BillingDeps,
  operation: Operation,
  params: ScheduleParams,
): Promise<ChangeOutcome> {
  let scheduleId = operation.stripeObjectId;
  if (!scheduleId) {
    const existing = (await deps.stripe.subscriptions.retrieve(params.subscription)).schedule;
    const schedule = existing
      ? { id: typeof existing === 'string' ? existing : existing.id }
      : await callStripe(deps, operation, () =>
          deps.stripe.subscriptionSchedules.create(
            { from_subscription: params.subscription },
            { idempotencyKey: stepKey(operation, 'schedule') },
          ),
        );
    scheduleId = schedule.id;
    await operations.setObject(deps.dataSource, operation.id, scheduleId);
  }
  const current = await deps.stripe.subscriptionSchedules.retrieve(scheduleId);
  const startDate = current.phases[0]?.start_date ?? current.current_phase?.start_date;
  const interval = params.bought.interval;
  const id = scheduleId;
  const discountsOf = phaseDiscounts(current.phases[0]);
  // NOTE: the subscription's own discounts (a coupon on the whole subscription) ride on each phase
  // too: a phase sent without them ends them, and the quote's next invoice counted them.
  const kept = subscriptionDiscounts(current.phases[0]);
  await callStripe(deps, operation, () =>
    deps.stripe.subscriptionSchedules.update(
      id,
      {
        end_behavior: 'release',
        phases: [
          {
            items: params.current_items.map((item) => withDiscounts(item, discountsOf)),
            start_date: startDate,
            end_date: params.switch_at,
            ...(kept.length > 0 ? { discounts: kept } : {}),
          },
          {
            items: params.next_items.map((item) => withDiscounts(item, discountsOf)),
            duration: { interval, interval_count: 1 },
            ...(kept.length > 0 ? { discounts: kept } : {}),
          },
        ],
        metadata: { tierlift_operation_id: operation.id },
      },
      { idempotencyKey: stepKey(operation, 'phases') },
    ),
  );
  const outcome: ChangeOutcome = {
    status: 'scheduled',
    effective_at: new Date(params.switch_at * 1000).toISOString(),
    schedule: id,
  };
  await mirrorSubscription(deps, params.subscription);
  await deps.dataSource.transaction(async (manager) => {
    await manager.query(`UPDATE subscriptions SET scheduled_change = $2 WHERE id = $1`, [
      params.subscription,
      JSON.stringify({
        operation_id: operation.id,
        schedule: id,
        plan: params.bought.plan,
        interval: params.bought.interval,
        effective_at: outcome.effective_at,
      }),
    ]);
    await operations.finish(manager, operation.id, 'completed', outcome);
  });
  return outcome;
}

/** What a `cancel_schedule` operation undoes: the scheduled downgrade's own operation. */
export interface CancelScheduleParams {
  schedule_operation_id: string;
  subscription: string;
}

/**
 * Runs a `cancel_schedule` operation, which holds the account's lane while the schedule is released
 * (a change or refund cannot interleave with it). Repeatable: the release has a derived key and a
 * released schedule is not released again.
 */
export async function cancelSchedule(
  deps: BillingDeps,
  operation: Operation,
  params: CancelScheduleParams,
): Promise<ChangeOutcome> {
  const scheduled = await operations.find(deps.dataSource, params.schedule_operation_id);
  if (!scheduled) throw new Error(`scheduled operation ${params.schedule_operation_id} is gone`);
  await operations.markSent(deps.dataSource, operation.id);
  let outcome: ChangeOutcome;
  try {
    outcome = await releaseScheduledDowngrade(deps, scheduled, scheduled.stripeParams as unknown as ScheduleParams);
  } catch (error) {
    if (!definitelyRefused(error)) throw error;
    // refused outright (the schedule already ended): nothing changed, the lane is given back
    const translated = translateStripeError(error);
    await operations.finish(deps.dataSource.manager, operation.id, 'failed', {
      status: 'failed',
      error: { code: translated.code, message: translated.message },
    });
    throw translated;
  }
  await operations.finish(deps.dataSource.manager, operation.id, 'completed', outcome);
  return outcome;
}

type PhaseItemDiscount = { discount: string };

/**
 * The discounts `from_subscription` copied into phase 0, by price: the phases sent back carry them,
 * since Stripe removes what a re-sent phase leaves out (a bundle's coupon on its add-on included).
 * The next phase keeps them on the items that continue at the same price; a new price starts bare.
 * NOTE: docs.stripe.com/billing/subscriptions/subscription-schedules; read from the schedule, so a
 * repeat of this step sends the same parameters under the same key.
 */
function phaseDiscounts(phase: Stripe.SubscriptionSchedule.Phase | undefined): Map<string, PhaseItemDiscount[]> {
  const byPrice = new Map<string, PhaseItemDiscount[]>();
  for (const item of phase?.items ?? []) {
    const price = typeof item.price === 'string' ? item.price : item.price.id;
    const discounts = (item.discounts ?? [])
      .map((entry) => (typeof entry.discount === 'string' ? entry.discount : (entry.discount?.id ?? null)))
      .filter((discount): discount is string => discount !== null)
      .map((discount) => ({ discount }));
    if (discounts.length > 0) byPrice.set(price, discounts);
  }
  return byPrice;
}

/** The subscription-level discounts `from_subscription` copied into phase 0, as discount ids. */
function subscriptionDiscounts(phase: Stripe.SubscriptionSchedule.Phase | undefined): PhaseItemDiscount[] {
  return (phase?.discounts ?? [])
    .map((entry) => (typeof entry.discount === 'string' ? entry.discount : (entry.discount?.id ?? null)))
    .filter((discount): discount is string => discount !== null)
    .map((discount) => ({ discount }));
}

function withDiscounts(
  item: PriceQuantity,
  discounts: Map<string, PhaseItemDiscount[]>,
): PriceQuantity & { discounts?: PhaseItemDiscount[] } {
  const kept = discounts.get(item.price);
  return kept ? { ...item, discounts: kept } : item;
}

/** Cancels a scheduled downgrade before it takes effect: the schedule is released, the plan stays. */
export async function releaseScheduledDowngrade(
  deps: BillingDeps,
  operation: Operation,
  params: ScheduleParams,
): Promise<ChangeOutcome> {
  const scheduleId = operation.stripeObjectId;
  if (scheduleId) {
    const schedule = await deps.stripe.subscriptionSchedules.retrieve(scheduleId);
    if (schedule.status === 'active' || schedule.status === 'not_started')
      await deps.stripe.subscriptionSchedules.release(
        scheduleId,
        {},
        { idempotencyKey: stepKey(operation, 'release') },
      );
  }
  await mirrorSubscription(deps, params.subscription);
  const outcome: ChangeOutcome = { ...(operation.result ?? {}), status: 'canceled' };
  await deps.dataSource.transaction(async (manager) => {
    await manager.query(`UPDATE subscriptions SET scheduled_change = NULL WHERE id = $1`, [params.subscription]);
    await operations.amendResult(manager, operation.id, outcome);
  });
  return outcome;
}
