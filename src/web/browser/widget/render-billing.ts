import type { AdminRequest, AdminRequestKind, InvoiceSummary } from '../client/billing-page-types';
import type { AccountView, ComparisonTable, Entitlement, RefundEligibility } from '../client/tierlift-types';
import type { BillingStrings } from './billing-strings';
import { h, uniqueId } from './dom';
import { formatDate, formatMinor } from './money';

export interface BillingData {
  account: AccountView;
  entitlements: Entitlement[];
  table: ComparisonTable;
  /** null: the person is a member (reads, and asks the admin). */
  requests: AdminRequest[] | null;
  refunds: RefundEligibility[];
  invoices: InvoiceSummary[];
}

export interface BillingHandlers {
  cancel(): void;
  refund(eligibility: RefundEligibility): void;
  ask(kind: AdminRequestKind, message: string): void;
}

const part = (title: string, name: string, ...children: Array<Node | null>) => {
  const id = uniqueId(`tierlift-billing-${name}`);
  return h(
    'section',
    { class: 'prompt', 'aria-labelledby': id, [`data-${name}`]: true },
    h('h3', { id }, title),
    children,
  );
};

/** The customer's billing page: plan and renewal, usage, refunds, and "ask your admin" or the team's requests. */
export function renderBilling(data: BillingData, s: BillingStrings, locale: string, on: BillingHandlers): HTMLElement {
  const manager = data.requests !== null;
  return h(
    'div',
    {},
    planPart(data, s, locale, manager, on),
    usagePart(data, s, locale),
    invoicesPart(data.invoices, s, locale),
    manager ? refundsPart(data, s, locale, on) : null,
    manager ? requestsPart(data.requests ?? [], s, locale) : askPart(s, on),
  );
}

function planPart(data: BillingData, s: BillingStrings, locale: string, manager: boolean, on: BillingHandlers) {
  const sub = data.account.subscription;
  const column = data.table.plans.find((plan) => plan.code === sub?.plan);
  if (!sub || !column) return part(s.plan, 'plan', h('p', {}, s.freePlan));
  const end = sub.current_period_end ? formatDate(sub.current_period_end, locale) : '';
  let cancel: HTMLElement | null = null;
  if (manager && !sub.cancel_at_period_end) {
    cancel = h('button', { type: 'button', 'data-action': 'cancel-subscription' }, s.cancel);
    cancel.addEventListener('click', () => on.cancel());
  }
  return part(
    s.plan,
    'plan',
    h('p', { class: 'price', 'data-current-plan': column.code }, `${column.name} · ${column.price.words}`),
    end
      ? h(
          'p',
          { 'data-renewal': sub.cancel_at_period_end ? 'ends' : 'renews' },
          sub.cancel_at_period_end ? s.ends(end) : s.renews(end),
        )
      : null,
    cancel ? h('div', { class: 'actions' }, cancel) : null,
  );
}

function usagePart(data: BillingData, s: BillingStrings, locale: string) {
  const number = new Intl.NumberFormat(locale);
  const names = new Map(data.table.features.map((feature) => [feature.code, feature.name]));
  const rows = data.entitlements.flatMap((entitlement) => {
    if (entitlement.type !== 'metered') return [];
    const labelId = uniqueId('tierlift-meter');
    const used = number.format(entitlement.used);
    const words = entitlement.limit === null ? s.unlimited(used) : s.used(used, number.format(entitlement.limit));
    const meter =
      entitlement.limit === null
        ? null
        : h('meter', {
            min: 0,
            max: entitlement.limit,
            value: entitlement.used,
            'aria-labelledby': labelId,
            'data-feature': entitlement.feature,
          });
    return [
      h(
        'li',
        {},
        h('span', { id: labelId }, `${names.get(entitlement.feature) ?? entitlement.feature}: ${words}`),
        meter,
      ),
    ];
  });
  return part(s.usage, 'usage', h('ul', { class: 'meters' }, rows));
}

