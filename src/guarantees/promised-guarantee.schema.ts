import { z } from 'zod';

/** GuaranteeConditions (src/guarantees/promised-guarantee.ts): the rules a promised guarantee comes with. */
export const guaranteeConditionsSchema = z
  .strictObject({
    window_days: z.number().int().meta({ description: 'Days from the payment (regional minimums included).' }),
    refund: z.enum(['full_charge', 'unused_part']),
    once_per_product: z.boolean(),
    covers_renewals: z.boolean().nullable().meta({ description: 'null: nothing renews (one-time packages).' }),
    max_claims_per_year: z.number().int().nullable(),
    max_usage_percent: z.number().int().nullable(),
    not_started: z.boolean(),
  })
  .meta({ id: 'GuaranteeConditions' });
