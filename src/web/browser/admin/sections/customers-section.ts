import { actionButton, canAct, runAction, statusLine } from '../actions';
import { clear, dataTable, h, scrollable } from '../dom';
import type { SectionContext, SectionRenderer } from '../section';
import { customerBillingActions } from './customer-billing-actions';

interface Customer {
  id: string;
  name: string;
  email: string;
  country: string;
  stripe_customer_id: string | null;
}
interface TimelineEntry {
  at: string;
  kind: string;
  summary: Record<string, unknown>;
}

let lastQuery = '';
let openId: string | null = null;

const summaryText = (summary: Record<string, unknown>) =>
  Object.entries(summary)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');

/** Customer 360: search by id, e-mail or name; one account's timeline and the actions on it. */
export const renderCustomers: SectionRenderer = async (body, context) => {
  const results = h('div', { class: 'customer-results' });
  const detail = h('div', { class: 'customer-detail' });
  const input = h('input', { id: 'customer-q', name: 'q', type: 'search', autocomplete: 'off', value: lastQuery });
  const form = h(
    'form',
    { class: 'inline-form', role: 'search', 'aria-label': 'Customers' },
    h('label', { for: 'customer-q' }, 'Account id, e-mail or name'),
    input,
    h('button', { type: 'submit' }, 'Search'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    lastQuery = input.value.trim();
    void search(results, detail, context);
  });
  body.append(form, results, detail);
  if (lastQuery) await search(results, detail, context);
  if (openId) await showCustomer(detail, openId, context);
};

async function search(results: HTMLElement, detail: HTMLElement, context: SectionContext) {
  clear(results);
  if (!lastQuery) return;
  const { data } = await context.api.json<{ data: Customer[] }>(
    `/admin/v1/customers?${new URLSearchParams({ q: lastQuery })}`,
  );
  results.append(
    scrollable(
      dataTable({
        caption: `Customers matching “${lastQuery}”`,
        columns: [{ label: 'Account' }, { label: 'Name' }, { label: 'E-mail' }, { label: 'Country' }],
        rows: data.map((c) => {
          const open = h('button', { type: 'button', class: 'link', 'data-customer': c.id }, c.id);
          open.addEventListener('click', () => {
            openId = c.id;
            void showCustomer(detail, c.id, context);
          });
          return [open, c.name, c.email, c.country];
        }),
        empty: 'No customer matches.',
      }),
      'Customer search results',
    ),
  );
}

async function showCustomer(detail: HTMLElement, id: string, context: SectionContext) {
  clear(detail);
  const customer = await context.api.json<Customer & { timeline: TimelineEntry[] }>(
    `/admin/v1/customers/${encodeURIComponent(id)}`,
  );
  const status = statusLine();
  detail.append(
    h('h3', {}, `${customer.name} (${customer.id})`),
    h('p', {}, `${customer.email} · ${customer.country} · Stripe ${customer.stripe_customer_id ?? 'none yet'}`),
  );
  if (canAct(context))
    detail.append(
      actionsFor(customer, status, context),
      refundForm(customer, status, context),
      ...customerBillingActions(customer, status, context),
    );
  detail.append(
    status,
    scrollable(
      dataTable({
        caption: `Timeline of ${customer.id}, newest first`,
        columns: [{ label: 'When' }, { label: 'What' }, { label: 'Details' }],
        rows: customer.timeline.map((e) => [context.formats.dateTime(e.at), e.kind, summaryText(e.summary)]),
        empty: 'Nothing recorded for this account yet.',
      }),
      'Customer timeline',
    ),
  );
}

function actionsFor(customer: Customer, status: HTMLElement, context: SectionContext): HTMLElement {
  const path = (action: string) => `/admin/v1/customers/${encodeURIComponent(customer.id)}/${action}`;
  return h(
    'div',
    { class: 'actions' },
    actionButton({
      label: 'Cancel at period end',
      name: 'customer-cancel',
      confirm: `Cancel ${customer.name}'s subscription at the end of its period?`,
      status,
      context,
      run: async () => {
        const res = await context.api.send<{ status: string }>('POST', path('cancel'));
        return `Subscription: ${res.status.replace(/_/g, ' ')}.`;
      },
    }),
    actionButton({
      label: 'Resume',
      name: 'customer-resume',
      confirm: `Take back ${customer.name}'s cancellation?`,
      status,
      context,
      run: async () => {
        const res = await context.api.send<{ status: string }>('POST', path('resume'));
        return `Subscription: ${res.status.replace(/_/g, ' ')}.`;
      },
    }),
  );
}

/** A manual refund: the API caps it by the ledger (captured − refunded − credit returned). */
function refundForm(customer: Customer, status: HTMLElement, context: SectionContext): HTMLElement {
  const purchase = h('input', { id: 'refund-purchase', name: 'purchase_id', required: true, autocomplete: 'off' });
  const amount = h('input', { id: 'refund-amount', name: 'amount', inputmode: 'numeric', autocomplete: 'off' });
  const reason = h('input', { id: 'refund-reason', name: 'reason', required: true, autocomplete: 'off' });
  const form = h(
    'form',
    { class: 'stacked-form', 'aria-label': 'Manual refund' },
    h('h4', {}, 'Manual refund'),
    h('label', { for: 'refund-purchase' }, 'Purchase id (see “payment” in the timeline)'),
    purchase,
    h('label', { for: 'refund-amount' }, 'Amount in minor units (empty: what is still refundable)'),
    amount,
    h('label', { for: 'refund-reason' }, 'Reason'),
    reason,
    h('button', { type: 'submit' }, 'Refund'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const minor = amount.value.trim() ? Number(amount.value.trim()) : undefined;
    if (!window.confirm(`Refund ${minor ?? 'the rest'} of purchase ${purchase.value} to ${customer.name}?`)) return;
    void runAction(
      status,
      async () => {
        const res = await context.api.send<{ id: string; amount: number; currency: string; state: string }>(
          'POST',
          '/admin/v1/refunds',
          {
            purchase_id: purchase.value.trim(),
            reason: reason.value.trim(),
            outside_policy: true,
            ...(minor ? { amount: minor } : {}),
          },
        );
        return `Refund ${res.id}: ${res.amount} ${res.currency} ${res.state}.`;
      },
      context,
    );
  });
  return form;
}
