import { Router } from 'express';
import type { Metrics } from '../ops/metrics';
import type { AuthSettings } from '../shared/http/authenticate';
import { authenticate } from '../shared/http/authenticate';
import { emptyBodySchema, parseInput } from '../shared/http/validate';
import { notFound } from '../shared/errors';
import {
  listReconciliationsQuery,
  listWebhookEventsQuery,
  replayRangeSchema,
  webhookEventParams,
} from './webhook-admin.validators';
import { webhookEventView } from './webhook-event';
import { registerWebhookMetrics } from './webhook-metrics';
import type { WebhookModule } from './webhook-module';

/** Operator endpoints: the webhook inbox (list, read, replay) and reconciliation runs; inbox gauges on /metrics. */
export function buildWebhookAdminRouter(deps: {
  auth: AuthSettings;
  webhooks: WebhookModule;
  metrics?: Metrics;
}): Router {
  const router = Router();
  if (deps.metrics) registerWebhookMetrics(deps.metrics.registry, deps.webhooks.countByStatus);
  const admin = authenticate(deps.auth, 'admin');
  const { webhooks } = deps;

  router.get('/admin/v1/webhook-events', admin, async (req, res) => {
    const query = parseInput(listWebhookEventsQuery, req.query, 'query');
    const page = await webhooks.listEvents({
      status: query.status,
      type: query.type,
      limit: query.limit,
      startingAfter: query.starting_after,
    });
    res.json({ object: 'list', data: page.rows.map((row) => webhookEventView(row)), has_more: page.hasMore });
  });

  router.get('/admin/v1/webhook-events/:id', admin, async (req, res) => {
    const { id } = parseInput(webhookEventParams, req.params, 'params');
    const row = await webhooks.findEvent(id);
    if (!row) throw notFound('Webhook event', 'id');
    res.json(webhookEventView(row, true));
  });

  router.post('/admin/v1/webhook-events/:id/replay', admin, async (req, res) => {
    const { id } = parseInput(webhookEventParams, req.params, 'params');
    parseInput(emptyBodySchema, req.body, 'body');
    res.json(webhookEventView(await webhooks.replay(id)));
  });

  router.post('/admin/v1/webhook-events/replay', admin, async (req, res) => {
    const body = parseInput(replayRangeSchema, req.body, 'body');
    const result = await webhooks.replayRange({ from: new Date(body.from), to: new Date(body.to) });
    res.json({ object: 'webhook_replay', from: body.from, to: body.to, ...result });
  });

  router.post('/admin/v1/reconciliations', admin, async (req, res) => {
    parseInput(emptyBodySchema, req.body, 'body');
    res.status(201).json(await webhooks.reconcile('manual'));
  });

  router.get('/admin/v1/reconciliations', admin, async (req, res) => {
    const query = parseInput(listReconciliationsQuery, req.query, 'query');
    const page = await webhooks.listReconciliations({ limit: query.limit, before: query.starting_after });
    res.json({ object: 'list', data: page.runs, has_more: page.hasMore });
  });

  return router;
}
