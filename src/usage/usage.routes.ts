import { Router } from 'express';
import { adminAccountParamsSchema } from '../accounts/accounts.validators';
import { notFound, serviceUnavailable } from '../shared/errors';
import { authenticate, userPrincipal, type AuthSettings } from '../shared/http/authenticate';
import { parseInput } from '../shared/http/validate';
import { signSnapshot, snapshotOf } from './entitlement-snapshot';
import { entitlementCheckView, entitlementView, usageReportView } from './entitlement.view';
import type { UsageService } from './usage.service';
import {
  entitlementParamsSchema,
  entitlementQuerySchema,
  snapshotQuerySchema,
  streamQuerySchema,
} from './usage.validators';

export interface UsageRouteDeps {
  auth: AuthSettings;
  usage: UsageService;
}

export function buildUsageRouter(deps: UsageRouteDeps): Router {
  const router = Router();

  router.post('/v1/usage', authenticate(deps.auth, 'server'), async (req, res) => {
    const result = await deps.usage.ingest(req.body);
    res.json({ object: 'usage_ingestion', ...result });
  });

  router.get('/v1/entitlements', authenticate(deps.auth, 'user'), async (req, res) => {
    const found = await deps.usage.entitlements(userPrincipal(req).accountId);
    if (!found) throw notFound('Account');
    res.json({
      object: 'list',
      account_id: found.accountId,
      plan: found.planCode,
      data: found.entitlements.map(entitlementView),
    });
  });

  // NOTE: before /v1/entitlements/:feature, which would otherwise take "snapshot" and "stream" for features.
  router.get('/v1/entitlements/snapshot', authenticate(deps.auth, 'server'), async (req, res) => {
    const { account_id: accountId } = parseInput(snapshotQuerySchema, req.query, 'query');
    const found = await deps.usage.freshEntitlements(accountId);
    if (!found) throw notFound('Account', 'account_id');
    const snapshot = snapshotOf(found);
    res.json({
      object: 'signed_entitlement_snapshot',
      snapshot,
      signature: signSnapshot(snapshot, deps.auth.apiKeys.server),
    });
  });

  router.get('/v1/entitlements/stream', authenticate(deps.auth, 'server'), (req, res) => {
    parseInput(streamQuerySchema, req.query, 'query');
    const stream = deps.usage.changeStream;
    if (!stream?.available)
      throw serviceUnavailable(
        'stream_unavailable',
        'Entitlement changes cannot be followed right now; retry shortly.',
      );
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1000\n\n');
    const disconnect = stream.connect(
      { send: (frame) => void res.write(frame), end: () => res.end() },
      req.get('Last-Event-ID'),
    );
    req.on('close', disconnect);
    res.on('close', disconnect);
  });

  router.get('/v1/entitlements/:feature', authenticate(deps.auth, 'user'), async (req, res) => {
    const { feature } = parseInput(entitlementParamsSchema, req.params, 'params');
    const { quantity } = parseInput(entitlementQuerySchema, req.query, 'query');
    const check = await deps.usage.check(userPrincipal(req).accountId, feature, quantity ?? 1);
    if (!check) throw notFound('Account');
    res.json(entitlementCheckView(check));
  });

  router.get('/admin/v1/accounts/:id/usage', authenticate(deps.auth, 'admin'), async (req, res) => {
    const { id } = parseInput(adminAccountParamsSchema, req.params, 'params');
    const report = await deps.usage.report(id);
    if (!report) throw notFound('Account', 'id');
    res.json(usageReportView(report));
  });

  return router;
}
