import { z } from 'zod';
import { canonicalLocale, isCountryCode } from '../shared/countries';
import { COMPANY_SIZES } from './account.entity';

export const accountIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 characters of letters, digits, _ . : -');

export const accountParamsSchema = z.object({ account_id: accountIdSchema }).strict();
export const adminAccountParamsSchema = z.object({ id: accountIdSchema }).strict();

export const upsertAccountSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254),
    country: z
      .string()
      .transform((v) => v.toUpperCase())
      .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code'),
    locale: z
      .string()
      .max(35)
      .transform((v, ctx) => {
        const canonical = canonicalLocale(v);
        if (!canonical) {
          ctx.addIssue({ code: 'custom', message: 'must be a BCP-47 language tag such as en-US' });
          return z.NEVER;
        }
        return canonical;
      }),
    industry: z.string().trim().min(1).max(64).nullable().optional(),
    company_size: z.enum(COMPANY_SIZES).nullable().optional(),
    created_at: z.iso
      .datetime({ offset: true })
      .refine((v) => Date.parse(v) <= Date.now() + 5 * 60 * 1000, 'must not be in the future')
      .optional(),
  })
  .strict();

export type UpsertAccountInput = z.infer<typeof upsertAccountSchema>;
