import { z } from 'zod';
import type { RouteSpec } from '../openapi/route-spec';
import { currencyCode, minorUnits, timestamp } from '../openapi/response-schemas';
import { listInvoicesQuerySchema } from './invoices.validators';

const invoiceSchema = z
  .strictObject({
    id: z.string(),
    object: z.literal('invoice'),
    number: z.string().nullable(),
    status: z.string().meta({ description: 'Stripe’s invoice status: open, paid, void or uncollectible.' }),
    currency: currencyCode,
    total: minorUnits,
    amount_due: minorUnits,
    amount_paid: minorUnits,
    created_at: timestamp,
    period_start: timestamp.nullable(),
    period_end: timestamp.nullable(),
    paid_at: timestamp.nullable(),
    hosted_invoice_url: z.string().nullable().meta({ description: 'Stripe’s hosted invoice page.' }),
    invoice_pdf: z.string().nullable().meta({ description: 'The invoice as a PDF.' }),
  })
  .meta({ id: 'Invoice' });

export const invoicesRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/invoices',
    summary: 'The account’s invoices, newest first, with their hosted page and PDF',
    tags: ['Billing page'],
    security: 'user',
    query: listInvoicesQuerySchema,
    responses: {
      200: {
        description: 'The invoices from the invoice mirror (drafts left out).',
        schema: z.strictObject({ object: z.literal('list'), data: z.array(invoiceSchema), has_more: z.boolean() }),
      },
    },
  },
];
