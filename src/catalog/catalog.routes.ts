import { Router } from 'express';
import { notFound, serviceUnavailable } from '../shared/errors';
import { authenticate, userPrincipal, type AuthSettings } from '../shared/http/authenticate';
import { parseInput } from '../shared/http/validate';
import type { StripeClient } from '../stripe/stripe-client';
import type { FindCatalogViewer } from './catalog-viewer.reader';
import type { CatalogVersionRepository } from './catalog-version.repository';
import { catalogVersionView } from './catalog-version.view';
import {
  plansQuerySchema,
  publicPlansQuerySchema,
  syncBodySchema,
  validateBodySchema,
  versionsQuerySchema,
} from './catalog.validators';
import { validateCatalogText, type LoadedCatalog } from './load-catalog';
import { showPlans } from './show-plans';
import { showPublicPlans } from './public-plans';
import { syncCatalog } from './sync/sync-catalog';

export interface CatalogRouteDeps {
  auth: AuthSettings;
  /** The validated catalog the service runs with (loaded once at start-up). */
  loaded: LoadedCatalog;
  findViewer: FindCatalogViewer;
  versions: CatalogVersionRepository;
  /** Absent when no Stripe is configured: diff and sync answer 503. */
  stripe?: StripeClient;
  /** The service's clock: the moment a public table's guarantees are promised for. */
  clock?: { now(): Date };
}

/** GET /v1/plans for end users; read, validate, diff and sync for operators. */
export function buildCatalogRouter(deps: CatalogRouteDeps): Router {
  const router = Router();
  const admin = authenticate(deps.auth, 'admin');
  const stripe = () => {
    if (!deps.stripe) throw serviceUnavailable('stripe_unavailable', 'No Stripe is configured for this service.');
    return deps.stripe;
  };

  router.get('/v1/plans', authenticate(deps.auth, 'user'), async (req, res) => {
    const query = parseInput(plansQuerySchema, req.query, 'query');
    const viewer = await deps.findViewer(userPrincipal(req).accountId);
    if (!viewer) throw notFound('Account');
    res.json({ object: 'comparison_table', ...showPlans({ loaded: deps.loaded, viewer, ...query }) });
  });

  // NOTE: no credential: the pricing page of a visitor who is not logged in (rate-limited per IP).
  router.get('/v1/public/plans', (req, res) => {
    const query = parseInput(publicPlansQuerySchema, req.query, 'query');
    const at = deps.clock?.now() ?? new Date();
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json({ object: 'comparison_table', ...showPublicPlans({ loaded: deps.loaded, at, ...query }) });
  });

  router.get('/admin/v1/catalog', admin, async (_req, res) => {
    const live = await deps.versions.live();
    res.json({
      object: 'catalog',
      version: deps.loaded.version,
      live_version: live?.version ?? null,
      locales: Object.keys(deps.loaded.messages),
      catalog: deps.loaded.catalog,
    });
  });

  router.get('/admin/v1/catalog/versions', admin, async (req, res) => {
    const { limit } = parseInput(versionsQuerySchema, req.query, 'query');
    const rows = await deps.versions.list(limit);
    res.json({ object: 'list', data: rows.map(catalogVersionView) });
  });

  router.get('/admin/v1/catalog/diff', admin, async (_req, res) => {
    const result = await syncCatalog({ loaded: deps.loaded, stripe: stripe(), actor: 'admin-api', dryRun: true });
    res.json({
      object: 'catalog_diff',
      version: result.version,
      in_sync: result.operations.length === 0,
      operations: result.operations,
      lines: result.lines,
    });
  });

  router.post('/admin/v1/catalog/validate', admin, (req, res) => {
    const { yaml } = parseInput(validateBodySchema, req.body, 'body');
    const problems = validateCatalogText(yaml, deps.loaded.messages);
    res.json({ object: 'catalog_validation', valid: problems.length === 0, problems });
  });

  router.post('/admin/v1/catalog/sync', admin, async (req, res) => {
    const { dry_run } = parseInput(syncBodySchema, req.body ?? {}, 'body');
    const result = await syncCatalog({
      loaded: deps.loaded,
      stripe: stripe(),
      versions: deps.versions,
      actor: 'admin-api',
      dryRun: dry_run ?? false,
      logger: req.context.logger,
    });
    res.json({ object: 'catalog_sync', ...result });
  });

  return router;
}
