import { h, uniqueId } from './dom';

/**
 * One modal dialog in the widget's shadow root, on the native <dialog> (inert background, focus
 * kept inside, Escape closes). Focus goes back to what had it when the dialog opened.
 */
export class Modal {
  readonly element: HTMLDialogElement;
  private readonly heading: HTMLHeadingElement;
  private readonly body: HTMLDivElement;
  private readonly closeButton: HTMLButtonElement;
  private returnFocusTo: HTMLElement | null = null;
  private onClose: (() => void) | null = null;

  constructor(
    private readonly root: ShadowRoot,
    closeLabel = 'Close',
  ) {
    const headingId = uniqueId('tierlift-dialog-title');
    this.heading = h('h2', { id: headingId });
    this.body = h('div');
    const close = h('button', { type: 'button', class: 'link', 'data-action': 'close-dialog' }, closeLabel);
    close.addEventListener('click', () => this.close());
    this.closeButton = close;
    this.element = h(
      'dialog',
      { 'aria-labelledby': headingId, 'aria-modal': 'true' },
      h('div', { class: 'dialog-body' }, h('div', { class: 'dialog-head' }, this.heading, close), this.body),
    );
    this.element.addEventListener('close', () => {
      const target = this.returnFocusTo;
      this.returnFocusTo = null;
      const after = this.onClose;
      this.onClose = null;
      // NOTE: the close event comes a task after the dialog closed and the browser put focus back;
      // by then the person may have moved on (Shift+Tab): only a focus that was lost is restored.
      const lost = !document.activeElement || document.activeElement === document.body;
      if (target?.isConnected && lost) target.focus();
      after?.();
    });
    root.append(this.element);
  }

  get isOpen(): boolean {
    return this.element.open;
  }

  open(input: {
    title: string;
    closeLabel: string;
    dir: string;
    lang: string;
    content: Node;
    onClose?: () => void;
  }): void {
    this.closeButton.textContent = input.closeLabel;
    if (!this.element.open) {
      const active = this.root.activeElement ?? document.activeElement;
      this.returnFocusTo = active instanceof HTMLElement ? active : null;
    }
    this.onClose = input.onClose ?? null;
    this.element.dir = input.dir;
    this.element.lang = input.lang;
    this.show(input.title, input.content);
    if (!this.element.open) this.element.showModal();
    this.focusFirst();
  }

  /** Replaces what the open dialog shows (e.g. the comparison table → the quote). */
  show(title: string, content: Node): void {
    this.heading.textContent = title;
    this.body.replaceChildren(content);
    if (this.element.open) this.focusFirst();
  }

  close(): void {
    if (this.element.open) this.element.close();
  }

  private focusFirst(): void {
    const preferred = this.body.querySelector<HTMLElement>('[data-autofocus]');
    const first = preferred ?? this.body.querySelector<HTMLElement>('button:not([disabled]), [href], summary');
    (first ?? this.heading).focus();
  }
}
