import { h } from './dom';

/** An outcome in the open dialog (done, scheduled, on to Checkout…) with a button to close it. */
export function renderResult(message: string, closeLabel: string, close: () => void): HTMLElement {
  const button = h('button', { type: 'button', class: 'primary', 'data-action': 'done', 'data-autofocus': true });
  button.textContent = closeLabel;
  button.addEventListener('click', close);
  return h(
    'div',
    {},
    h('p', { role: 'status', 'data-outcome': true }, message),
    h('div', { class: 'actions' }, button),
  );
}
