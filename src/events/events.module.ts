import type { Pool } from 'pg';
import type { Logger } from '../shared/logger';
import { periodicTask } from '../shared/periodic-task';
import { DeliveryWorker } from './delivery-worker';
import type { Resolve } from './endpoint-url-policy';
import { EventEndpointsRepository } from './event-endpoints.repository';
import { EventEndpointsService } from './event-endpoints.service';
import { httpSender, type SendRequest } from './http-sender';
import { purgeOldEvents } from './purge-old-events';

const HOUR_MS = 3_600_000;

export interface EventsModule {
  endpoints: EventEndpointsService;
  worker: DeliveryWorker;
  startWorker(): void;
  stopWorker(): Promise<void>;
}

/** Outbound events: operators' endpoints and the outbox's delivery worker (docs/events.md). */
export function buildEventsModule(deps: {
  pool: () => Pool;
  logger: Logger;
  clock: { now(): Date };
  production: boolean;
  timeoutMs: number;
  /** OUTBOUND_EVENTS_RETENTION_DAYS: an hourly purge deletes older events and their deliveries. */
  retentionDays: number;
  send?: SendRequest;
  resolve?: Resolve;
}): EventsModule {
  const now = () => deps.clock.now();
  const sender = deps.send ? undefined : httpSender({ timeoutMs: deps.timeoutMs, production: deps.production });
  const worker = new DeliveryWorker({
    pool: deps.pool,
    logger: deps.logger,
    send: deps.send ?? sender!.send,
    now,
    timeoutMs: deps.timeoutMs,
  });
  const purge = periodicTask(
    'outbound event purge',
    () => purgeOldEvents({ pool: deps.pool, now: now(), retentionDays: deps.retentionDays }),
    deps.logger,
  );
  let purgeStarted: Promise<void> | undefined;
  return {
    endpoints: new EventEndpointsService({
      repository: new EventEndpointsRepository(deps.pool),
      now,
      production: deps.production,
      resolve: deps.resolve,
    }),
    worker,
    startWorker: () => {
      worker.start();
      purgeStarted = purge.start(HOUR_MS);
    },
    stopWorker: async () => {
      await purgeStarted;
      await purge.stop();
      await worker.stop();
      sender?.close();
    },
  };
}
