import { z } from 'zod';

/** `GET /v1/subscription/cancel-preview` takes no query parameters. */
export const cancelPreviewQuerySchema = z.object({}).strict();

/** `GET /v1/lifecycle/prompts` takes no query parameters. */
export const lifecyclePromptsQuerySchema = z.object({}).strict();
