import { z } from 'zod';

/** Building blocks for the per-module response schemas (`src/<module>/<module>.openapi.ts`). */

/** An ISO 8601 timestamp as `Date#toISOString()` writes it. */
export const timestamp = z.string().meta({ format: 'date-time' });

/** An integer count of minor units (cents; yen; fils). */
export const minorUnits = z.number().int();

/** A lowercase ISO 4217 currency code. */
export const currencyCode = z.string().regex(/^[a-z]{3}$/);

/** `{ object: 'list', data: [...] }` plus any fields the route adds beside them. */
export function listOf<T extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(item: T, extra?: E) {
  return z.strictObject({ object: z.literal('list'), data: z.array(item), ...(extra ?? ({} as E)) });
}
