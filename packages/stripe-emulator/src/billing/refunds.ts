import type { EmulatorContext } from '../emulator-context';
import { emitEvent, timeFor } from '../emulator-context';
import { newId } from '../ids';
import type { Charge, PaymentIntent, Resource } from '../resource-types';
import { formatAmount } from '../money/money-format';
import { invalidRequest, parameterMissing } from '../stripe-error';

export interface RefundRequest {
  charge?: string;
  payment_intent?: string;
  amount?: number;
  reason?: 'duplicate' | 'fraudulent' | 'requested_by_customer';
  metadata?: Record<string, string>;
}

function chargeToRefund(context: EmulatorContext, request: RefundRequest): Charge {
  if (request.charge) return context.store.require<Charge>('charge', request.charge, 'charge');
  if (!request.payment_intent) throw parameterMissing('charge');
  const paymentIntent = context.store.require<PaymentIntent>(
    'payment_intent',
    request.payment_intent,
    'payment_intent',
    'payment_intent',
  );
  const charge = paymentIntent.latest_charge
    ? context.store.find<Charge>('charge', paymentIntent.latest_charge)
    : undefined;
  if (!charge || paymentIntent.status !== 'succeeded') {
    throw invalidRequest(`This PaymentIntent (${paymentIntent.id}) does not have a successful charge to refund.`, {
      param: 'payment_intent',
    });
  }
  return charge;
}

/**
 * Refunds all or part of a captured charge. NOTE: Stripe never refunds more than
 * captured minus already refunded: a fully refunded charge answers `charge_already_refunded`,
 * a larger amount answers `amount_too_large`.
 */
export function createRefund(context: EmulatorContext, request: RefundRequest): Resource {
  const charge = chargeToRefund(context, request);
  if (charge.status !== 'succeeded')
    throw invalidRequest(`Charge ${charge.id} has not been captured and cannot be refunded.`, { param: 'charge' });
  const remaining = charge.amount_captured - charge.amount_refunded;
  if (remaining <= 0)
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
  const amount = request.amount ?? remaining;
  if (amount < 1)
    throw invalidRequest('Invalid positive integer', { code: 'parameter_invalid_integer', param: 'amount' });
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
      { code: 'amount_too_large', param: 'amount' },
    );
  }
  const at = timeFor(context, charge.customer);
  const refund: Resource = {
    id: newId('re'),
    object: 'refund',
    amount,
    balance_transaction: newId('txn'),
    charge: charge.id,
    created: at,
    currency: charge.currency,
    destination_details: {
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    metadata: request.metadata ?? {},
    payment_intent: charge.payment_intent,
    reason: request.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
  context.store.insert(refund);
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount_captured;
  emitEvent(context, 'refund.created', refund, { at });
  emitEvent(context, 'charge.refunded', charge, { previous, at });
  return refund;
}

/** A chargeback on a charge, as the card network would open it (`charge.dispute.created`). */
export function createDispute(
  context: EmulatorContext,
  chargeId: string,
  options: { reason?: string; amount?: number } = {},
): Resource {
  const charge = context.store.require<Charge>('charge', chargeId, 'charge');
  const at = timeFor(context, charge.customer);
  const dispute: Resource = {
    id: newId('dp'),
    object: 'dispute',
    amount: options.amount ?? charge.amount_captured - charge.amount_refunded,
    balance_transactions: [],
    charge: charge.id,
    created: at,
    currency: charge.currency,
    evidence: {},
    evidence_details: { due_by: at + 7 * 86_400, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: charge.payment_intent,
    reason: options.reason ?? 'fraudulent',
    status: 'needs_response',
  };
  context.store.insert(dispute);
  charge.disputed = true;
  emitEvent(context, 'charge.dispute.created', dispute, { at });
  return dispute;
}
