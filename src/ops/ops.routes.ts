import { Router } from 'express';
import type { Metrics } from './metrics';
import type { Readiness } from './readiness';

export function buildOpsRouter(deps: { readiness: Readiness; metrics: Metrics }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const status = await deps.readiness.status();
    res.status(status.ready ? 200 : 503).json({ status: status.ready ? 'ready' : 'not_ready', checks: status.checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  return router;
}
