import { z } from 'zod';

const id = z.string().min(1).max(64);
const reason = z.string().trim().min(1).max(500);

export const claimRefundSchema = z.object({ purchase_id: id, reason }).strict();

export const manualRefundSchema = z
  .object({
    purchase_id: id,
    reason,
    amount: z.number().int().min(1).optional(),
    outside_policy: z.boolean().default(false),
    reverse: z.boolean().default(true),
  })
  .strict();

export const listRefundsQuery = z
  .object({
    account_id: id.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const trainingParams = z.object({ account_id: id, code: id }).strict();

export const trainingStartSchema = z.object({ starts_at: z.iso.datetime({ offset: true }) }).strict();
