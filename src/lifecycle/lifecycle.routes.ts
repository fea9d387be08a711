import { Router } from 'express';
import { authenticate, userPrincipal, type AuthSettings } from '../shared/http/authenticate';
import { parseInput } from '../shared/http/validate';
import type { LifecycleModule } from './lifecycle.module';
import {
  cancelPreviewQuerySchema,
  lifecyclePromptsQuerySchema,
  lifecycleReportQuerySchema,
} from './lifecycle.validators';

export interface LifecycleRouteDeps {
  auth: AuthSettings;
  lifecycle: LifecycleModule;
}

export function buildLifecycleRouter(deps: LifecycleRouteDeps): Router {
  const router = Router();
  const user = authenticate(deps.auth, 'user');

  router.get('/v1/subscription/cancel-preview', user, async (req, res) => {
    parseInput(cancelPreviewQuerySchema, req.query, 'query');
    res.json(await deps.lifecycle.cancelPreview(userPrincipal(req).accountId));
  });

  router.get('/v1/lifecycle/prompts', user, async (req, res) => {
    parseInput(lifecyclePromptsQuerySchema, req.query, 'query');
    res.json({ object: 'list', data: await deps.lifecycle.prompts(userPrincipal(req).accountId) });
  });

  router.get('/admin/v1/analytics/lifecycle', authenticate(deps.auth, 'admin'), async (req, res) => {
    const query = parseInput(lifecycleReportQuerySchema, req.query, 'query');
    res.json(await deps.lifecycle.report({ from: new Date(query.from), to: new Date(query.to) }));
  });

  return router;
}
