import { z } from 'zod';
import { canonicalLocale, isCountryCode } from '../shared/countries';

export const plansQuerySchema = z
  .object({
    interval: z.enum(['month', 'year']).optional(),
    locale: z
      .string()
      .max(35)
      .refine((v) => canonicalLocale(v) !== undefined, 'must be a BCP-47 language tag such as de-AT')
      .optional(),
    country: z
      .string()
      .transform((v) => v.toUpperCase())
      .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code')
      .optional(),
  })
  .strict();

export const versionsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).optional() }).strict();

export const syncBodySchema = z.object({ dry_run: z.boolean().optional() }).strict();

/** A catalog file to check without syncing it (the running catalog's locales are used). */
export const validateBodySchema = z.object({ yaml: z.string().min(1).max(1_000_000) }).strict();

/** GET /v1/public/plans: no account, so the visitor says where they are and what they read. */
export const publicPlansQuerySchema = plansQuerySchema
  .extend({
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 currency code such as eur')
      .transform((v) => v.toLowerCase())
      .optional(),
  })
  .strict();
