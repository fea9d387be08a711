import crypto from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { AccountRepository } from '../accounts/account.repository';
import type { AccountHooks } from '../accounts/upsert-account';
import type { BillingModule } from '../billing/billing.module';
import type { Config } from '../config/config';
import { AppError, notFound, unprocessable } from '../shared/errors';
import { parseInput } from '../shared/http/validate';
import { translateStripeError } from '../stripe/stripe-errors';
import type { UsageService } from '../usage/usage.service';
import { demoClockOf } from './demo-clock';
import { DEMO_ACCOUNT_ID, demoToken } from './demo';
import type { LocalMode } from './local-mode';
import { demoClockBody, demoSessionQuery, demoUsageBody, emptyBody } from './demo-validators';

export interface DemoRouteDeps {
  config: Config;
  accounts: AccountRepository;
  accountHooks: AccountHooks;
  usage: UsageService;
  clock: { now(): Date };
  billing?: BillingModule;
  /** Local mode: the clock shared with the emulator, whose skip moves every customer's test clock too. */
  local?: LocalMode;
}

/**
 * True where the demo page and its helpers may exist: local mode only — demo data on, the Stripe
 * emulator (no STRIPE_SECRET_KEY) and never production. The helpers mint tokens for anyone who
 * can reach the port, so a development instance on a real Stripe account does not get them.
 */
export function demoEnabled(config: Config): boolean {
  return config.demoData && config.env !== 'production' && !config.stripe.secretKey;
}

/**
 * The demo page's local-only helpers under /demo/api: a signed token per persona, usage pushed
 * as the SaaS backend would push it, a clock that skips ahead, and the billing janitor on demand.
 * NOTE: they hand out tokens without a credential, so they exist only in local mode (the router
 * is empty otherwise, and every path answers 404).
 */
export function buildDemoRouter(deps: DemoRouteDeps): Router {
  const router = Router();
  if (!demoEnabled(deps.config)) return router;
  const clock = demoClockOf(deps);
  router.use('/demo/api', onlyFromThisMachine);

  router.get('/demo/api/session', async (req, res) => {
    const query = parseInput(demoSessionQuery, req.query, 'query');
    const token = demoToken(deps.config, { role: query.role, days: 1 });
    const account = await deps.accounts.find(DEMO_ACCOUNT_ID);
    if (!token || !account) throw notFound('Demo account');
    if (query.locale && query.locale !== account.locale) {
      const { account: updated } = await deps.accounts.upsert({ ...account, locale: query.locale });
      await deps.accountHooks.afterUpsert?.(updated);
    }
    res.json({
      object: 'demo_session',
      account_id: DEMO_ACCOUNT_ID,
      role: query.role,
      locale: query.locale ?? account.locale,
      token,
      stripe_publishable_key: deps.config.stripe.publishableKey ?? null,
      now: clock.now().toISOString(),
      offset_days: clock.offsetDays(),
    });
  });

  router.post('/demo/api/usage', async (req, res) => {
    const body = parseInput(demoUsageBody, req.body, 'body');
    const { action, quantity } = await asSent(deps.usage, body);
    const result = await deps.usage.ingest({
      events: [
        {
          id: `demo_${crypto.randomUUID()}`,
          account_id: DEMO_ACCOUNT_ID,
          feature: body.feature,
          quantity,
          action,
          timestamp: clock.now().toISOString(),
        },
      ],
    });
    const rejected = result.rejected[0];
    if (rejected) throw unprocessable(rejected.error.code, rejected.error.message, 'feature');
    res.json({ object: 'demo_usage', ...result });
  });

  router.get('/demo/api/clock', (_req, res) => {
    res.json({ object: 'demo_clock', now: clock.now().toISOString(), offset_days: clock.offsetDays() });
  });

  // NOTE: forward only (`days` ≥ 1, else 422): Stripe's test clocks cannot go back, so neither does the service.
  router.post('/demo/api/clock', async (req, res) => {
    const { days } = parseInput(demoClockBody, req.body, 'body');
    const { now, testClocks } = await clock.advance(days).catch((error: unknown) => {
      throw translateStripeError(error);
    });
    // NOTE: the moment the skip moved everything to, not clock.now() a few milliseconds on.
    res.json({
      object: 'demo_clock',
      now: now.toISOString(),
      offset_days: clock.offsetDays(),
      test_clocks_moved: testClocks,
    });
  });

  // NOTE: Checkout completes when the billing janitor (every minute) or GET /v1/changes/{id} asks
  // Stripe; the demo page returns from Checkout and asks for that now rather than in a minute.
  router.post('/demo/api/settle', async (req, res) => {
    // NOTE: a JSON body (even {}) is required: a cross-site form post cannot send one without a preflight.
    if (!req.is('application/json')) throw unsupportedMediaType();
    parseInput(emptyBody, req.body ?? {}, 'body');
    const report = deps.billing ? await deps.billing.finishInterruptedOperations() : null;
    res.json({ object: 'demo_settle', report });
  });

  return router;
}

/**
 * The demo's buttons add ("create a project"); a gauge takes the new total (`set`), as a SaaS
 * backend would send it, so an increment of a gauge becomes its current value plus the step.
 */
async function asSent(
  usage: UsageService,
  body: { feature: string; quantity: number; action: 'increment' | 'set' },
): Promise<{ action: 'increment' | 'set'; quantity: number }> {
  if (body.action === 'set') return body;
  const current = (await usage.entitlements(DEMO_ACCOUNT_ID))?.entitlements.find((e) => e.feature === body.feature);
  if (current?.type === 'metered' && current.kind === 'gauge')
    return { action: 'set', quantity: current.used + body.quantity };
  return body;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/**
 * The helpers hand out owner tokens with no credential: only to a browser on this machine that
 * addresses the service as localhost (a page elsewhere on the network, or a DNS-rebound name,
 * gets the 404 every unknown route gets).
 */
const onlyFromThisMachine: RequestHandler = (req, _res, next) => {
  const host = req.headers.host ?? '';
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '') || !LOCAL_HOST.test(host))
    return next(notFound(`Route ${req.method} ${req.path}`));
  next();
};

function unsupportedMediaType(): AppError {
  return new AppError({
    status: 415,
    type: 'invalid_request_error',
    code: 'unsupported_media_type',
    message: 'Send a JSON body (Content-Type: application/json), even an empty {}.',
  });
}
