import type { EmulatorContext } from '../emulator-context';
import { timeFor } from '../emulator-context';
import type { Invoice, PaymentIntent } from '../resource-types';
import { settleInvoicePayment } from './invoice-collection';
import { afterInvoicePaid } from './pending-updates';

/**
 * After a PaymentIntent changes outside a subscription request (3-D Secure finished,
 * client confirmation, `invoices.pay`): update its invoice and what waited on it.
 */
export function settlePaymentIntent(context: EmulatorContext, paymentIntent: PaymentIntent): void {
  const invoiceId = context.store.internal.paymentIntentInvoices[paymentIntent.id];
  const invoice = invoiceId ? context.store.find<Invoice>('invoice', invoiceId) : undefined;
  if (!invoice || invoice.status !== 'open') return;
  const at = timeFor(context, invoice.customer);
  if (settleInvoicePayment(context, invoice, paymentIntent, at) === 'paid') afterInvoicePaid(context, invoice, at);
}
