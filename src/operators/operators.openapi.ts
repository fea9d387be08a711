import { z } from 'zod';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { listOf, timestamp } from '../openapi/response-schemas';
import { OPERATOR_ROLES } from '../shared/http/principal';
import { auditLogQuery, createOperatorSchema, operatorParams, updateOperatorSchema } from './operators.validators';

const role = z.enum(OPERATOR_ROLES);

/** operatorKeyView (src/operators/operator-keys.repository.ts). */
const operatorKey = z
  .strictObject({
    object: z.literal('operator_key'),
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    role,
    key_prefix: z.string().meta({ description: 'The first characters of the key, to recognise it.' }),
    created_by: z.string(),
    created_at: timestamp,
    revoked_at: timestamp.nullable(),
  })
  .meta({ id: 'OperatorKey' });

/** auditEntryView (src/operators/audit-log.repository.ts). */
const auditEntry = z
  .strictObject({
    object: z.literal('audit_entry'),
    id: z.string(),
    actor: z.strictObject({ id: z.string(), name: z.string(), role: z.string() }),
    method: z.string(),
    route: z.string(),
    path: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    request: z.unknown(),
    before: z.unknown(),
    after: z.unknown(),
    status: z.number().int(),
    outcome: z.enum(['succeeded', 'refused', 'failed']),
    request_id: z.string().nullable(),
    occurred_at: timestamp,
  })
  .meta({ id: 'AuditEntry' });

const ownerOnly = errorResponse(
  'The caller is not an owner (`owner_only`), or a viewer acting (`read_only_operator`).',
);
const missing = errorResponse('No live operator key with this id.');
const tags = ['Operators'];

export const operatorsRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/admin/v1/operators/me',
    summary: 'Who the operator credential belongs to, and its role',
    tags,
    security: 'admin',
    responses: {
      200: {
        description: 'The operator (`root` for ADMIN_API_KEY).',
        schema: z.strictObject({ object: z.literal('operator'), id: z.string(), name: z.string(), role }),
      },
    },
  },
  {
    method: 'get',
    path: '/admin/v1/operators',
    summary: 'Operator keys, revoked ones included (owners only)',
    tags,
    security: 'admin',
    responses: { 200: { description: 'Every operator key.', schema: listOf(operatorKey) }, 403: ownerOnly },
  },
  {
    method: 'post',
    path: '/admin/v1/operators',
    summary: 'Create an operator key for one person (owners only)',
    description: 'The key is in the answer once and never again: only its SHA-256 digest is stored.',
    tags,
    security: 'admin',
    body: createOperatorSchema,
    responses: {
      201: { description: 'The key, with its secret.', schema: operatorKey.extend({ key: z.string() }) },
      403: ownerOnly,
    },
  },
  {
    method: 'patch',
    path: '/admin/v1/operators/{id}',
    summary: "Change an operator key's role (owners only)",
    tags,
    security: 'admin',
    params: operatorParams,
    body: updateOperatorSchema,
    responses: { 200: { description: 'The key.', schema: operatorKey }, 403: ownerOnly, 404: missing },
  },
  {
    method: 'delete',
    path: '/admin/v1/operators/{id}',
    summary: 'Revoke an operator key (owners only)',
    tags,
    security: 'admin',
    params: operatorParams,
    responses: { 200: { description: 'The key, revoked.', schema: operatorKey }, 403: ownerOnly, 404: missing },
  },
  {
    method: 'get',
    path: '/admin/v1/audit-log',
    summary: 'Every non-GET operator request: who, what, when, before and after, outcome',
    description: 'Newest first. `format=csv` (or `Accept: text/csv`) answers the same entries as CSV.',
    tags,
    security: 'admin',
    query: auditLogQuery,
    responses: { 200: { description: 'The entries.', schema: listOf(auditEntry) } },
  },
];
