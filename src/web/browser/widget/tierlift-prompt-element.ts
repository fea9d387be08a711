import { TierliftClient } from '../client/tierlift-client';
import type { Change, PlanColumn, Prompt, PromptAction, PromptEventType, QuoteRequest } from '../client/tierlift-types';
import { directionOf, h } from './dom';
import { focusedControl, restoreFocus } from './focus-memory';
import type { Modal } from './modal';
import { checkoutReturnUrls, followChange, settleChange, type ChangeFlowHost } from './change-flow';
import { renderCheckoutReturn, takeCheckoutReturn } from './checkout-return';
import { errorWithRetry, humanError, logForDeveloper } from './human-error';
import { takePendingChange } from './pending-change';
import { renderComparison } from './render-comparison';
import { renderPrompt } from './render-prompt';
import { renderQuote } from './render-quote';
import { stringsFor, type WidgetStrings } from './strings';
import { surfaceStringsFor } from './surface-strings';
import { renderResult } from './render-result';
import { tokenProperty, TokenWait } from './token-property';
import { appendStatusLine, attachWidgetShell } from './widget-shell';
import { sharedSettings } from './shared-settings';

export { sharedSettings, type WidgetSettings } from './shared-settings';

/**
 * `<tierlift-prompt placement="dashboard">`: fetches the offers for one placement and lets the
 * person act on them — buy after seeing the exact amount, compare plans, or say no.
 */
export class TierliftPromptElement extends HTMLElement {
  static readonly observedAttributes = ['placement', 'feature', 'base-url', 'locale'];

  /** The end user's JWT; set this (at any time) or TierliftPrompt.configure({ getToken }). */
  declare getToken: (() => Promise<string>) | undefined;

  private readonly root: ShadowRoot;
  private readonly container: HTMLElement;
  private readonly status: HTMLElement;
  private readonly modal: Modal;
  private readonly impressions = new Set<string>();
  private prompts: Prompt[] = [];
  /** The offer being bought, so the outcome can say what changed (a plan, or an add-on beside it). */
  private buying: Prompt['offer'] | null = null;
  /** The prompts the list on screen shows: a refresh that brings the same ones leaves the DOM alone. */
  private renderedFor: string | null = null;
  private generation = 0;
  private scheduled = false;
  private readonly tokenWait = new TokenWait();

  constructor() {
    super();
    ({ root: this.root, container: this.container, modal: this.modal } = attachWidgetShell(this));
    this.status = appendStatusLine(this.root, true);
    tokenProperty(this, () => this.scheduleRefresh());
  }

  connectedCallback(): void {
    this.scheduleRefresh();
    const back = takeCheckoutReturn();
    const pending = takePendingChange();
    if (back) this.root.insertBefore(renderCheckoutReturn(back, this.surface, this.strings.close), this.container);
    // NOTE: the token may come later (the page configures it after its own start-up): wait for it.
    if (pending && back !== 'canceled')
      void this.tokenWait.until(!!this.tokenGetter()).then(() => followChange(this.flowHost(), pending));
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.scheduleRefresh();
  }

