import { Router } from 'express';
import type { Catalog } from '../catalog/catalog.types';
import { authenticate, type AuthSettings } from '../shared/http/authenticate';
import { parseInput } from '../shared/http/validate';
import { cancellationsOf, type AnalyticsRepository } from './analytics.repository';
import { funnelQuerySchema, revenueQuerySchema } from './analytics.validators';
import { buildFunnel } from './funnel';
import { revenueReport } from './revenue-report';

export interface AnalyticsRouteDeps {
  auth: AuthSettings;
  repository: AnalyticsRepository;
  catalog: Catalog;
  /** The gross margin lifetime value uses unless the request names another (0 < m ≤ 1). */
  grossMargin: number;
}

/** /admin/v1/analytics: the offer funnel and the revenue report. */
export function buildAnalyticsRouter(deps: AnalyticsRouteDeps): Router {
  const router = Router();
  const admin = authenticate(deps.auth, 'admin');

  router.get('/admin/v1/analytics/funnel', admin, async (req, res) => {
    const query = parseInput(funnelQuerySchema, req.query, 'query');
    const period = { from: new Date(query.from), to: new Date(query.to) };
    const [events, declines, recoveries] = await Promise.all([
      deps.repository.funnelEvents(period, query.attribution_days),
      deps.repository.declineReasons(period),
      deps.repository.recoveries(period),
    ]);
    res.json({
      object: 'funnel',
      group_by: query.group_by,
      attribution_days: query.attribution_days,
      data: buildFunnel(events, query.group_by, query.interval),
      declines,
      recoveries,
    });
  });

  router.get('/admin/v1/analytics/revenue', admin, async (req, res) => {
    const query = parseInput(revenueQuerySchema, req.query, 'query');
    const period = { from: new Date(query.from), to: new Date(query.to) };
    const [purchases, subscriptions, renewalChanges, collected, refundCounts] = await Promise.all([
      deps.repository.purchases(period),
      deps.repository.subscriptions(),
      deps.repository.renewalChanges(period),
      deps.repository.collected(period),
      deps.repository.refundCounts(period),
    ]);
    res.json({
      object: 'revenue_report',
      ...revenueReport({
        catalog: deps.catalog,
        period,
        purchases,
        subscriptions,
        cancellations: cancellationsOf(subscriptions),
        renewalChanges,
        collected,
        refundCounts,
        grossMargin: query.gross_margin ?? deps.grossMargin,
      }),
    });
  });
  return router;
}
