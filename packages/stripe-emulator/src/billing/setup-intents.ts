import type { EmulatorContext } from '../emulator-context';
import { emitEvent, timeFor } from '../emulator-context';
import { newId } from '../ids';
import type { Resource } from '../resource-types';

export interface SetupIntent extends Resource {
  object: 'setup_intent';
  customer: string | null;
  payment_method: string | null;
  status: 'requires_payment_method' | 'succeeded' | 'canceled';
  usage: 'off_session' | 'on_session';
}

/**
 * The SetupIntent a Checkout Session in setup mode confirms on its page: the card is attached to the
 * customer and saved for later off-session use. NOTE: as in Stripe (docs.stripe.com/payments/save-and-reuse
 * with Checkout), nothing becomes a default: the integration sets invoice_settings.default_payment_method.
 */
export function succeededSetupIntent(
  context: EmulatorContext,
  input: { customer: string; paymentMethod: string; metadata: Record<string, string> },
): SetupIntent {
  const created = timeFor(context, input.customer);
  const intent: SetupIntent = {
    id: newId('seti'),
    object: 'setup_intent',
    application: null,
    cancellation_reason: null,
    client_secret: null,
    created,
    customer: input.customer,
    description: null,
    last_setup_error: null,
    livemode: false,
    metadata: input.metadata,
    next_action: null,
    payment_method: input.paymentMethod,
    payment_method_types: ['card'],
    status: 'succeeded',
    usage: 'off_session',
  };
  intent.client_secret = `${intent.id}_secret_${newId('s', 16).slice(2)}`;
  context.store.insert(intent);
  emitEvent(context, 'setup_intent.created', intent, { at: created });
  emitEvent(context, 'setup_intent.succeeded', intent, { at: created });
  return intent;
}
