import { Router } from 'express';
import { adminAccountParamsSchema } from '../accounts/accounts.validators';
import { notFound } from '../shared/errors';
import { authenticate, userPrincipal, type AuthSettings } from '../shared/http/authenticate';
import { parseInput } from '../shared/http/validate';
import { entitlementCheckView, entitlementView, usageReportView } from './entitlement.view';
import type { UsageService } from './usage.service';
import { entitlementParamsSchema, entitlementQuerySchema } from './usage.validators';

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
