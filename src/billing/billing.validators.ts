import { z } from 'zod';

const code = z.string().min(1).max(64);

export const quoteRequestSchema = z
  .object({
    plan: code.optional(),
    interval: z.enum(['month', 'year']).optional(),
    add_ons: z
      .array(z.object({ code, quantity: z.number().int().min(0).max(1000) }).strict())
      .max(20)
      .optional(),
    bundle: code.optional(),
  })
  .strict()
  .refine((body) => body.plan || body.interval || body.add_ons?.length || body.bundle, {
    message: 'Name a plan, an interval, add-ons or a bundle.',
  });

export const changeRequestSchema = z
  .object({
    quote_id: z.string().min(1).max(64),
    /** Expire an open Checkout of this account that holds its billing lane, then make this change. */
    supersede: z.boolean().optional(),
  })
  .strict();

export const cancelSubscriptionSchema = z.object({ at_period_end: z.literal(true).optional() }).strict();

export const emptyBodySchema = z.object({}).strict();

export const changeParamsSchema = z.object({ id: z.string().min(1).max(64) }).strict();
