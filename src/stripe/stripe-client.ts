import Stripe from 'stripe';

/**
 * The one module that imports the `stripe` SDK (the emulator aside). Everything
 * else receives a StripeClient and speaks through it; errors are translated by
 * stripe-errors.ts.
 */
export type StripeClient = Stripe;
export { Stripe };

export interface StripeTarget {
  secretKey: string;
  /** Set in local mode: the emulator's address. Unset: api.stripe.com. */
  emulator?: { host: string; port: number };
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

/**
 * The API version Tierlift is written for, pinned here so that an SDK upgrade never moves it
 * silently (STRIPE.md). It is the version stripe@23 is generated for.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive';

export function createStripeClient(target: StripeTarget): StripeClient {
  return new Stripe(target.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: target.maxNetworkRetries ?? 2,
    timeout: target.timeoutMs ?? 20000,
    appInfo: { name: 'tierlift', version: '0.1.0' },
    ...(target.emulator ? { host: target.emulator.host, port: target.emulator.port, protocol: 'http' as const } : {}),
  });
}

/** Stripe's default signature tolerance: a signed timestamp older than this is refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Verifies a webhook's `Stripe-Signature` over the exact raw body and parses the
 * event; throws Stripe's signature error when anything does not match.
 */
export function constructWebhookEvent(
  rawBody: Buffer | string,
  signatureHeader: string,
  secret: string,
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
): Stripe.Event {
  return Stripe.webhooks.constructEvent(rawBody, signatureHeader, secret, toleranceSeconds);
}
