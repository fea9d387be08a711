import { Router, type RequestHandler } from 'express';
import type { DataSource } from 'typeorm';
import { authenticate, userPrincipal, type AuthSettings } from '../shared/http/authenticate';
import { idempotent } from '../shared/http/idempotency';
import { parseInput } from '../shared/http/validate';
import type { BillingModule } from './billing.module';
import {
  cancelSubscriptionSchema,
  changeParamsSchema,
  changeRequestSchema,
  emptyBodySchema,
  assertReturnUrlAllowed,
  paymentMethodSessionSchema,
  quoteRequestSchema,
  returnUrlsOf,
  type ReturnUrlPolicy,
} from './billing.validators';

export interface BillingRouteDeps {
  auth: AuthSettings;
  dataSource: DataSource;
  billing: BillingModule;
  /** Which origins a change's success_url / cancel_url may name, and the defaults. */
  returnUrls: ReturnUrlPolicy;
}

interface ChangeLocals {
  change?: {
    quote_id: string;
    supersede?: boolean;
    returnUrls?: { success_url: string; cancel_url: string };
  };
}

/** Quotes, changes and cancellation: authenticate → (Idempotency-Key) → validate → one use case. */
export function buildBillingRouter(deps: BillingRouteDeps): Router {
  const router = Router();
  const user = authenticate(deps.auth, 'user');
  const once = idempotent(deps.dataSource, { required: true });
  const { billing } = deps;

  router.post('/v1/quotes', user, async (req, res) => {
    const body = parseInput(quoteRequestSchema, req.body, 'body');
    res.status(201).json(await billing.quote(userPrincipal(req), body));
  });

  // NOTE: the body is checked before the Idempotency-Key is recorded: a refused URL writes nothing.
  const changeBody: RequestHandler = (req, res, next) => {
    const body = parseInput(changeRequestSchema, req.body, 'body');
    (res.locals as ChangeLocals).change = { ...body, returnUrls: returnUrlsOf(body, deps.returnUrls) };
    next();
  };

  router.post('/v1/changes', user, changeBody, once, async (req, res) => {
    const { quote_id, supersede, returnUrls } = (res.locals as Required<ChangeLocals>).change;
    const rerun = req.context.idempotency?.rerun;
    const options = { supersede, rerun, ...(returnUrls ? { returnUrls } : {}) };
    res.json({ object: 'change', ...(await billing.change(userPrincipal(req), quote_id, options)) });
  });

  router.get('/v1/changes/:id', user, async (req, res) => {
    const { id } = parseInput(changeParamsSchema, req.params, 'params');
    res.json({ object: 'change', ...(await billing.showChange(userPrincipal(req), id)) });
  });

  router.post('/v1/changes/:id/cancel', user, idempotent(deps.dataSource), async (req, res) => {
    const { id } = parseInput(changeParamsSchema, req.params, 'params');
    parseInput(emptyBodySchema, req.body ?? {}, 'body');
    res.json({ object: 'change', ...(await billing.cancelScheduledChange(userPrincipal(req), id)) });
  });

  router.post('/v1/subscription/cancel', user, once, async (req, res) => {
    const { reason, reason_text } = parseInput(cancelSubscriptionSchema, req.body ?? {}, 'body');
    res.json({
      object: 'change',
      ...(await billing.setCancellation(userPrincipal(req), true, { reason, reason_text })),
    });
  });

  router.post('/v1/subscription/resume', user, once, async (req, res) => {
    parseInput(emptyBodySchema, req.body ?? {}, 'body');
    res.json({ object: 'change', ...(await billing.setCancellation(userPrincipal(req), false)) });
  });

  // NOTE: the return URL is checked before the Idempotency-Key is recorded: a refused URL writes nothing.
  router.post('/v1/payment-method/sessions', user, async (req, res, next) => {
    const { return_url } = parseInput(paymentMethodSessionSchema, req.body ?? {}, 'body');
    assertReturnUrlAllowed(return_url, deps.returnUrls, 'return_url');
    res.locals.returnUrl = return_url ?? deps.returnUrls.successUrl;
    next();
  });
  router.post('/v1/payment-method/sessions', user, idempotent(deps.dataSource), async (req, res) => {
    const returnUrl = res.locals.returnUrl as string | undefined;
    res.status(201).json(await billing.openPaymentMethodSession(userPrincipal(req), returnUrl));
  });

  return router;
}
