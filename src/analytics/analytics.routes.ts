import { Router } from 'express';
import type { Catalog } from '../catalog/catalog.types';
import { authenticate, type AuthSettings } from '../shared/http/authenticate';
import { sendCsv, wantsCsv } from '../shared/http/csv';
import { parseInput } from '../shared/http/validate';
import { funnelCsv, revenueCsv } from './analytics-csv';
import { cancellationsOf, type AnalyticsRepository } from './analytics.repository';
import { clockQuerySchema, funnelQuerySchema, revenueQuerySchema } from './analytics.validators';
import { buildFunnel } from './funnel';
import { revenueReport } from './revenue-report';

export interface AnalyticsRouteDeps {
  auth: AuthSettings;
  repository: AnalyticsRepository;
  catalog: Catalog;
  /** The gross margin lifetime value uses unless the request names another (0 < m ≤ 1). */
  grossMargin: number;
  /** The service's clock: the console's date ranges are read from it, never from the browser's. */
  now: () => Date;
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
    const data = buildFunnel(events, query.group_by, query.interval);
    if (wantsCsv(req, query.format)) return sendCsv(res, `funnel-${query.group_by}.csv`, funnelCsv(data));
    res.json({
      object: 'funnel',
      group_by: query.group_by,
      attribution_days: query.attribution_days,
      data,
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
    const report = revenueReport({
      catalog: deps.catalog,
      period,
      purchases,
      subscriptions,
      cancellations: cancellationsOf(subscriptions),
      renewalChanges,
      collected,
      refundCounts,
      grossMargin: query.gross_margin ?? deps.grossMargin,
    });
    if (wantsCsv(req, query.format)) return sendCsv(res, `revenue-${query.table}.csv`, revenueCsv(report, query.table));
    res.json({ object: 'revenue_report', ...report });
  });

  router.get('/admin/v1/clock', admin, (req, res) => {
    parseInput(clockQuerySchema, req.query, 'query');
    res.json({ object: 'clock', now: deps.now().toISOString() });
  });
  return router;
}
