import type { CardSummary } from '../client/billing-page-types';
import type { TierliftClient } from '../client/tierlift-client';
import { h, uniqueId } from './dom';

/**
 * The billing page's card: the default card (GET /v1/account `payment_method`), and for owners and
 * admins "Update card", which opens Stripe Checkout in setup mode (POST /v1/payment-method/sessions).
 * Back on the page (`?tierlift_setup=done|canceled`), a confirmation names the new card once the
 * account shows it (the webhook sets it; the element re-reads the account until then).
 */
export type SetupReturn = 'done' | 'canceled';

const PARAM = 'tierlift_setup';
const PREVIOUS_KEY = 'tierlift:setup-previous-card';

interface CardStrings {
  title: string;
  none: string;
  card: (brand: string, last4: string, expiry: string) => string;
  update: string;
  updated: (brand: string, last4: string) => string;
  pending: string;
  canceled: string;
}

const en: CardStrings = {
  title: 'Payment method',
  none: 'No card on file.',
  card: (brand, last4, expiry) => `${brand} ending in ${last4}, expires ${expiry}`,
  update: 'Update card',
  updated: (brand, last4) => `Card updated: ${brand} ending in ${last4} will be charged from now on.`,
  pending: 'Saving your new card…',
  canceled: 'Your card was not changed.',
};

const de: CardStrings = {
  title: 'Zahlungsmethode',
  none: 'Keine Karte hinterlegt.',
  card: (brand, last4, expiry) => `${brand} mit Endziffern ${last4}, gültig bis ${expiry}`,
  update: 'Karte ändern',
  updated: (brand, last4) => `Karte geändert: Ab jetzt wird ${brand} mit Endziffern ${last4} belastet.`,
  pending: 'Ihre neue Karte wird gespeichert …',
  canceled: 'Ihre Karte wurde nicht geändert.',
};

export const cardStringsFor = (locale: string): CardStrings => (locale.toLowerCase().startsWith('de') ? de : en);

const BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  jcb: 'JCB',
  diners: 'Diners Club',
  unionpay: 'UnionPay',
};
export const brandName = (brand: string): string => BRANDS[brand] ?? brand;

let taken = false;

/** Once per page load: what the setup Checkout's return URL says. */
export function takeSetupReturn(): SetupReturn | null {
  if (taken) return null;
  taken = true;
  const value = new URLSearchParams(window.location.search).get(PARAM);
  return value === 'done' || value === 'canceled' ? value : null;
}

/** The card the account had before the customer left for Checkout ('' for none), if this tab left. */
export function previousCard(): string | null {
  return window.sessionStorage.getItem(PREVIOUS_KEY);
}

export function forgetPreviousCard(): void {
  window.sessionStorage.removeItem(PREVIOUS_KEY);
}

/** Opens the setup Checkout: this page (without an old `tierlift_setup`) is where Stripe sends the customer back. */
export async function startCardUpdate(client: TierliftClient, current: CardSummary | null): Promise<void> {
  const back = new URL(window.location.href);
  back.searchParams.delete(PARAM);
  const session = await client.paymentMethodSession(back.toString());
  window.sessionStorage.setItem(PREVIOUS_KEY, current?.id ?? '');
  window.location.assign(session.url);
}

export function renderCardSection(
  card: CardSummary | null,
  locale: string,
  manager: boolean,
  update: (button: HTMLButtonElement) => void,
): HTMLElement {
  const s = cardStringsFor(locale);
  const id = uniqueId('tierlift-billing-card');
  const expiry = card
    ? new Intl.DateTimeFormat(locale, { month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(Date.UTC(card.exp_year, card.exp_month - 1, 1)),
      )
    : '';
  const button = manager ? h('button', { type: 'button', 'data-action': 'update-card' }, s.update) : null;
  button?.addEventListener('click', () => update(button));
  return h(
    'section',
    { class: 'prompt', 'aria-labelledby': id, 'data-payment-method': card ? `${card.brand}:${card.last4}` : '' },
    h('h3', { id }, s.title),
    h('p', {}, card ? s.card(brandName(card.brand), card.last4, expiry) : s.none),
    button ? h('div', { class: 'actions' }, button) : null,
  );
}

/** The banner on the way back: the new card once the account shows it, or "not changed". */
export function renderSetupConfirmation(outcome: SetupReturn, card: CardSummary | null, locale: string): HTMLElement {
  const s = cardStringsFor(locale);
  const text = outcome === 'canceled' ? s.canceled : card ? s.updated(brandName(card.brand), card.last4) : s.pending;
  return h(
    'div',
    {
      class: 'prompt note',
      role: 'status',
      'data-setup-confirmation': outcome === 'canceled' ? 'canceled' : card ? 'updated' : 'pending',
    },
    h('p', {}, text),
  );
}

/** On a `done` return: the new card once the account shows one other than before, else null (still saving). */
export function newCardAfterSetup(card: CardSummary | null): CardSummary | null {
  const before = previousCard();
  if (!card || (before !== null && card.id === before)) return null;
  forgetPreviousCard();
  return card;
}
