import { z } from 'zod';
import { OPERATOR_ROLES } from '../shared/http/principal';

const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-01T00:00:00Z' });

export const createOperatorSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  email: z.email().max(254).optional(),
  role: z.enum(OPERATOR_ROLES),
});

export const updateOperatorSchema = z.strictObject({ role: z.enum(OPERATOR_ROLES) });

export const operatorParams = z.strictObject({ id: z.string().regex(/^op_[A-Za-z0-9]{16,40}$/, 'must be an op_… id') });

export const auditLogQuery = z
  .strictObject({
    from: isoDate.optional(),
    to: isoDate.optional(),
    actor_id: z.string().min(1).max(64).optional(),
    route: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    format: z.enum(['json', 'csv']).optional(),
  })
  .refine((q) => !q.from || !q.to || new Date(q.from) < new Date(q.to), {
    path: ['to'],
    message: 'must be after from',
  });
