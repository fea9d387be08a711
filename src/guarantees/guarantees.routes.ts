import { Router } from 'express';
import { authenticate, userPrincipal, type AuthSettings } from '../shared/http/authenticate';
import { idempotent } from '../shared/http/idempotency';
import { parseInput } from '../shared/http/validate';
import type { GuaranteesModule } from './guarantees.module';
import {
  claimRefundSchema,
  listRefundsQuery,
  manualRefundSchema,
  trainingParams,
  trainingStartSchema,
} from './guarantees.validators';

/** Refunds under the money-back guarantee (end users) and their operators' side. */
export function buildGuaranteesRouter(deps: { auth: AuthSettings; guarantees: GuaranteesModule }): Router {
  const router = Router();
  const user = authenticate(deps.auth, 'user');
  const admin = authenticate(deps.auth, 'admin');
  const once = idempotent(deps.guarantees.dataSource, { required: true });
  const { guarantees } = deps;

  router.get('/v1/refunds/eligibility', user, async (req, res) => {
    res.json({ object: 'list', data: await guarantees.eligibility(userPrincipal(req)) });
  });

  router.post('/v1/refunds', user, once, async (req, res) => {
    const body = parseInput(claimRefundSchema, req.body, 'body');
    res.json(await guarantees.claim(userPrincipal(req), { purchaseId: body.purchase_id, reason: body.reason }));
  });

  router.put(
    '/v1/accounts/:account_id/trainings/:code',
    authenticate(deps.auth, 'server', 'admin'),
    async (req, res) => {
      const params = parseInput(trainingParams, req.params, 'params');
      const body = parseInput(trainingStartSchema, req.body, 'body');
      const { purchaseIds } = await guarantees.setTrainingStart({
        accountId: params.account_id,
        code: params.code,
        startsAt: new Date(body.starts_at),
      });
      res.json({ object: 'training', code: params.code, starts_at: body.starts_at, purchases: purchaseIds });
    },
  );

  router.get('/admin/v1/guarantees/policies', admin, (_req, res) => {
    res.json({ object: 'guarantee_policies', policies: guarantees.policies() });
  });

  router.get('/admin/v1/refunds', admin, async (req, res) => {
    const query = parseInput(listRefundsQuery, req.query, 'query');
    res.json({
      object: 'list',
      data: await guarantees.listClaims({ limit: query.limit, accountId: query.account_id }),
    });
  });

  router.post('/admin/v1/refunds', admin, idempotent(deps.guarantees.dataSource), async (req, res) => {
    const body = parseInput(manualRefundSchema, req.body, 'body');
    res.json(
      await guarantees.manualRefund({
        purchaseId: body.purchase_id,
        reason: body.reason,
        amount: body.amount,
        outsidePolicy: body.outside_policy,
        reverse: body.reverse,
      }),
    );
  });

  return router;
}
