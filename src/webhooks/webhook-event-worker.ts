import type { Pool } from 'pg';
import type { Logger } from '../shared/logger';
import { pollingLoop, type PollingLoop } from '../shared/polling-loop';
import type { HandleClaimedEvent } from './process-webhook-event';
import { webhookInboxQueue } from './webhook-inbox-queue';

export interface WebhookEventWorkerDeps {
  pool: () => Pool;
  handleClaimed: HandleClaimedEvent;
  logger: Logger;
  /** Events claimed (and handled in parallel, each on its own connection) per round. */
  batchSize: number;
  leaseSeconds: number;
  pollingIntervalSeconds: number;
}

/**
 * Works off the inbox: claims a batch of due rows (SKIP LOCKED, so the workers of every instance
 * share it without double work), handles them, and claims again at once while there are any; when
 * none are due it polls, or sooner when this instance has just stored an event (`wake`).
 */
export function webhookEventWorker(deps: WebhookEventWorkerDeps): PollingLoop {
  return pollingLoop({
    name: 'webhook event worker',
    pollMs: () => deps.pollingIntervalSeconds * 1000,
    logger: deps.logger,
    round: async () => {
      const claims = await webhookInboxQueue.claimDue(deps.pool(), deps.batchSize, deps.leaseSeconds);
      // NOTE: a handler's failure is recorded on its row (failed/dead) by handleClaimed; one that
      // throws past it (the database gone) leaves the row leased, due again when the lease ends.
      await Promise.all(
        claims.map((claim) =>
          deps.handleClaimed(claim).catch((error: unknown) => {
            deps.logger.error('webhook event handling failed', { event_id: claim.id, error: String(error) });
          }),
        ),
      );
      return claims.length;
    },
  });
}
