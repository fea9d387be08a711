import { z } from 'zod';
import { OUTBOUND_EVENT_TYPES, type OutboundEventType } from './outbound-event-types';

/**
 * The payload (`data`) of each outbound event type, as the OpenAPI document's `webhooks` section
 * publishes it. Money is integer minor units beside a lowercase currency; times are ISO 8601.
 * Adding a field is backwards compatible; removing or renaming one needs a new `version`.
 */
const time = z.string().meta({ format: 'date-time' });
const money = { amount: z.number().int(), currency: z.string() };
const subscription = z.looseObject({
  subscription_id: z.string(),
  plan_code: z.string(),
  interval: z.enum(['month', 'year']),
  currency: z.string(),
  status: z.string(),
  current_period_start: time,
  current_period_end: time,
  cancel_at_period_end: z.boolean(),
  canceled_at: time.nullable(),
});
const prompt = z.looseObject({
  prompt_id: z.string(),
  rule_id: z.string(),
  kind: z.enum(['upsell', 'cross_sell', 'bundle']),
  offer: z.looseObject({ type: z.string(), code: z.string(), interval: z.string(), ...money }),
  placement: z.string(),
  experiment_key: z.string().nullable(),
  experiment_variant: z.string().nullable(),
});
const change = z.looseObject({
  change_id: z.string(),
  kind: z.string(),
  quote_id: z.string().nullable(),
  error: z.unknown().nullable().optional(),
});
/** Types another module emits: their payload is documented there; the envelope holds. */
const open = z.looseObject({});

export const OUTBOUND_EVENT_DATA: Record<OutboundEventType, z.ZodType> = {
  'account.created': z.looseObject({
    account_id: z.string(),
    name: z.string(),
    email: z.string(),
    country: z.string(),
    locale: z.string(),
    industry: z.string().nullable(),
    company_size: z.string().nullable(),
    signed_up_at: time,
  }),
  'usage.threshold_crossed': z.looseObject({
    feature: z.string(),
    threshold_percent: z.number().int(),
    used: z.number().int(),
    limit: z.number().int(),
    period_start: time,
    period_end: time,
    projected_total: z.number().int(),
    projected_limit_at: time.nullable(),
  }),
  'prompt.shown': prompt,
  'prompt.clicked': prompt,
  'prompt.dismissed': prompt,
  'prompt.declined': open,
  'quote.created': z.looseObject({
    quote_id: z.string(),
    kind: z.string(),
    currency: z.string(),
    amount_due_now: z.number().int(),
    expires_at: time,
  }),
  'change.applied': change,
  'change.failed': change,
  'change.requires_action': change,
  'checkout.abandoned': open,
  'trial.started': open,
  'trial.will_end': open,
  'trial.converted': open,
  'trial.ended': open,
  'subscription.renewed': subscription,
  'subscription.canceled': subscription.extend({
    ends_at: time.nullable().optional(),
    reason: z.string().nullable().optional(),
    reason_text: z.string().nullable().optional(),
  }),
  'subscription.resumed': subscription,
  'purchase.completed': z.looseObject({
    purchase_id: z.string(),
    kind: z.enum(['plan_change', 'add_on', 'subscription_start']),
    bought: z.unknown(),
    previous: z.unknown(),
    change_id: z.string(),
    paid_at: time,
    ...money,
  }),
  'refund.succeeded': z.looseObject({
    refund_claim_id: z.string(),
    purchase_id: z.string(),
    product: z.string(),
    source: z.enum(['customer', 'operator']),
    within_policy: z.boolean(),
    ...money,
  }),
  'guarantee.expiring': z.looseObject({
    purchase_id: z.string(),
    product: z.string(),
    expires_at: time,
    ...money,
  }),
  'experiment.concluded': z.looseObject({
    experiment_key: z.string(),
    rule_id: z.string(),
    started_at: time.nullable(),
    stopped_at: time,
    primary_metric: z.unknown(),
    variants: z.unknown(),
  }),
  'admin.request': open,
};

/** The body every delivery carries (the same bytes at every attempt); `webhook-id` is `id`. */
export function outboundEventEnvelope(type: OutboundEventType): z.ZodType {
  return z.strictObject({
    id: z.string().meta({ description: 'The event id (`evt_…`), also the `webhook-id` header.' }),
    type: z.literal(type),
    version: z.number().int().meta({ description: 'The payload version (1).' }),
    timestamp: time.meta({ description: 'When it happened.' }),
    account_id: z.string().nullable(),
    data: OUTBOUND_EVENT_DATA[type],
  });
}

export interface WebhookSpec {
  name: string;
  summary: string;
  description: string;
  schema: z.ZodType;
}

/** The OpenAPI `webhooks` entries: one per outbound event type. */
export const outboundEventWebhooks: WebhookSpec[] = OUTBOUND_EVENT_TYPES.map((type) => ({
  name: type,
  summary: `The ${type} event`,
  description:
    'Sent to every enabled event endpoint subscribed to this type, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). Answer 2xx within 10 s; anything else is retried with back-off for 3 days. See docs/events.md.',
  schema: outboundEventEnvelope(type),
}));
