/**
 * The catalog of Tierlift's outbound event types (issue #21). A type's payload schema is
 * published in the OpenAPI document's `webhooks` section; adding a field is backwards compatible,
 * removing or renaming one needs a new `version`.
 */
export const OUTBOUND_EVENT_TYPES = [
  'account.created',
  'usage.threshold_crossed',
  'prompt.shown',
  'prompt.clicked',
  'prompt.dismissed',
  'prompt.declined',
  'quote.created',
  'change.applied',
  'change.failed',
  'change.requires_action',
  'checkout.abandoned',
  'trial.started',
  'trial.will_end',
  'trial.converted',
  'trial.ended',
  'subscription.renewed',
  'subscription.canceled',
  'subscription.resumed',
  'purchase.completed',
  'refund.succeeded',
  'guarantee.expiring',
  'experiment.concluded',
  'admin.request',
] as const;

export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

export function isOutboundEventType(value: string): value is OutboundEventType {
  return (OUTBOUND_EVENT_TYPES as readonly string[]).includes(value);
}
