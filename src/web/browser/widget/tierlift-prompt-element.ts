import { TierliftClient, TierliftError } from '../client/tierlift-client';
import type { Change, PlanColumn, Prompt, PromptAction, PromptEventType, QuoteRequest } from '../client/tierlift-types';
import { directionOf, h } from './dom';
import { Modal } from './modal';
import { checkoutReturnUrls, followChange, settleChange, type ChangeFlowHost } from './change-flow';
import { takePendingChange } from './pending-change';
import { renderComparison } from './render-comparison';
import { renderPrompt } from './render-prompt';
import { renderQuote } from './render-quote';
import { stringsFor, type WidgetStrings } from './strings';
import { WIDGET_STYLES } from './widget-styles';

export interface WidgetSettings {
  getToken?: () => Promise<string>;
  baseUrl?: string;
  /** A Stripe publishable key: 3-D Secure then runs in Stripe.js's own modal. */
  stripePublishableKey?: string;
}

/** Settings every <tierlift-prompt> on the page shares (TierliftPrompt.configure). */
export const sharedSettings: WidgetSettings = {};

/**
 * `<tierlift-prompt placement="dashboard">`: fetches the offers for one placement and lets the
 * person act on them — buy after seeing the exact amount, compare plans, or say no.
 */
export class TierliftPromptElement extends HTMLElement {
  static readonly observedAttributes = ['placement', 'feature', 'base-url', 'locale'];

  /** The end user's JWT; set this or TierliftPrompt.configure({ getToken }). */
  getToken?: () => Promise<string>;

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

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = WIDGET_STYLES;
    this.container = h('div');
    this.status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', tabindex: -1, 'data-status': true });
    this.root.append(style, this.container, this.status);
    this.modal = new Modal(this.root);
  }

  connectedCallback(): void {
    this.scheduleRefresh();
    const pending = takePendingChange();
    // NOTE: after a tick, so a page that configures the token right after the tag is read is ready.
    if (pending) setTimeout(() => void followChange(this.flowHost(), pending), 0);
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.scheduleRefresh();
  }

  /** Fetches the prompts again (after a change made elsewhere on the page, for instance). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    // Not configured yet: TierliftPrompt.configure({ getToken }) refreshes every widget when it is.
    if (!this.getToken && !sharedSettings.getToken) return;
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

  private client(): TierliftClient {
    const getToken = this.getToken ?? sharedSettings.getToken;
    if (!getToken) throw new Error('tierlift-prompt: set element.getToken or TierliftPrompt.configure({ getToken })');
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
    const focus = this.focusedControl();
    const region = h(
      'section',
      { 'aria-label': strings.region, lang: this.locale, dir: directionOf(this.locale) },
      this.prompts.map((prompt) => renderPrompt(prompt, strings, handlers)),
    );
    this.container.replaceChildren(region);
    this.renderedFor = JSON.stringify(this.prompts);
    if (focus) this.restoreFocus(focus);
    for (const prompt of this.prompts) {
      if (this.impressions.has(prompt.id)) continue;
      this.impressions.add(prompt.id);
      void this.record(prompt, 'impression');
    }
  }

  /** The control that has focus in the list (prompt and action), so a re-render can give it back. */
  private focusedControl(): { promptId: string; action: string } | null {
    const active = this.root.activeElement;
    const action = active?.getAttribute('data-action');
    const promptId = active?.closest('[data-prompt-id]')?.getAttribute('data-prompt-id');
    return action && promptId ? { promptId, action } : null;
  }

  private restoreFocus(control: { promptId: string; action: string }): void {
    const article = [...this.container.querySelectorAll<HTMLElement>('[data-prompt-id]')].find(
      (element) => element.dataset.promptId === control.promptId,
    );
    article?.querySelector<HTMLElement>(`[data-action="${control.action}"]`)?.focus();
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
      this.modal.show(strings.compareTitle, this.errorView(error));
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
      this.modal.show(strings.quoteTitle, this.errorView(error));
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
      if (status) status.replaceChildren(this.errorView(error));
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
    const close = h('button', { type: 'button', class: 'primary', 'data-action': 'done', 'data-autofocus': true });
    close.textContent = this.strings.close;
    close.addEventListener('click', () => this.modal.close());
    this.modal.show(
      this.strings.quoteTitle,
      h('div', {}, h('p', { role: 'status', 'data-outcome': true }, message), h('div', { class: 'actions' }, close)),
    );
  }

  private errorView(error: unknown): HTMLElement {
    const message = error instanceof TierliftError || error instanceof Error ? error.message : String(error);
    return h('p', { class: 'error', role: 'alert' }, `${this.strings.failed} ${message}`);
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.announce(`${this.strings.failed} ${message}`);
    this.dispatchEvent(new CustomEvent('tierlift:error', { bubbles: true, composed: true, detail: { error } }));
  }

  private announce(message: string): void {
    this.status.textContent = message;
  }
}
