import { z } from 'zod';

export const searchCustomersQuery = z.strictObject({
  q: z.string().trim().min(1, 'must not be empty').max(200),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const customerParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be an account id'),
});

export const timelineQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(200) });
