import type Stripe from 'stripe';
import { z } from 'zod';
import { badRequest } from '../shared/errors';
import { assertJsonDepth, assertNoNul } from '../shared/http/json-limits';

/** Latest second PostgreSQL's to_timestamp accepts comfortably (year 9999). */
const LAST_SECOND = 253_402_300_799;

/** The envelope fields the inbox stores and the handlers read; the rest of the event is kept as sent. */
const eventEnvelope = z.looseObject({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  created: z.number().int().min(0).max(LAST_SECOND),
  livemode: z.boolean().optional(),
  api_version: z.string().max(64).nullable().optional(),
  data: z.looseObject({ object: z.looseObject({}) }),
});

/**
 * Parses a delivery whose signature already checked out. A signed body that is not an event
 * (`{}`, `null`, no `data`, a `created` that is not a time) is a 400 naming what is wrong, never
 * `invalid_signature`: the signature was fine, and Stripe's dashboard shows our answer to the sender.
 * Answers the event and its text as decoded once.
 */
export function parseStripeEvent(rawBody: Buffer): { event: Stripe.Event; json: string } {
  // The text is decoded once: parsed here, and stored as it is by the caller.
  const json = rawBody.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw badRequest('invalid_payload', 'The signed body is not valid JSON.');
  }
  assertJsonDepth(parsed, 'event');
  assertNoNul(parsed, 'event');
  const result = eventEnvelope.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const param = issue?.path.join('.') ?? '';
    throw badRequest(
      'invalid_event',
      `The signed body is not a Stripe event: ${param ? `${param}: ` : ''}${issue?.message ?? 'invalid'}.`,
      param || undefined,
    );
  }
  return { event: parsed as Stripe.Event, json };
}
