import { z } from 'zod';

export const searchCustomersQuery = z.strictObject({
  q: z.string().trim().min(1, 'must not be empty').max(200),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const customerParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be an account id'),
});

export const timelineQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(200) });

/** The most an operator may credit at once: 10,000.00 in a two-decimal currency. */
export const MAX_CREDIT_MINOR_UNITS = 1_000_000;

export const grantCreditBody = z.strictObject({
  amount: z.number().int('must be an integer amount in minor units').positive().max(MAX_CREDIT_MINOR_UNITS),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be an ISO currency code')
    .transform((code) => code.toLowerCase()),
  reason: z.string().trim().min(1, 'must not be empty').max(500),
});

export const invoiceParams = customerParams.extend({
  invoice_id: z.string().regex(/^in_[A-Za-z0-9]{1,64}$/, 'must be a Stripe invoice id'),
});

export const extendTrialBody = z.strictObject({
  trial_end: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
});
