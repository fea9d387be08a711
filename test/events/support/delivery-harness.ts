import type { Pool } from 'pg';
import { DeliveryWorker } from '../../../src/events/delivery-worker';
import { EventEndpointsRepository } from '../../../src/events/event-endpoints.repository';
import { EventEndpointsService } from '../../../src/events/event-endpoints.service';
import { httpSender, type SendRequest } from '../../../src/events/http-sender';
import { recordOutboundEvent } from '../../../src/events/record-outbound-event';
import type { OutboundEventType } from '../../../src/events/outbound-event-types';
import { createLogger } from '../../../src/shared/logger';
import { pgPoolOf } from '../../../src/usage/pg-pool';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

/** A test database, a movable clock, the endpoints service and workers built on them. */
export async function deliveryHarness() {
  const db: TestDatabase = await createTestDatabase();
  const pool = (): Pool => pgPoolOf(db.dataSource);
  const clock = { ms: Date.parse('2026-03-02T09:00:00Z') };
  const now = () => new Date(clock.ms);
  const logger = createLogger({ level: 'error', format: 'json', silent: true });
  const endpoints = new EventEndpointsService({
    repository: new EventEndpointsRepository(pool),
    now,
    production: false,
  });
  const senders: Array<{ close(): void }> = [];
  const worker = (options: { timeoutMs?: number; send?: SendRequest; random?: () => number } = {}) => {
    const sender = httpSender({ timeoutMs: options.timeoutMs ?? 2000, production: false });
    senders.push(sender);
    return new DeliveryWorker({
      pool,
      logger,
      send: options.send ?? sender.send,
      now,
      timeoutMs: options.timeoutMs ?? 2000,
      random: options.random,
    });
  };
  const record = (type: OutboundEventType, accountId: string | null, data: Record<string, unknown>) =>
    recordOutboundEvent(db.dataSource.manager, { type, accountId, data });
  return {
    db,
    pool,
    clock,
    now,
    logger,
    endpoints,
    worker,
    record,
    advance: (ms: number) => (clock.ms += ms),
    close: async () => {
      for (const sender of senders) sender.close();
      await db.drop();
    },
  };
}

export type DeliveryHarness = Awaited<ReturnType<typeof deliveryHarness>>;
