import { z } from 'zod';
import { WEBHOOK_EVENT_STATUSES } from './webhook-event';

export const listWebhookEventsQuery = z
  .object({
    status: z.enum(WEBHOOK_EVENT_STATUSES).optional(),
    type: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    starting_after: z.string().min(1).max(255).optional(),
  })
  .strict();

export const webhookEventParams = z.object({ id: z.string().min(1).max(255) }).strict();

export const listReconciliationsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    starting_after: z
      .string()
      .regex(/^recon_\d{1,18}$/)
      .optional(),
  })
  .strict();

const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-01T00:00:00Z' });

export const replayRangeSchema = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((range) => new Date(range.from) < new Date(range.to), { path: ['to'], message: 'must be after from' });
