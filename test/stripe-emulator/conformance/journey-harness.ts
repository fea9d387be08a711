import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { buildApp } from '../../../src/app';
import type { BillingModule } from '../../../src/billing/billing.module';
import { CatalogVersionRepository } from '../../../src/catalog/catalog-version.repository';
import { syncCatalog } from '../../../src/catalog/sync/sync-catalog';
import { buildServices, type Services } from '../../../src/composition';
import { startStripeEmulator, type StripeEmulator } from '@tierlift/stripe-emulator';
import { createMetrics } from '../../../src/ops/metrics';
import { databaseCheck, Readiness } from '../../../src/ops/readiness';
import { createExpressServer } from '../../../src/shared/http/express-server';
import { createLogger } from '../../../src/shared/logger';
import { createStripeClient, type StripeClient } from '../../../src/stripe/stripe-client';
import { demoCatalog } from '../../catalog/support/demo-catalog';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { testConfig } from '../../support/test-config';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy';

/** Where the journeys run: the emulator (optionally behind a recorder), or a Stripe test-mode account. */
export type JourneyTarget = { kind: 'emulator'; record: boolean } | { kind: 'stripe'; secretKey: string };

export interface JourneyHarness {
  app: Express;
  services: Services;
  billing: BillingModule;
  stripe: StripeClient;
  db: TestDatabase;
  /** Set on the emulator only. */
  emulator?: StripeEmulator;
  /** Set when recording: every exchange between the service and the emulator. */
  recorder?: RecordingProxy;
  /** Every webhook event the emulator delivered to the app, as sent. */
  webhookEvents: unknown[];
  /** Test clocks created by the journeys; deleted on close on real Stripe (which deletes their customers). */
  clocks: string[];
  close(): Promise<void>;
}

/**
 * The real app on a private schema with the demo catalog synced, speaking to the emulator
 * (through a recording proxy when asked) or to Stripe test mode. On the emulator the app also
 * receives every webhook event the emulator sends, as in production.
 */
export async function startJourneyHarness(target: JourneyTarget): Promise<JourneyHarness> {
  const emulator = target.kind === 'emulator' ? await startStripeEmulator({ port: 0 }) : undefined;
  const recorder =
    emulator && target.kind === 'emulator' && target.record ? await startRecordingProxy(emulator) : undefined;
  const address = recorder ?? emulator;
  const stripe = createStripeClient({
    secretKey: target.kind === 'stripe' ? target.secretKey : (emulator as StripeEmulator).secretKey,
    ...(address ? { emulator: { host: address.host, port: address.port } } : {}),
    maxNetworkRetries: target.kind === 'stripe' ? 2 : 0,
    timeoutMs: 80000,
  });
  const db = await createTestDatabase();
  const webhookEvents: unknown[] = [];
  const receiver = emulator ? await webhookReceiver(stripe, webhookEvents) : undefined;
  const config = testConfig(receiver ? { STRIPE_WEBHOOK_SECRET: receiver.secret } : {});
  const logger = createLogger({
    level: process.env.TEST_LOG_LEVEL ?? 'error',
    format: 'json',
    silent: !process.env.TEST_LOG_LEVEL,
  });
  const loaded = demoCatalog();
  await syncCatalog({
    loaded,
    stripe,
    versions: new CatalogVersionRepository(db.dataSource),
    actor: 'journeys',
    dryRun: false,
  });
  const services = buildServices({ config, logger, dataSource: db.dataSource, stripe, loadedCatalog: loaded });
  const app = buildApp({
    config,
    logger,
    metrics: createMetrics(),
    readiness: new Readiness([databaseCheck(db.dataSource)]),
    services,
  });
  if (!services.billing) throw new Error('billing module not built');
  if (receiver) {
    receiver.attach(app);
    await services.webhooks.startWorker();
  }
  const clocks: string[] = [];
  return {
    app,
    services,
    billing: services.billing,
    stripe,
    db,
    emulator,
    recorder,
    webhookEvents,
    clocks,
    close: async () => {
      if (receiver) {
        await services.webhooks.stopWorker();
        await receiver.close();
        await db.dataSource.query(`DROP SCHEMA IF EXISTS "pgboss_${db.schema}" CASCADE`);
      }
      if (target.kind === 'stripe')
        for (const clock of clocks) await stripe.testHelpers.testClocks.del(clock).catch(() => undefined);
      await recorder?.close();
      await emulator?.close();
      await db.drop();
    },
  };
}

/** An HTTP listener registered as the emulator's webhook endpoint; 503 until the app is attached. */
async function webhookReceiver(stripe: StripeClient, events: unknown[]) {
  const { server, serve } = createExpressServer((_req, res) => res.writeHead(503).end());
  server.on('request', (incoming: IncomingMessage) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      try {
        events.push(JSON.parse(Buffer.concat(chunks).toString()) as unknown);
      } catch {
        // not an event: nothing to check
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
  const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: ['*'] });
  return {
    secret: endpoint.secret ?? '',
    attach: (app: Express) => serve(app),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
