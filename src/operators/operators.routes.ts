import { Router } from 'express';
import { notFound } from '../shared/errors';
import { authenticate, operatorOf, requireOperatorRole, type AuthSettings } from '../shared/http/authenticate';
import { sendCsv, toCsv, wantsCsv } from '../shared/http/csv';
import { parseInput } from '../shared/http/validate';
import { auditBefore } from '../shared/http/audit-context';
import { auditEntryView, type AuditLogRepository } from './audit-log.repository';
import { operatorKeyView, type OperatorKeysRepository } from './operator-keys.repository';
import { auditLogQuery, createOperatorSchema, operatorParams, updateOperatorSchema } from './operators.validators';

const AUDIT_CSV_HEADER = [
  'id',
  'occurred_at',
  'actor_id',
  'actor_name',
  'actor_role',
  'action',
  'target',
  'status',
  'outcome',
  'request_id',
  'before',
  'after',
];

/** Operator keys (owners manage them), the caller's own identity and the audit log. */
export function buildOperatorsRouter(deps: {
  auth: AuthSettings;
  operatorKeys: OperatorKeysRepository;
  auditLog: AuditLogRepository;
  now: () => Date;
}): Router {
  const router = Router();
  const admin = authenticate(deps.auth, 'admin');
  const owner = requireOperatorRole('owner');
  const { operatorKeys } = deps;

  router.get('/admin/v1/operators/me', admin, (req, res) => {
    res.json({ object: 'operator', ...operatorOf(req) });
  });

  router.get('/admin/v1/operators', admin, owner, async (_req, res) => {
    res.json({ object: 'list', data: (await operatorKeys.list()).map(operatorKeyView) });
  });

  router.post('/admin/v1/operators', admin, owner, async (req, res) => {
    const body = parseInput(createOperatorSchema, req.body, 'body');
    const { row, key } = await operatorKeys.create({
      name: body.name,
      email: body.email ?? null,
      role: body.role,
      createdBy: operatorOf(req).id,
      now: deps.now(),
    });
    res.status(201).json({ ...operatorKeyView(row), key });
  });

  router.patch('/admin/v1/operators/:id', admin, owner, async (req, res) => {
    const { id } = parseInput(operatorParams, req.params, 'params');
    const body = parseInput(updateOperatorSchema, req.body, 'body');
    const before = await operatorKeys.find(id);
    if (!before || before.revoked_at) throw notFound('Operator key', 'id');
    auditBefore(res, operatorKeyView(before));
    const row = await operatorKeys.setRole(id, body.role);
    if (!row) throw notFound('Operator key', 'id');
    res.json(operatorKeyView(row));
  });

  router.delete('/admin/v1/operators/:id', admin, owner, async (req, res) => {
    const { id } = parseInput(operatorParams, req.params, 'params');
    const before = await operatorKeys.find(id);
    if (!before || before.revoked_at) throw notFound('Operator key', 'id');
    auditBefore(res, operatorKeyView(before));
    const row = await operatorKeys.revoke(id, deps.now());
    if (!row) throw notFound('Operator key', 'id');
    res.json(operatorKeyView(row));
  });

  router.get('/admin/v1/audit-log', admin, async (req, res) => {
    const query = parseInput(auditLogQuery, req.query, 'query');
    const rows = await deps.auditLog.list({
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      actorId: query.actor_id,
      route: query.route,
      limit: query.limit,
    });
    const data = rows.map(auditEntryView);
    if (!wantsCsv(req, query.format)) return void res.json({ object: 'list', data });
    const lines = data.map((e) => [
      e.id,
      e.occurred_at,
      e.actor.id,
      e.actor.name,
      e.actor.role,
      e.action,
      e.target,
      e.status,
      e.outcome,
      e.request_id,
      e.before === null ? '' : JSON.stringify(e.before),
      e.after === null ? '' : JSON.stringify(e.after),
    ]);
    sendCsv(res, 'audit-log.csv', toCsv(AUDIT_CSV_HEADER, lines));
  });

  return router;
}
