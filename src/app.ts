import express, { type Express } from 'express';
import type { Config } from './config/config';
import { buildAccountsRouter } from './accounts/accounts.routes';
import type { Services } from './composition';
import { buildOpsRouter } from './ops/ops.routes';
import { buildOpenApiRouter } from './openapi/openapi.routes';
import type { Metrics } from './ops/metrics';
import type { Readiness } from './ops/readiness';
import type { Logger } from './shared/logger';
import { errorHandler, notFoundHandler } from './shared/http/error-handler';
import { requestContext } from './shared/http/request-context';
import { buildUsageRouter } from './usage/usage.routes';
import { buildCatalogRouter } from './catalog/catalog.routes';
import { buildAdminRequestsRouter } from './admin-requests/admin-requests.routes';
import { buildInvoicesRouter } from './invoices/invoices.routes';
import { buildOffersRouter } from './offers/offers.routes';
import { buildWebhookAdminRouter } from './webhooks/webhook-admin.routes';
import { buildStripeWebhookRouter } from './webhooks/webhooks.routes';
import { buildBillingRouter } from './billing/billing.routes';
import type { ReturnUrlPolicy } from './billing/billing.validators';
import { buildExperimentsRouter } from './experiments/experiments.routes';
import { buildAnalyticsRouter } from './analytics/analytics.routes';
import { buildGuaranteesRouter } from './guarantees/guarantees.routes';
import { buildDemoRouter, demoEnabled } from './local/demo.routes';
import { corsForEndUsers, endUserCors } from './shared/http/cors';
import { refuseUncredentialedBodies } from './shared/http/body-gate';
import { buildRateLimits, rateLimit } from './shared/http/rate-limit';
import { buildWebRouter } from './web/web.routes';
import { buildEventEndpointsRouter } from './events/event-endpoints.routes';
import { auditOperatorActions } from './operators/audit-actions';
import { buildOperatorsRouter } from './operators/operators.routes';
import { buildCustomersRouter } from './customers/customers.routes';
import { buildLifecycleRouter } from './lifecycle/lifecycle.routes';
import { promptsDoor } from './offers/prompts-door';
import { frontDoor } from './shared/http/front-door';
import { entitlementsDoor } from './usage/entitlements-door';
import { recordHelmetHeaders, securityHeaders } from './shared/http/security-headers';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  readiness: Readiness;
  services: Services;
}

/** Routes whose bodies may exceed the default JSON limit, and how far. */
const LARGE_BODY_ROUTES: Array<{ path: string; limit: string }> = [{ path: '/v1/usage', limit: '1mb' }];

/**
 * The allowed return-URL origins always include the service's own (its demo page; local mode's bound
 * port), and outside production any page on this machine (localhost and 127.0.0.1 name one service).
 */
function returnUrlPolicy(config: Config): ReturnUrlPolicy {
  const own = config.http.publicBaseUrl ? [new URL(config.http.publicBaseUrl).origin] : [];
  return {
    ...config.returnUrls,
    allowedOrigins: [...new Set([...config.returnUrls.allowedOrigins, ...own])],
    allowLoopback: config.env !== 'production',
  };
}

