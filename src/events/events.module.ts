import type { Pool } from 'pg';
import type { Logger } from '../shared/logger';
import { DeliveryWorker } from './delivery-worker';
import type { Resolve } from './endpoint-url-policy';
import { EventEndpointsRepository } from './event-endpoints.repository';
import { EventEndpointsService } from './event-endpoints.service';
import { httpSender, type SendRequest } from './http-sender';

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
  return {
    endpoints: new EventEndpointsService({
      repository: new EventEndpointsRepository(deps.pool),
      now,
      production: deps.production,
      resolve: deps.resolve,
    }),
    worker,
    startWorker: () => worker.start(),
    stopWorker: async () => {
      await worker.stop();
      sender?.close();
    },
  };
}
