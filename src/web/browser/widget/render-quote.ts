import type { Quote } from '../client/tierlift-types';
import { h } from './dom';
import { formatDate, formatMinor } from './money';
import type { WidgetStrings } from './strings';

/** What the change costs now, to the minor unit Stripe computed, and what follows; then confirm or cancel. */
export function renderQuote(
  quote: Quote,
  strings: WidgetStrings,
  locale: string,
  handlers: { confirm(): void; cancel(): void; guarantee: string | null },
): HTMLElement {
  const amount = formatMinor(quote.amount_due_now, quote.currency, locale);
  const confirm = h(
    'button',
    { type: 'button', class: 'primary', 'data-action': 'confirm', 'data-autofocus': true },
    strings.confirm,
  );
  const cancel = h('button', { type: 'button', 'data-action': 'cancel' }, strings.cancel);
  confirm.addEventListener('click', () => handlers.confirm());
  cancel.addEventListener('click', () => handlers.cancel());
  // NOTE: the quote's answer governs: a prompt's guarantee words are shown only while the quote still grants one.
  const granted = quote.guarantee.eligible && quote.guarantee.days ? quote.guarantee.days : null;
  const guarantee = granted ? (handlers.guarantee ?? strings.guaranteeDays(granted)) : null;
  const terms = granted ? (quote.guarantee.terms ?? []) : [];
  const money = (amount: number) => formatMinor(amount, quote.currency, locale);
  // NOTE: lines come before their discount and the amount due after it: show both, so they add up.
  const lineText = (line: Quote['lines'][number]) =>
    line.discount
      ? `${line.description}: ${strings.lineDiscount(money(line.amount), money(line.discount), money(line.amount - line.discount))}`
      : `${line.description}: ${money(line.amount)}`;
  return h(
    'div',
    { 'data-quote-id': quote.id },
    h('p', {}, strings.dueNow),
    h('p', { class: 'amount', 'data-amount-due-now': quote.amount_due_now, 'data-currency': quote.currency }, amount),
    h(
      'ul',
      {},
      quote.lines.map((line) => h('li', {}, lineText(line))),
    ),
    quote.next_invoice &&
      h(
        'p',
        { class: 'terms' },
        strings.thenRenews(
          formatMinor(quote.next_invoice.amount, quote.currency, locale),
          formatDate(quote.next_invoice.date, locale),
        ),
      ),
    quote.checkout_required && h('p', { class: 'terms' }, strings.afterCheckout),
    guarantee && h('p', { class: 'badge' }, guarantee),
    terms.length > 0 &&
      h(
        'ul',
        { class: 'muted', 'data-guarantee-terms': true },
        terms.map((term) => h('li', {}, term)),
      ),
    h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-quote-status': true }),
    h('div', { class: 'actions' }, confirm, cancel),
  );
}