/** Builds the HTTP app from explicit dependencies; listening is server.ts's job. */
export function buildApp(deps: AppDependencies): Express {
  const { config, services } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  const headers = recordHelmetHeaders();
  const limits = buildRateLimits(config.rateLimits, services.pool, {
    onError: (error) => deps.logger.warn('rate limit counts not synced; counting in memory meanwhile', { error }),
  });
  // NOTE: first, ahead of every layer: an end user's prompts or entitlement check, from a token
  // already verified, is answered here with what the layers below would have done for it
  // (shared/http/front-door.ts); any other request passes through untouched.
  app.use(
    frontDoor(
      {
        auth: services.auth,
        logger: deps.logger,
        observe: deps.metrics.observeRequest,
        securityHeaders: headers,
        cors: endUserCors(config.http.corsAllowedOrigins),
        limits,
      },
      [promptsDoor(services.offers), entitlementsDoor(services.usage)],
    ),
  );
  app.use(securityHeaders(headers));
  app.use(requestContext(deps.logger, deps.metrics.observeRequest));
  app.use(corsForEndUsers(config.http.corsAllowedOrigins));

  // NOTE: before any JSON parser: Stripe signs the raw bytes, which a parser would consume.
  app.use(buildStripeWebhookRouter({ receive: services.webhooks.receive }));
  // Cheap checks first. NOTE: counted before any body is parsed: a caller over its limit costs no
  // parsing; then no anonymous body is inflated or parsed.
  app.use(rateLimit(limits, services.auth));
  app.use(refuseUncredentialedBodies);
  for (const route of LARGE_BODY_ROUTES) app.use(route.path, express.json({ limit: route.limit }));
  app.use(express.json({ limit: config.http.jsonBodyLimit }));
  app.use(
    auditOperatorActions({
      auditLog: services.operators.auditLog,
      now: () => services.clock.now(),
      logger: deps.logger,
    }),
  );

  // NOTE: express tries every route of every router above a match: routers go in the order they
  // are asked, the end-user API first (prompts on every page view), then the SaaS backend's, the
  // operators', and last the pages, docs and probes.
  app.use(buildOffersRouter({ auth: services.auth, offers: services.offers }));
  app.use(buildUsageRouter({ auth: services.auth, usage: services.usage }));
  app.use(
    buildAccountsRouter({
      auth: services.auth,
      accounts: services.accounts,
      hooks: services.accountHooks,
      sections: services.accountSections,
    }),
  );
  app.use(
    buildCatalogRouter({
      auth: services.auth,
      loaded: services.loadedCatalog,
      findViewer: services.findCatalogViewer,
      versions: services.catalogVersions,
      stripe: services.stripe,
      clock: services.clock,
    }),
  );
  if (services.billing)
    app.use(
      buildBillingRouter({
        auth: services.auth,
        dataSource: services.billing.dataSource,
        billing: services.billing,
        returnUrls: returnUrlPolicy(config),
      }),
    );
  app.use(buildLifecycleRouter({ auth: services.auth, lifecycle: services.lifecycle }));
  if (services.guarantees) app.use(buildGuaranteesRouter({ auth: services.auth, guarantees: services.guarantees }));
  app.use(buildExperimentsRouter({ auth: services.auth, experiments: services.experiments, offers: services.offers }));
  app.use(
    buildAnalyticsRouter({
      auth: services.auth,
      catalog: services.catalog,
      ...services.analytics,
      now: () => services.clock.now(),
    }),
  );
  app.use(buildWebhookAdminRouter({ auth: services.auth, webhooks: services.webhooks, metrics: deps.metrics }));
  app.use(buildEventEndpointsRouter({ auth: services.auth, endpoints: services.events.endpoints }));
  app.use(buildAdminRequestsRouter({ auth: services.auth, requests: services.adminRequests }));
  app.use(buildInvoicesRouter({ auth: services.auth, readInvoices: services.readInvoices }));
  app.use(
    buildOperatorsRouter({
      auth: services.auth,
      operatorKeys: services.operators.keys,
      auditLog: services.operators.auditLog,
      now: () => services.clock.now(),
    }),
  );
  app.use(
    buildCustomersRouter({
      auth: services.auth,
      customers: services.operators.customers,
      dataSource: services.operators.dataSource,
      billing: services.billing,
    }),
  );
  app.use(buildOpsRouter({ readiness: deps.readiness, metrics: deps.metrics }));
  app.use(buildOpenApiRouter({ config }));
  app.use(buildWebRouter({ demoPage: demoEnabled(config) }));
  app.use(buildDemoRouter({ config, ...services }));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