  /** Fetches the prompts again (after a change made elsewhere on the page, for instance). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    // Not configured yet: TierliftPrompt.configure({ getToken }) or element.getToken refreshes when it is.
    if (!this.tokenGetter()) return;
    this.tokenWait.ready();
    try {
      const placement = (this.getAttribute('placement') ?? 'dashboard') as Prompt['placement'];
      const feature = this.getAttribute('feature') ?? undefined;
      const { data } = await this.client().prompts({ placement, feature });
      if (generation !== this.generation) return;
      this.prompts = data;
      // NOTE: replacing the buttons under the person's focus can swallow a key press (Space acts
      // on key-up, on whichever button is there then): render only what changed.
      if (JSON.stringify(data) !== this.renderedFor) this.render();
    } catch (error) {
      if (generation === this.generation) this.fail(error);
    }
  }

  private get locale(): string {
    return this.getAttribute('locale') ?? this.prompts[0]?.copy.locale ?? document.documentElement.lang ?? 'en';
  }

  private get strings(): WidgetStrings {
    return stringsFor(this.locale || 'en');
  }

  private get surface() {
    return surfaceStringsFor(this.locale || 'en');
  }

  private tokenGetter(): (() => Promise<string>) | undefined {
    return this.getToken ?? sharedSettings.getToken;
  }

  private client(): TierliftClient {
    // NOTE: without a token the client answers `no_token` (a 401): the person reads "sign in again".
    const getToken = this.tokenGetter();
    const baseUrl = this.getAttribute('base-url') ?? sharedSettings.baseUrl ?? window.location.origin;
    return new TierliftClient({ baseUrl, getToken });
  }

  private scheduleRefresh(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.refresh();
    });
  }

  private render(): void {
    // NOTE: a dialog's return-focus target is a control of this list: re-rendering under an open
    // dialog would orphan it and drop focus on close. Closing refreshes (and renders) anyway.
    if (this.modal.isOpen) return;
    const strings = this.strings;
    this.setAttribute('data-state', this.prompts.length > 0 ? 'shown' : 'empty');
    if (this.prompts.length === 0) {
      this.container.replaceChildren();
      this.renderedFor = '[]';
      return;
    }
    const handlers = {
      purchase: (prompt: Prompt, action: PromptAction) => void this.purchase(prompt, action.quote ?? {}),
      compare: (prompt: Prompt) => void this.compare(prompt),
      answer: (prompt: Prompt, type: 'dismiss' | 'snooze' | 'never') => void this.answer(prompt, type),
      askAdmin: (prompt: Prompt) => this.askAdmin(prompt),
    };
    const focus = focusedControl(this.root);
    const region = h(
      'section',
      { 'aria-label': strings.region, lang: this.locale, dir: directionOf(this.locale) },
      this.prompts.map((prompt) => renderPrompt(prompt, strings, handlers)),
    );
    this.container.replaceChildren(region);
    this.renderedFor = JSON.stringify(this.prompts);
    if (focus) restoreFocus(this.container, focus);
    for (const prompt of this.prompts) {
      if (this.impressions.has(prompt.id)) continue;
      this.impressions.add(prompt.id);
      void this.record(prompt, 'impression');
    }
  }

  private async record(prompt: Prompt, type: PromptEventType): Promise<void> {
    try {
      await this.client().recordPromptEvent(prompt.id, type);
    } catch {
      // NOTE: a lost event must never block the person; the server counts impressions on fetch too.
    }
  }

  private async answer(prompt: Prompt, type: 'dismiss' | 'snooze' | 'never'): Promise<void> {
    await this.record(prompt, type);
    this.prompts = this.prompts.filter((shown) => shown.id !== prompt.id);
    const strings = this.strings;
    this.render();
    this.announce(type === 'dismiss' ? strings.dismissed : type === 'snooze' ? strings.snoozed : strings.never);
    this.status.focus();
  }

  private askAdmin(prompt: Prompt): void {
    void this.record(prompt, 'click');
    this.announce(prompt.copy.ask_admin_note ?? this.strings.askedAdmin);
    this.dispatchEvent(new CustomEvent('tierlift:ask-admin', { bubbles: true, composed: true, detail: { prompt } }));
  }

  private async compare(prompt: Prompt): Promise<void> {
    const strings = this.strings;
    const interval = prompt.offer.interval === 'year' ? 'year' : 'month';
    const canBuy = prompt.actions.some((action) => action.type === 'purchase');
    this.openDialog(strings.compareTitle, h('p', {}, strings.loading));
    try {
      const locale = this.getAttribute('locale') ?? undefined;
      const table = await this.client().plans({ interval, locale });
      this.modal.show(
        strings.compareTitle,
        renderComparison(table, strings, {
          canBuy,
          onChoose: (plan: PlanColumn) => void this.purchase(prompt, { plan: plan.code, interval: table.interval }),
        }),
      );
    } catch (error) {
      this.showError(strings.compareTitle, error, () => void this.compare(prompt));
    }
  }

  private async purchase(prompt: Prompt, request: QuoteRequest): Promise<void> {
    const strings = this.strings;
    this.buying = prompt.offer;
    void this.record(prompt, 'click');
    this.openDialog(strings.quoteTitle, h('p', {}, strings.loading));
    try {
      const quote = await this.client().quote(request);
      const view = renderQuote(quote, strings, this.locale, {
        guarantee: prompt.copy.guarantee,
        cancel: () => this.modal.close(),
        confirm: () => void this.confirm(quote.id, view),
      });
      this.modal.show(strings.quoteTitle, view);
    } catch (error) {
      this.showError(strings.quoteTitle, error, () => void this.purchase(prompt, request));
    }
  }

  private async confirm(quoteId: string, view: HTMLElement): Promise<void> {
    const strings = this.strings;
    const status = view.querySelector<HTMLElement>('[data-quote-status]');
    for (const button of view.querySelectorAll('button')) button.disabled = true;
    if (status) status.textContent = strings.working;
    try {
      const change = await this.client().createChange(quoteId, checkoutReturnUrls(window.location.href));
      await settleChange(this.flowHost(), change);
    } catch (error) {
      for (const button of view.querySelectorAll('button')) button.disabled = false;
      if (status) status.replaceChildren(this.errorView(error, () => void this.confirm(quoteId, view)));
    }
  }

  private flowHost(): ChangeFlowHost {
    return {
      client: () => this.client(),
      strings: this.strings,
      stripePublishableKey: this.getAttribute('stripe-publishable-key') ?? sharedSettings.stripePublishableKey,
      showResult: (message) => this.showResult(message),
      announce: (message) => this.announce(message),
      finished: (change) => this.finished(change),
      fail: (error) => this.fail(error),
      emit: (type, detail, cancelable = false) =>
        this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, cancelable, detail })),
    };
  }

  private finished(change: Change): void {
    const strings = this.strings;
    // NOTE: an add-on (a one-time training included) leaves the plan as it was: say what was bought.
    const addOn = this.buying?.type === 'addon' ? this.buying.name : null;
    const message =
      change.status === 'applied'
        ? addOn
          ? strings.purchased(addOn)
          : strings.applied
        : strings.scheduled(change.effective_at ? new Date(change.effective_at).toLocaleDateString(this.locale) : '');
    if (this.modal.isOpen) this.showResult(message);
    this.announce(message);
    this.dispatchEvent(new CustomEvent('tierlift:change', { bubbles: true, composed: true, detail: { change } }));
    if (!this.modal.isOpen) void this.refresh();
  }

  private openDialog(title: string, content: Node): void {
    this.modal.open({
      title,
      content,
      closeLabel: this.strings.close,
      dir: directionOf(this.locale),
      lang: this.locale,
      onClose: () => void this.refresh(),
    });
  }

  private showResult(message: string): void {
    this.modal.show(
      this.strings.quoteTitle,
      renderResult(message, this.strings.close, () => this.modal.close()),
    );
  }

  private errorView(error: unknown, retry: () => void): HTMLElement {
    return errorWithRetry('tierlift-prompt', error, this.surface, retry);
  }

  private showError(title: string, error: unknown, retry: () => void): void {
    this.modal.show(title, this.errorView(error, retry));
  }

  private fail(error: unknown): void {
    this.announce(humanError(error, this.surface));
    if (this.modal.isOpen) this.showError(this.strings.quoteTitle, error, () => this.modal.close());
    if (this.renderedFor !== null) logForDeveloper('tierlift-prompt', error);
    else {
      // Nothing shown yet: the list itself failed to load; offer to load it again.
      this.setAttribute('data-state', 'error');
      this.container.replaceChildren(this.errorView(error, () => void this.refresh()));
      this.container.querySelector('[data-error]')?.removeAttribute('role');
    }
    this.dispatchEvent(new CustomEvent('tierlift:error', { bubbles: true, composed: true, detail: { error } }));
  }

  private announce(message: string): void {
    this.status.textContent = message;
  }
}
