import { z } from 'zod';

export const ADMIN_REQUEST_KINDS = ['upgrade', 'cancel', 'payment_method', 'other'] as const;

export const createAdminRequestSchema = z
  .object({
    kind: z.enum(ADMIN_REQUEST_KINDS),
    message: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();

export const listAdminRequestsQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(100).optional() })
  .strict();
