import express, { Router } from 'express';
import type { ReceiveStripeWebhook } from './receive-stripe-webhook';
import { parseSignatureHeader } from './verify-stripe-signature';

/** Stripe's own limit on an event body is far below this. */
const WEBHOOK_BODY_LIMIT = '1mb';

/**
 * `POST /webhooks/stripe`. NOTE: mount before any JSON parser: the signature is
 * over the raw bytes, so this route reads them with express.raw.
 */
export function buildStripeWebhookRouter(deps: { receive: ReceiveStripeWebhook }): Router {
  const router = Router();
  router.post(
    '/webhooks/stripe',
    // NOTE: a delivery without a usable Stripe-Signature header is refused before its body is read.
    (req, _res, next) => {
      parseSignatureHeader(req.get('stripe-signature'));
      next();
    },
    express.raw({ type: 'application/json', limit: WEBHOOK_BODY_LIMIT }),
    async (req, res) => {
      const received = await deps.receive(req.body, req.get('stripe-signature'));
      res.status(200).json({ received: true, id: received.eventId, duplicate: !received.stored });
    },
  );
  return router;
}