function invoicesPart(invoices: InvoiceSummary[], s: BillingStrings, locale: string) {
  if (invoices.length === 0) return part(s.invoices, 'invoices', h('p', {}, s.noInvoices));
  const link = (href: string | null, words: string, label: string) =>
    href ? h('a', { href, target: '_blank', rel: 'noopener', 'aria-label': label }, words) : null;
  const rows = invoices.map((invoice) => {
    const name = `${invoice.number ?? invoice.id}, ${formatDate(invoice.created_at, locale)}`;
    return h(
      'li',
      { 'data-invoice': invoice.id },
      h(
        'p',
        {},
        `${name} · ${formatMinor(invoice.total, invoice.currency, locale)} · ${s.invoiceStatus(invoice.status)}`,
      ),
      h(
        'p',
        { class: 'links' },
        link(invoice.hosted_invoice_url, s.viewInvoice, `${s.viewInvoice}: ${name}`),
        link(invoice.invoice_pdf, s.downloadPdf, `${s.downloadPdf}: ${name}`),
      ),
    );
  });
  return part(s.invoices, 'invoices', h('ul', { class: 'invoices' }, rows));
}

function refundsPart(data: BillingData, s: BillingStrings, locale: string, on: BillingHandlers) {
  const open = data.refunds.filter((refund) => refund.eligible !== false && refund.amount > 0);
  if (open.length === 0) return null;
  return part(
    s.refunds,
    'refunds',
    h(
      'ul',
      {},
      open.map((refund) => {
        const button = h(
          'button',
          { type: 'button', 'data-action': 'request-refund', 'data-purchase': refund.purchase_id },
          s.requestRefund,
        );
        button.addEventListener('click', () => on.refund(refund));
        const amount = formatMinor(refund.amount, refund.currency, locale);
        return h(
          'li',
          {},
          h('p', {}, s.refundable(amount, refund.deadline ? formatDate(refund.deadline, locale) : '')),
          button,
        );
      }),
    ),
  );
}

function requestsPart(requests: AdminRequest[], s: BillingStrings, locale: string) {
  const list = requests.map((request) =>
    h(
      'li',
      { 'data-request': request.id, 'data-kind': request.kind },
      h('p', {}, s.requestLine(s.kinds[request.kind], formatDate(request.created_at, locale))),
      request.message ? h('p', { class: 'muted' }, request.message) : null,
    ),
  );
  return part(s.requests, 'requests', list.length ? h('ul', {}, list) : h('p', {}, s.noRequests));
}

function askPart(s: BillingStrings, on: BillingHandlers) {
  const kindId = uniqueId('tierlift-ask-kind');
  const messageId = uniqueId('tierlift-ask-message');
  const kind = h(
    'select',
    { id: kindId, name: 'kind' },
    (Object.keys(s.kinds) as AdminRequestKind[]).map((k) => h('option', { value: k }, s.kinds[k])),
  );
  const message = h('textarea', { id: messageId, name: 'message', rows: 3, maxlength: 1000 });
  const form = h(
    'form',
    { 'data-ask-admin': true },
    h('p', { class: 'note' }, s.readOnly),
    h('p', {}, h('label', { for: kindId }, s.askKind), h('br'), kind),
    h('p', {}, h('label', { for: messageId }, s.askMessage), h('br'), message),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', 'data-action': 'ask-admin' }, s.send),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    on.ask(kind.value as AdminRequestKind, message.value);
  });
  return part(s.askAdmin, 'ask', form);
}

export const BILLING_STYLES = `
.invoices { list-style: none; padding: 0; }
.links { display: flex; gap: 1rem; flex-wrap: wrap; }
a { color: var(--_accent); }
.meters { list-style: none; padding: 0; }
.meters li { margin-block-end: 0.6rem; }
meter { display: block; inline-size: 100%; block-size: 0.9rem; }
select, textarea { font: inherit; inline-size: 100%; max-inline-size: 32rem; border: 1px solid var(--_border); border-radius: 6px; padding: 0.4rem; background: var(--_bg); color: var(--_fg); }
fieldset { border: 0; padding: 0; margin-block: 0.5rem; }
.alternative { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.75rem; margin-block: 0.5rem; }
`;
