import { z } from 'zod';

const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-01T00:00:00Z' });

export const REVENUE_TABLES = ['mrr', 'movements', 'collected', 'lifetime_value'] as const;

export const clockQuerySchema = z.strictObject({});

const periodSchema = {
  from: isoDate,
  to: isoDate,
};

export const funnelQuerySchema = z
  .strictObject({
    ...periodSchema,
    group_by: z.enum(['offer', 'placement', 'country', 'period', 'experiment']).default('offer'),
    interval: z.enum(['day', 'week', 'month']).default('month'),
    attribution_days: z.coerce.number().int().min(1).max(90).default(7),
    format: z.enum(['json', 'csv']).optional(),
  })
  .refine((q) => q.from < q.to, { path: ['to'], message: 'must be after from' });

export const revenueQuerySchema = z
  .strictObject({
    ...periodSchema,
    gross_margin: z.coerce.number().gt(0).max(1).optional(),
    format: z.enum(['json', 'csv']).optional(),
    /** Which of the report's tables a CSV answer holds. */
    table: z.enum(REVENUE_TABLES).default('collected'),
  })
  .refine((q) => q.from < q.to, { path: ['to'], message: 'must be after from' });
