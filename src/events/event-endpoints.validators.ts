import { z } from 'zod';

const url = z.string().min(1).max(2048);
const eventTypes = z.array(z.string().min(1).max(100)).max(100);
const description = z.string().max(500);

export const createEndpointBody = z
  .object({ url, event_types: eventTypes.optional(), description: description.optional() })
  .strict();

export const updateEndpointBody = z
  .object({
    url: url.optional(),
    event_types: eventTypes.optional(),
    description: description.nullable().optional(),
    status: z.enum(['enabled', 'disabled']).optional(),
  })
  .strict();

export const rotateSecretBody = z
  .object({
    overlap_seconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(86_400),
  })
  .strict();

export const endpointParams = z.object({ id: z.string().min(1).max(100) }).strict();

export const deliveryParams = z
  .object({ id: z.string().min(1).max(100), delivery_id: z.string().min(1).max(100) })
  .strict();

export const listDeliveriesQuery = z
  .object({
    status: z.enum(['pending', 'delivered', 'failed']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const replayRangeBody = z
  .object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .strict()
  .refine((body) => Date.parse(body.from) < Date.parse(body.to), {
    message: '`from` must be before `to`.',
    path: ['to'],
  });
