import { confirmedForm, field } from '../forms';
import type { SectionContext } from '../section';

interface Target {
  id: string;
  name: string;
}

/**
 * Grant a credit, resend a receipt, extend a trial: each a journalled Stripe call (issue #23),
 * behind a confirmation; the API checks the currency, the invoice's owner and the trial's dates.
 */
export function customerBillingActions(customer: Target, status: HTMLElement, context: SectionContext): HTMLElement[] {
  const path = (action: string) => `/admin/v1/customers/${encodeURIComponent(customer.id)}/${action}`;

  const amount = field('credit-amount', 'Credit in minor units (500 = 5.00)', { required: true, inputmode: 'numeric' });
  const currency = field('credit-currency', 'Currency (the customer’s)', { required: true, value: 'usd' });
  const reason = field('credit-reason', 'Reason', { required: true });
  const credit = confirmedForm({
    label: 'Grant a credit',
    name: 'credit',
    fields: [...amount.nodes, ...currency.nodes, ...reason.nodes],
    submit: 'Grant credit',
    confirm: () =>
      `Credit ${amount.element.value} ${currency.element.value.toUpperCase()} (minor units) to ${customer.name}? The next invoice uses it.`,
    status,
    context,
    run: async () => {
      const res = await context.api.send<{ amount: number; currency: string; ending_balance: number }>(
        'POST',
        path('credits'),
        {
          amount: Number(amount.element.value.trim()),
          currency: currency.element.value.trim(),
          reason: reason.element.value.trim(),
        },
      );
      return `Credit granted: ${res.amount} ${res.currency}; balance ${res.ending_balance}.`;
    },
  });

  const invoice = field('receipt-invoice', 'Invoice id (see “payment” in the timeline)', { required: true });
  const receipt = confirmedForm({
    label: 'Resend a receipt',
    name: 'receipt',
    fields: invoice.nodes,
    submit: 'Send again',
    confirm: () => `Send invoice ${invoice.element.value} to ${customer.name} again?`,
    status,
    context,
    run: async () => {
      const id = encodeURIComponent(invoice.element.value.trim());
      const res = await context.api.send<{ invoice: string }>('POST', path(`invoices/${id}/send`));
      return `Invoice ${res.invoice} sent.`;
    },
  });

  const trialEnd = field('trial-end', 'New trial end (a day, 00:00 UTC; at most 90 days ahead)', {
    required: true,
    type: 'date',
  });
  const trial = confirmedForm({
    label: 'Extend the trial',
    name: 'trial',
    fields: trialEnd.nodes,
    submit: 'Extend trial',
    confirm: () => `Move ${customer.name}'s trial end, and so the first charge, to ${trialEnd.element.value}?`,
    status,
    context,
    run: async () => {
      const res = await context.api.send<{ trial_end: string }>('POST', path('trial'), {
        trial_end: `${trialEnd.element.value}T00:00:00Z`,
      });
      return `Trial extended to ${res.trial_end}.`;
    },
  });
  return [credit, receipt, trial];
}
