import { h } from './dom';
import { Modal } from './modal';
import { WIDGET_STYLES } from './widget-styles';

/** What every Tierlift element draws in: its shadow root, the container its content replaces, and its modal. */
export interface WidgetShell {
  readonly root: ShadowRoot;
  readonly container: HTMLElement;
  readonly modal: Modal;
}

/** Opens the element's shadow root with the shared styles (plus the element's own) before its container. */
export function attachWidgetShell(host: HTMLElement, ownStyles = '', container: HTMLElement = h('div')): WidgetShell {
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = WIDGET_STYLES + ownStyles;
  root.append(style, container);
  return { root, container, modal: new Modal(root) };
}

/** A polite live region after the container, for what the element says without moving the focus. */
export function appendStatusLine(root: ShadowRoot, focusable: boolean): HTMLElement {
  const status = h('p', {
    class: 'status',
    role: 'status',
    'aria-live': 'polite',
    ...(focusable ? { tabindex: -1 } : {}),
    'data-status': true,
  });
  root.append(status);
  return status;
}
