import { z } from 'zod';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { listOf, timestamp } from '../openapi/response-schemas';
import {
  ADMIN_REQUEST_KINDS,
  createAdminRequestSchema,
  listAdminRequestsQuerySchema,
} from './admin-requests.validators';

const adminRequestSchema = z
  .strictObject({
    id: z.string(),
    object: z.literal('admin_request'),
    kind: z.enum(ADMIN_REQUEST_KINDS),
    message: z.string().nullable(),
    status: z.enum(['open', 'resolved']),
    requested_by: z.string().meta({ description: 'The user id (`sub`) of the person who asked.' }),
    role: z.enum(['owner', 'admin', 'member']),
    created_at: timestamp,
  })
  .meta({ id: 'AdminRequest' });

const tags = ['Billing page'];

export const adminRequestsRouteSpecs: RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/admin-requests',
    summary: '“Ask your admin”: a member asks the account’s owner to upgrade, cancel, update the card…',
    tags,
    security: 'user',
    body: createAdminRequestSchema,
    responses: {
      201: {
        description: 'The request, stored and sent as an `admin.request` outbound event.',
        schema: adminRequestSchema,
      },
      404: errorResponse('The SaaS has not created this account yet.'),
    },
  },
  {
    method: 'get',
    path: '/v1/admin-requests',
    summary: 'What the account’s members asked for, newest first (owner and admins)',
    tags,
    security: 'user',
    query: listAdminRequestsQuerySchema,
    responses: {
      200: { description: 'The requests.', schema: listOf(adminRequestSchema) },
      403: errorResponse('Members may ask, not read the requests.'),
    },
  },
];
