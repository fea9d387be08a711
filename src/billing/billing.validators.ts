import { z } from 'zod';
import { unprocessable } from '../shared/errors';

const code = z.string().min(1).max(64);

/** An absolute http(s) URL as Stripe takes it (at most 5,000 characters). */
const returnUrl = z.url({ protocol: /^https?$/ }).max(2048);

export const quoteRequestSchema = z
  .object({
    plan: code.optional(),
    interval: z.enum(['month', 'year']).optional(),
    add_ons: z
      .array(z.object({ code, quantity: z.number().int().min(0).max(1000) }).strict())
      .max(20)
      .optional(),
    bundle: code.optional(),
    /** Free → paid: true insists on the plan's trial, false pays now; absent: the trial when one is due. */
    trial: z.boolean().optional(),
  })
  .strict()
  .refine((body) => body.plan || body.interval || body.add_ons?.length || body.bundle, {
    message: 'Name a plan, an interval, add-ons or a bundle.',
  });

export const changeRequestSchema = z
  .object({
    quote_id: z.string().min(1).max(64),
    /** Expire an open Checkout of this account that holds its billing lane, then make this change. */
    supersede: z.boolean().optional(),
    /** Where Checkout sends the customer after paying (an allowed origin: RETURN_URL_ALLOWED_ORIGINS). */
    success_url: returnUrl.optional(),
    /** Where Checkout sends the customer who goes back without paying (an allowed origin). */
    cancel_url: returnUrl.optional(),
  })
  .strict();

/** Return URLs of a change, each checked against the allowed origins (exact origin match). */
export interface ReturnUrlPolicy {
  allowedOrigins: string[];
  /** Outside production: pages on this machine (localhost, 127.0.0.1, [::1]) are allowed too. */
  allowLoopback?: boolean;
  successUrl?: string;
  cancelUrl?: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function allowed(url: URL, policy: ReturnUrlPolicy): boolean {
  return policy.allowedOrigins.includes(url.origin) || (policy.allowLoopback === true && LOOPBACK.has(url.hostname));
}

/** Throws 422 return_url_not_allowed unless the URL (when given) is on an allowed origin. */
export function assertReturnUrlAllowed(given: string | undefined, policy: ReturnUrlPolicy, param: string): void {
  if (given !== undefined && !allowed(new URL(given), policy))
    throw unprocessable(
      'return_url_not_allowed',
      `${param} must be on an allowed origin (RETURN_URL_ALLOWED_ORIGINS); ${new URL(given).origin} is not one.`,
      param,
    );
}

/**
 * The Checkout return URLs a change sends: the request's, each on an allowed origin, else the
 * configured ones; undefined leaves the service's default. Throws 422 return_url_not_allowed.
 */
export function returnUrlsOf(
  body: { success_url?: string; cancel_url?: string },
  policy: ReturnUrlPolicy,
): { success_url: string; cancel_url: string } | undefined {
  for (const param of ['success_url', 'cancel_url'] as const) assertReturnUrlAllowed(body[param], policy, param);
  const success = body.success_url ?? policy.successUrl ?? body.cancel_url ?? policy.cancelUrl;
  const cancel = body.cancel_url ?? policy.cancelUrl ?? body.success_url ?? policy.successUrl;
  return success && cancel ? { success_url: success, cancel_url: cancel } : undefined;
}

export const cancelSubscriptionSchema = z
  .object({
    at_period_end: z.literal(true).optional(),
    /** Why (optional, never required to cancel): recorded with the cancellation. */
    reason: z.enum(['too_expensive', 'missing_feature', 'not_using', 'switching', 'other']).optional(),
    reason_text: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

export const emptyBodySchema = z.object({}).strict();

export const changeParamsSchema = z.object({ id: z.string().min(1).max(64) }).strict();

/** POST /v1/payment-method/sessions: where the setup Checkout sends the customer back (an allowed origin). */
export const paymentMethodSessionSchema = z.object({ return_url: returnUrl.optional() }).strict();
