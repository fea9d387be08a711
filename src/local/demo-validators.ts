import { z } from 'zod';

export const demoSessionQuery = z.strictObject({
  role: z.enum(['owner', 'admin', 'member']).default('owner'),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a locale such as de-DE')
    .optional(),
});

export const demoUsageBody = z.strictObject({
  feature: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  quantity: z.number().int().min(0).max(1_000_000),
  action: z.enum(['increment', 'set']).default('increment'),
});

export const demoClockBody = z.strictObject({ days: z.number().int().min(1).max(366) });

export const emptyBody = z.strictObject({});
