import crypto from 'node:crypto';
import { badRequest } from '../shared/errors';

/** The parts of a Stripe-Signature header: `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. */
export interface SignatureHeader {
  timestamp: number;
  signatures: string[];
}

const invalidSignature = (why: string) => badRequest('invalid_signature', why, 'Stripe-Signature');

/** Reads the header without touching the body: a delivery without a usable header is refused unread. */
export function parseSignatureHeader(header: string | undefined): SignatureHeader {
  if (!header) throw badRequest('missing_signature', 'The Stripe-Signature header is missing.', 'Stripe-Signature');
  let timestamp = NaN;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (!Number.isFinite(timestamp) || signatures.length === 0) {
    throw invalidSignature('The Stripe-Signature header needs a t= timestamp and at least one v1= signature.');
  }
  return { timestamp, signatures };
}

/**
 * Checks a delivery as https://docs.stripe.com/webhooks#verify-manually describes: HMAC-SHA256 of
 * `<t>.<raw body>` with the endpoint secret, compared in constant time with each v1 signature, and
 * the timestamp within the tolerance. NOTE: the SDK refuses only timestamps too old; one too far
 * in the future is refused here as well, so a captured delivery cannot be post-dated for replay later.
 */
export function verifyStripeSignature(options: {
  rawBody: Buffer;
  header: SignatureHeader;
  secret: string;
  toleranceSeconds: number;
  nowSeconds: number;
}): void {
  const { header, toleranceSeconds, nowSeconds } = options;
  const expected = crypto
    .createHmac('sha256', options.secret)
    .update(`${header.timestamp}.`)
    .update(options.rawBody)
    .digest();
  const matches = header.signatures.some((signature) =>
    crypto.timingSafeEqual(Buffer.from(signature, 'hex'), expected),
  );
  if (!matches) throw invalidSignature('The Stripe-Signature header does not match the payload.');
  if (Math.abs(nowSeconds - header.timestamp) > toleranceSeconds) {
    throw invalidSignature(
      `The Stripe-Signature timestamp is more than ${toleranceSeconds} s from this server's clock (too old, or in the future).`,
    );
  }
}
