import type { TierliftClient } from '../client/tierlift-client';
import type { Change, QuoteRequest } from '../client/tierlift-types';
import { checkoutReturnUrls, settleChange, type ChangeFlowHost } from './change-flow';
import { directionOf, h } from './dom';
import { errorWithRetry } from './human-error';
import type { Modal } from './modal';
import { renderQuote } from './render-quote';
import { stringsFor } from './strings';
import type { SurfaceStrings } from './surface-strings';

export interface UpgradeDialogHost {
  element: string;
  modal: Modal;
  client(): TierliftClient;
  locale: string;
  surface: SurfaceStrings;
  stripePublishableKey?: string;
  emit(type: string, detail: unknown, cancelable?: boolean): boolean;
  /** After an applied or scheduled change (e.g. to fetch the plans again). */
  changed(change: Change): void;
}

/**
 * The prompt widget's upgrade flow, for any element: the exact quote, then confirm, then the
 * change's outcome (applied, scheduled, Checkout, 3-D Secure), in the element's own dialog.
 */
export async function openUpgradeDialog(host: UpgradeDialogHost, request: QuoteRequest): Promise<void> {
  const strings = stringsFor(host.locale);
  const { modal } = host;
  const title = strings.quoteTitle;
  modal.open({
    title,
    closeLabel: strings.close,
    dir: directionOf(host.locale),
    lang: host.locale,
    content: h('p', {}, strings.loading),
  });
  const retry = () => void openUpgradeDialog(host, request);
  let quoteView: HTMLElement;
  try {
    const quote = await host.client().quote(request);
    quoteView = renderQuote(quote, strings, host.locale, {
      guarantee: null,
      cancel: () => modal.close(),
      confirm: () => void confirm(quote.id),
    });
    modal.show(title, quoteView);
  } catch (error) {
    modal.show(title, errorWithRetry(host.element, error, host.surface, retry));
    return;
  }

  const flow: ChangeFlowHost = {
    client: () => host.client(),
    strings,
    stripePublishableKey: host.stripePublishableKey,
    showResult: (message) => modal.show(title, h('p', { role: 'status', 'data-outcome': true }, message)),
    announce: (message) => modal.show(title, h('p', { role: 'status', 'data-outcome': true }, message)),
    finished: (change) => {
      modal.show(title, h('p', { role: 'status', 'data-outcome': true }, strings.applied));
      host.changed(change);
    },
    fail: (error) => modal.show(title, errorWithRetry(host.element, error, host.surface, retry)),
    emit: host.emit,
  };

  async function confirm(quoteId: string): Promise<void> {
    const status = quoteView.querySelector<HTMLElement>('[data-quote-status]');
    for (const button of quoteView.querySelectorAll('button')) button.disabled = true;
    if (status) status.textContent = strings.working;
    try {
      const change = await host.client().createChange(quoteId, checkoutReturnUrls(window.location.href));
      await settleChange(flow, change);
    } catch (error) {
      for (const button of quoteView.querySelectorAll('button')) button.disabled = false;
      status?.replaceChildren(errorWithRetry(host.element, error, host.surface, () => void confirm(quoteId)));
    }
  }
}
