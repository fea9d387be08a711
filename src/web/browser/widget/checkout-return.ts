import { h } from './dom';
import type { SurfaceStrings } from './surface-strings';

export type CheckoutReturn = 'returned' | 'canceled';

let taken = false;

/**
 * Once per page load: the outcome Checkout's return URL names (`?checkout=returned|canceled`, see
 * `checkoutReturnUrls`). Read when the first widget connects, before the page may tidy its URL.
 */
export function takeCheckoutReturn(): CheckoutReturn | null {
  if (taken) return null;
  taken = true;
  const value = new URLSearchParams(window.location.search).get('checkout');
  return value === 'returned' || value === 'canceled' ? value : null;
}

/** The confirmation a customer sees on coming back from Checkout (paid, or canceled with nothing charged). */
export function renderCheckoutReturn(outcome: CheckoutReturn, strings: SurfaceStrings, dismiss: string): HTMLElement {
  const close = h('button', { type: 'button', class: 'link', 'data-action': 'dismiss-confirmation' }, dismiss);
  const banner = h(
    'div',
    { class: 'prompt note', role: 'status', 'data-checkout-confirmation': outcome },
    h('p', {}, outcome === 'returned' ? strings.checkoutReturned : strings.checkoutCanceled),
    h('div', { class: 'actions' }, close),
  );
  close.addEventListener('click', () => banner.remove());
  return banner;
}
