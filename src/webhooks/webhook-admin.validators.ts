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
