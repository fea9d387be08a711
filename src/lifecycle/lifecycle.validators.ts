import { z } from 'zod';

/** `GET /v1/subscription/cancel-preview` takes no query parameters. */
export const cancelPreviewQuerySchema = z.object({}).strict();

/** `GET /v1/lifecycle/prompts` takes no query parameters. */
export const lifecyclePromptsQuerySchema = z.object({}).strict();

const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-01T00:00:00Z' });

/** `GET /admin/v1/analytics/lifecycle?from&to`. */
export const lifecycleReportQuerySchema = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((q) => q.from < q.to, { path: ['to'], message: 'must be after from' });
