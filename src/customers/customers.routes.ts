import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { BillingModule } from '../billing/billing.module';
import { notFound } from '../shared/errors';
import { authenticate, operatorOf, type AuthSettings } from '../shared/http/authenticate';
import { idempotent } from '../shared/http/idempotency';
import type { UserPrincipal } from '../shared/http/principal';
import { emptyBodySchema, parseInput } from '../shared/http/validate';
import { customerView, timelineEntryView, type CustomersRepository } from './customers.repository';
import {
  customerParams,
  extendTrialBody,
  grantCreditBody,
  invoiceParams,
  searchCustomersQuery,
  timelineQuery,
} from './customers.validators';

/** The operator's customer 360: search, one account's timeline, and its subscription's cancel / resume. */
export function buildCustomersRouter(deps: {
  auth: AuthSettings;
  customers: CustomersRepository;
  dataSource: DataSource;
  billing?: BillingModule;
}): Router {
  const router = Router();
  const admin = authenticate(deps.auth, 'admin');
  const { customers, billing } = deps;

  router.get('/admin/v1/customers', admin, async (req, res) => {
    const query = parseInput(searchCustomersQuery, req.query, 'query');
    res.json({ object: 'list', data: (await customers.search(query.q, query.limit)).map(customerView) });
  });

  router.get('/admin/v1/customers/:id', admin, async (req, res) => {
    const { id } = parseInput(customerParams, req.params, 'params');
    const query = parseInput(timelineQuery, req.query, 'query');
    const customer = await customers.find(id);
    if (!customer) throw notFound('Customer', 'id');
    const timeline = await customers.timeline(id, query.limit);
    res.json({ ...customerView(customer), timeline: timeline.map(timelineEntryView) });
  });

  if (!billing) return router;

  /**
   * The billing use case end users call, acting as the account's owner on the operator's behalf:
   * the same journal, lane and derived Stripe idempotency keys; the audit log names the operator.
   */
  const onBehalf = async (req: Parameters<Parameters<typeof router.post>[1]>[0], cancel: boolean) => {
    const { id } = parseInput(customerParams, req.params, 'params');
    parseInput(emptyBodySchema, req.body, 'body');
    if (!(await customers.find(id))) throw notFound('Customer', 'id');
    const principal: UserPrincipal = {
      kind: 'user',
      userId: `operator:${operatorOf(req).id}`,
      accountId: id,
      role: 'owner',
    };
    return { object: 'change' as const, ...(await billing.setCancellation(principal, cancel)) };
  };

  router.post('/admin/v1/customers/:id/cancel', admin, idempotent(deps.dataSource), async (req, res) => {
    res.json(await onBehalf(req, true));
  });

  router.post('/admin/v1/customers/:id/resume', admin, idempotent(deps.dataSource), async (req, res) => {
    res.json(await onBehalf(req, false));
  });

  /** Operator actions (issue #23): journalled Stripe calls under the account's lane, named after the operator. */
  const operatorRef = (req: Parameters<typeof operatorOf>[0]) => {
    const operator = operatorOf(req);
    return { id: operator.id, name: operator.name };
  };

  router.post('/admin/v1/customers/:id/credits', admin, idempotent(deps.dataSource), async (req, res) => {
    const { id } = parseInput(customerParams, req.params, 'params');
    const body = parseInput(grantCreditBody, req.body, 'body');
    // NOTE: the Idempotency-Key goes along (here and below), so a retry after a lost answer finds the
    // operation its first request journalled instead of acting again.
    const requestKey = req.context.idempotency?.key;
    res.json(
      await billing.grantCredit(id, { ...body, operator: operatorRef(req), ...(requestKey ? { requestKey } : {}) }),
    );
  });

  router.post(
    '/admin/v1/customers/:id/invoices/:invoice_id/send',
    admin,
    idempotent(deps.dataSource),
    async (req, res) => {
      const { id, invoice_id } = parseInput(invoiceParams, req.params, 'params');
      parseInput(emptyBodySchema, req.body, 'body');
      res.json(await billing.resendInvoice(id, invoice_id, operatorRef(req), req.context.idempotency?.key));
    },
  );

  router.post('/admin/v1/customers/:id/trial', admin, idempotent(deps.dataSource), async (req, res) => {
    const { id } = parseInput(customerParams, req.params, 'params');
    const { trial_end } = parseInput(extendTrialBody, req.body, 'body');
    res.json(await billing.extendTrial(id, trial_end, operatorRef(req), req.context.idempotency?.key));
  });

  return router;
}
