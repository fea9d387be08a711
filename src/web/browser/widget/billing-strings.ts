import type { AdminRequestKind } from '../client/billing-page-types';

/** The billing page's words (plan names, prices and features come from the API, localised). */
export interface BillingStrings {
  title: string;
  plan: string;
  freePlan: string;
  renews: (date: string) => string;
  ends: (date: string) => string;
  usage: string;
  used: (used: string, limit: string) => string;
  unlimited: (used: string) => string;
  cancel: string;
  cancelTitle: string;
  cancelEffective: (date: string) => string;
  alternativesLead: string;
  switchTo: (plan: string, price: string) => string;
  fitsUsage: string;
  reasonLabel: string;
  reasons: Record<'too_expensive' | 'missing_features' | 'switched_service' | 'not_using' | 'other', string>;
  reasonText: string;
  confirmCancel: string;
  keep: string;
  canceled: (date: string) => string;
  refunds: string;
  invoices: string;
  noInvoices: string;
  viewInvoice: string;
  downloadPdf: string;
  invoiceStatus: (status: string) => string;
  refundable: (amount: string, date: string) => string;
  requestRefund: string;
  refundTitle: string;
  refundConfirm: (amount: string) => string;
  refundReason: string;
  confirmRefund: string;
  refundRequested: (amount: string) => string;
  readOnly: string;
  askAdmin: string;
  askKind: string;
  kinds: Record<AdminRequestKind, string>;
  askMessage: string;
  send: string;
  sent: string;
  requests: string;
  noRequests: string;
  requestLine: (kind: string, date: string) => string;
}

const en: BillingStrings = {
  title: 'Billing',
  plan: 'Your plan',
  freePlan: 'You are on the free plan.',
  renews: (date) => `Renews on ${date}.`,
  ends: (date) => `Ends on ${date}; it will not renew.`,
  usage: 'Usage this period',
  used: (used, limit) => `${used} of ${limit}`,
  unlimited: (used) => `${used} (unlimited)`,
  cancel: 'Cancel subscription',
  cancelTitle: 'Cancel your subscription',
  cancelEffective: (date) => `Your plan stays active until ${date}. Nothing more is charged after that.`,
  alternativesLead: 'Or keep going for less:',
  switchTo: (plan, price) => `Switch to ${plan} for ${price}`,
  fitsUsage: 'Fits your current usage',
  reasonLabel: 'Why are you leaving? (optional)',
  reasons: {
    too_expensive: 'It costs too much',
    missing_features: 'Something I need is missing',
    switched_service: 'I switched to another service',
    not_using: 'I do not use it enough',
    other: 'Another reason',
  },
  reasonText: 'Anything you would like to tell us? (optional)',
  confirmCancel: 'Cancel at the end of the period',
  keep: 'Keep my plan',
  canceled: (date) => `Canceled: your plan ends on ${date}.`,
  refunds: 'Refunds',
  invoices: 'Invoices',
  noInvoices: 'No invoices yet.',
  viewInvoice: 'View invoice',
  downloadPdf: 'Download PDF',
  invoiceStatus: (status) => ({ paid: 'Paid', open: 'Due', void: 'Void', uncollectible: 'Unpaid' })[status] ?? status,
  refundable: (amount, date) => `${amount} can be refunded until ${date}.`,
  requestRefund: 'Request a refund',
  refundTitle: 'Request a refund',
  refundConfirm: (amount) => `You will get ${amount} back and the purchase ends now.`,
  refundReason: 'Reason',
  confirmRefund: 'Confirm refund',
  refundRequested: (amount) => `Refund of ${amount} requested.`,
  readOnly: 'Only an owner or admin of your account can change billing.',
  askAdmin: 'Ask your admin',
  askKind: 'What do you need?',
  kinds: {
    upgrade: 'An upgrade',
    cancel: 'Cancel the subscription',
    payment_method: 'Update the payment method',
    other: 'Something else',
  },
  askMessage: 'Message (optional)',
  send: 'Send request',
  sent: 'Sent. Your admin will see it on this page.',
  requests: 'Requests from your team',
  noRequests: 'No requests.',
  requestLine: (kind, date) => `${kind} · ${date}`,
};

const de: BillingStrings = {
  ...en,
  title: 'Abrechnung',
  plan: 'Ihr Tarif',
  freePlan: 'Sie nutzen den kostenlosen Tarif.',
  renews: (date) => `Verlängert sich am ${date}.`,
  ends: (date) => `Endet am ${date}; keine Verlängerung.`,
  usage: 'Nutzung in diesem Zeitraum',
  used: (used, limit) => `${used} von ${limit}`,
  unlimited: (used) => `${used} (unbegrenzt)`,
  cancel: 'Abo kündigen',
  cancelTitle: 'Abo kündigen',
  cancelEffective: (date) => `Ihr Tarif bleibt bis ${date} aktiv. Danach wird nichts mehr berechnet.`,
  alternativesLead: 'Oder günstiger weitermachen:',
  switchTo: (plan, price) => `Zu ${plan} für ${price} wechseln`,
  fitsUsage: 'Passt zu Ihrer aktuellen Nutzung',
  confirmCancel: 'Zum Ende des Zeitraums kündigen',
  keep: 'Tarif behalten',
  canceled: (date) => `Gekündigt: Ihr Tarif endet am ${date}.`,
  readOnly: 'Nur Inhaber oder Admins Ihres Kontos können die Abrechnung ändern.',
  askAdmin: 'Admin fragen',
  send: 'Anfrage senden',
  sent: 'Gesendet. Ihr Admin sieht die Anfrage auf dieser Seite.',
  requests: 'Anfragen aus Ihrem Team',
  invoices: 'Rechnungen',
  noInvoices: 'Noch keine Rechnungen.',
  viewInvoice: 'Rechnung ansehen',
  downloadPdf: 'PDF herunterladen',
  invoiceStatus: (status) =>
    ({ paid: 'Bezahlt', open: 'Offen', void: 'Storniert', uncollectible: 'Unbezahlt' })[status] ?? status,
  noRequests: 'Keine Anfragen.',
};

export function billingStringsFor(locale: string): BillingStrings {
  return locale.toLowerCase().startsWith('de') ? de : en;
}
