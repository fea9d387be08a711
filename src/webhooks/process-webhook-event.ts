import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { exponentialDelayMs } from '../shared/exponential-backoff';
import type { Logger } from '../shared/logger';
import type { PriceCodeResolver } from './price-codes';
import type { StripeObjects } from './stripe-objects';
import { inTransaction } from './object-lock';
import type { InSyncTransaction } from './sync-context';
import { WEBHOOK_HANDLERS, type WebhookHandler } from './webhook-handlers';
import { recordEffect, type WebhookHooks } from './webhook-effects';
import { LostClaimError, webhookInbox } from './webhook-inbox.repository';
import type { ClaimedEvent } from './webhook-event';

export type ProcessOutcome = 'processed' | 'ignored' | 'failed' | 'dead' | 'skipped';

export interface ProcessorDeps {
  dataSource: DataSource;
  stripe: StripeObjects;
  resolvePrice: PriceCodeResolver;
  hooks: WebhookHooks;
  logger: Logger;
  /** After this many failed attempts the event is `dead` (replay revives it). */
  maxAttempts: number;
  /** How long a claim holds before another worker may take the event over. */
  leaseSeconds: number;
  /** The wait after the first failed attempt; it doubles after each next one (at most an hour). */
  retryDelaySeconds: number;
  random?: () => number;
  handlers?: Readonly<Record<string, WebhookHandler>>;
}

/** Processes one stored event: claim → handle → processed/ignored, or failed/dead with the error. */
export type ProcessWebhookEvent = (eventId: string) => Promise<ProcessOutcome>;

/** Handles an event this worker already claimed (the batch claim of the event worker). */
export type HandleClaimedEvent = (claim: ClaimedEvent) => Promise<ProcessOutcome>;

const MAX_RETRY_DELAY_MS = 3_600_000;

export function webhookEventProcessor(deps: ProcessorDeps): {
  processEvent: ProcessWebhookEvent;
  handleClaimed: HandleClaimedEvent;
} {
  // NOTE: one connection per event: its advisory lock, reads and transaction share it, so
  // concurrent events can never starve the pool while holding locks.
  const onOwnConnection = async (work: (runner: QueryRunner) => Promise<ProcessOutcome>) => {
    const runner = deps.dataSource.createQueryRunner();
    await runner.connect();
    try {
      return await work(runner);
    } finally {
      await runner.release();
    }
  };
  return {
    processEvent: (eventId) =>
      onOwnConnection(async (runner) => {
        const claim = await webhookInbox.claim(runner.manager, eventId, deps.leaseSeconds);
        return claim ? handle(deps, runner, claim) : 'skipped';
      }),
    handleClaimed: (claim) => onOwnConnection((runner) => handle(deps, runner, claim)),
  };
}

async function handle(deps: ProcessorDeps, runner: QueryRunner, claim: ClaimedEvent): Promise<ProcessOutcome> {
  const handlers = deps.handlers ?? WEBHOOK_HANDLERS;
  try {
    const handler = handlers[claim.type];
    if (!handler) {
      await webhookInbox.finish(runner.manager, claim, 'ignored', `no handler for ${claim.type}`);
      return 'ignored';
    }
    let finished = false;
    const finish =
      (effect: string, targetId: string | null): InSyncTransaction =>
      async (manager, target) => {
        const effectRecord = {
          eventId: claim.id,
          eventType: claim.type,
          effect,
          targetId,
          accountId: target.accountId,
        };
        await recordEffect(manager, effectRecord, deps.hooks);
        const outcome = target.changes.length > 0 ? `changed ${target.changes.join(', ')}` : 'in sync';
        await webhookInbox.finish(manager, claim, 'processed', outcome);
        finished = true;
      };
    const recordOwnEffect = (effect: string, targetId: string | null, accountId: string | null) =>
      inTransaction(runner, async () => {
        const effectRecord = { eventId: claim.id, eventType: claim.type, effect, targetId, accountId };
        await recordEffect(runner.manager, effectRecord, deps.hooks);
      });
    const stripe = deps.stripe;
    const result = await handler({
      sync: { runner, stripe, resolvePrice: deps.resolvePrice },
      event: claim.event,
      finish,
      recordEffect: recordOwnEffect,
      settleBilling: deps.hooks.settleBilling,
    });
    if (result.status === 'ignored') {
      await webhookInbox.finish(runner.manager, claim, 'ignored', result.reason);
      return 'ignored';
    }
    if (!finished) await webhookInbox.finish(runner.manager, claim, 'processed', null);
    return 'processed';
  } catch (error) {
    return await recordFailure(deps, runner.manager, claim, error, runner.isTransactionActive ? runner : undefined);
  }
}

async function recordFailure(
  deps: ProcessorDeps,
  manager: EntityManager,
  claim: ClaimedEvent,
  error: unknown,
  openTransaction?: QueryRunner,
): Promise<ProcessOutcome> {
  if (openTransaction) await openTransaction.rollbackTransaction().catch(() => undefined);
  if (error instanceof LostClaimError) return 'skipped';
  const message = error instanceof Error ? error.message : String(error);
  const retryDelayMs = exponentialDelayMs({
    attempt: claim.attempts,
    firstMs: deps.retryDelaySeconds * 1000,
    maxMs: MAX_RETRY_DELAY_MS,
    random: deps.random,
  });
  const status = await webhookInbox.fail(manager, claim, {
    error: message,
    maxAttempts: deps.maxAttempts,
    retryDelayMs,
  });
  deps.logger.warn('webhook event failed', {
    event_id: claim.id,
    type: claim.type,
    attempt: claim.attempts,
    status,
    error: message,
  });
  return status ?? 'skipped';
}
