import path from 'node:path';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { Config } from '../config/config';
import { demoEnabled } from '../local/demo.routes';
import { allRouteSpecs } from './all-routes';
import { buildOpenApiDocument } from './build-openapi-document';
import { DOCS_INIT_JS, DOCS_PAGE_HTML } from './docs-page';
import { outboundEventWebhooks } from '../events/outbound-event-schemas';

export const API_INFO = {
  title: 'Tierlift API',
  version: '0.1.0',
  description:
    'Billing for SaaS upgrades: catalog, usage, in-app offers, prorated changes and money-back guarantees over Stripe. ' +
    'Amounts are integers in minor units beside a lowercase ISO currency. Every answer carries `Request-Id`.',
};

/** The routes this app mounts: local-only ones (the demo's) only in local mode. */
export function routeSpecsFor(config: Config) {
  return allRouteSpecs.filter((spec) => !spec.localOnly || demoEnabled(config));
}

/** `GET /openapi.json` (built once, here) and the interactive reference at `/docs`; no credential needed. */
export function buildOpenApiRouter(deps: { config: Config }): Router {
  const router = Router();
  const document = buildOpenApiDocument(routeSpecsFor(deps.config), API_INFO, outboundEventWebhooks);

  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE_HTML);
  });
  // Assets are middleware, not routes: the page's own initializer beside Swagger UI's files.
  router.use('/docs/assets', serveInitializer, express.static(SWAGGER_UI_DIR, { index: false }));
  return router;
}

/** swagger-ui-dist's folder (what its getAbsoluteFSPath() answers; the package ships no types). */
const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

function serveInitializer(req: Request, res: Response, next: NextFunction): void {
  if (req.path !== '/tierlift-init.js' || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
  res.type('application/javascript').send(DOCS_INIT_JS);
}
