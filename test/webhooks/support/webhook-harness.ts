import crypto from 'node:crypto';
import type { Express } from 'express';
import Stripe from 'stripe';
import supertest from 'supertest';
import type { DataSource } from 'typeorm';
import { buildApp } from '../../../src/app';
import { buildServices } from '../../../src/composition';
import { createMetrics } from '../../../src/ops/metrics';
import { databaseCheck, Readiness } from '../../../src/ops/readiness';
import { buildDataSource } from '../../../src/shared/database/data-source';
import { createLogger } from '../../../src/shared/logger';
import type { WebhookEffect, WebhookHooks } from '../../../src/webhooks/webhook-effects';
import { buildWebhookModule, type WebhookModule, type WebhookSettings } from '../../../src/webhooks/webhook-module';
import type { StripeObjects } from '../../../src/webhooks/stripe-objects';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { testConfig } from '../../support/test-config';

export const WEBHOOK_SECRET = 'whsec_test_webhooks_0123456789abcdef';

/** Fast retries for tests. */
export const TEST_WEBHOOK_SETTINGS: Partial<WebhookSettings> = {
  maxAttempts: 3,
  retryDelaySeconds: 1,
  pollingIntervalSeconds: 0.5,
  batchSize: 5,
  reconcileCron: undefined,
};

export interface WebhookInstance {
  app: Express;
  webhooks: WebhookModule;
  dataSource: DataSource;
  /** Every effect hook call this instance made, in order. */
  effects: WebhookEffect[];
  close(): Promise<void>;
}

/** One service instance (app + webhook module) on the given schema, reading Stripe through `stripe`. */
export async function startInstance(
  db: { url: string; schema: string },
  stripe: StripeObjects,
  settings: Partial<WebhookSettings> = {},
  webhookSecret = WEBHOOK_SECRET,
): Promise<WebhookInstance> {
  const config = testConfig({ STRIPE_WEBHOOK_SECRET: webhookSecret });
  const logger = createLogger({ level: 'error', format: 'json', silent: !process.env.TEST_LOG_LEVEL });
  const dataSource = buildDataSource({
    url: db.url,
    schema: db.schema,
    poolSize: 10,
    statementTimeoutMs: 30000,
    lockTimeoutMs: 10000,
  });
  await dataSource.initialize();
  const effects: WebhookEffect[] = [];
  const hooks: WebhookHooks = { onEffect: async (_manager, effect) => void effects.push(effect) };
  const webhooks = buildWebhookModule({
    dataSource,
    logger,
    webhookSecret,
    stripe,
    hooks,
    settings: { ...TEST_WEBHOOK_SETTINGS, ...settings },
  });
  const services = { ...buildServices({ config, logger, dataSource }), webhooks };
  const app = buildApp({
    config,
    logger,
    metrics: createMetrics(),
    readiness: new Readiness([databaseCheck(dataSource)]),
    services,
  });
  return {
    app,
    webhooks,
    dataSource,
    effects,
    close: async () => {
      await webhooks.stopWorker();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

export async function createWebhookDatabase(): Promise<TestDatabase> {
  return createTestDatabase();
}

/** Drops the schema pg-boss made beside the test schema. */
export async function dropQueueSchema(db: TestDatabase): Promise<void> {
  await db.dataSource.query(`DROP SCHEMA IF EXISTS "pgboss_${db.schema}" CASCADE`);
}

const signer = new Stripe('sk_test_signer_only');

/** A Stripe-Signature header for `payload`, as Stripe computes it. */
export function signature(payload: string, options: { secret?: string; timestamp?: number } = {}): string {
  return signer.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
  });
}

/** A minimal event envelope around `object`, serialised the way Stripe sends it (pretty-printed). */
export function eventPayload(
  type: string,
  object: Record<string, unknown>,
  id = `evt_${crypto.randomBytes(12).toString('hex')}`,
) {
  const event = {
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
  return { id, body: JSON.stringify(event, null, 2) };
}

/** Posts a signed delivery. */
export function deliver(app: Express, body: string, header = signature(body)) {
  return supertest(app)
    .post('/webhooks/stripe')
    .set('Content-Type', 'application/json; charset=utf-8')
    .set('Stripe-Signature', header)
    .send(body);
}

/** Waits until `check` returns true (polling), or fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function insertAccount(dataSource: DataSource, id: string, customerId: string | null): Promise<void> {
  await dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at, stripe_customer_id)
     VALUES ($1, $1, $1 || '@example.test', 'US', 'en', now(), $2)`,
    [id, customerId],
  );
}

export async function countRows(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows: Array<{ n: string }> = await dataSource.query(sql, params);
  return Number(rows[0]?.n ?? 0);
}
