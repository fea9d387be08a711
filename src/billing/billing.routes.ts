import { Router } from 'express';
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
  quoteRequestSchema,
} from './billing.validators';

export interface BillingRouteDeps {
  auth: AuthSettings;
  dataSource: DataSource;
  billing: BillingModule;
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

  router.post('/v1/changes', user, once, async (req, res) => {
    const { quote_id, supersede } = parseInput(changeRequestSchema, req.body, 'body');
    const rerun = req.context.idempotency?.rerun;
    res.json({ object: 'change', ...(await billing.change(userPrincipal(req), quote_id, { supersede, rerun })) });
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
    parseInput(cancelSubscriptionSchema, req.body ?? {}, 'body');
    res.json({ object: 'change', ...(await billing.setCancellation(userPrincipal(req), true)) });
  });

  router.post('/v1/subscription/resume', user, once, async (req, res) => {
    parseInput(emptyBodySchema, req.body ?? {}, 'body');
    res.json({ object: 'change', ...(await billing.setCancellation(userPrincipal(req), false)) });
  });

  return router;
}
