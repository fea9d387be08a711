import { TierliftClient } from '../client/tierlift-client';
import type { ComparisonTable, PlanColumn } from '../client/tierlift-types';
import { directionOf, h } from './dom';
import { errorWithRetry } from './human-error';
import type { Modal } from './modal';
import { PRICING_STYLES, renderPricingTable, type Interval } from './render-pricing-table';
import { surfaceStringsFor } from './surface-strings';
import { sharedSettings } from './shared-settings';
import { tokenProperty } from './token-property';
import { openUpgradeDialog } from './upgrade-dialog';
import { attachWidgetShell } from './widget-shell';

/**
 * `<tierlift-pricing-table>`: the plans side by side with a monthly/yearly switch. Logged out (no
 * token) it reads the public catalog (`country`, `currency`, `locale` attributes); with a token it
 * reads the account's table, marks the current and recommended plans, and "Choose" can start the
 * upgrade flow. "Choose" always dispatches `tierlift:choose-plan` (cancelable) first.
 */
export class TierliftPricingTableElement extends HTMLElement {
  static readonly observedAttributes = ['base-url', 'locale', 'country', 'currency', 'interval'];

  private readonly root: ShadowRoot;
  private readonly container: HTMLElement;
  private readonly modal: Modal;
  private tables: Record<Interval, ComparisonTable> | null = null;
  private interval: Interval | null = null;
  private generation = 0;

  constructor() {
    super();
    ({
      root: this.root,
      container: this.container,
      modal: this.modal,
    } = attachWidgetShell(this, PRICING_STYLES, h('div', { 'aria-busy': 'true' })));
    tokenProperty(this, () => void this.refresh());
  }

  declare getToken: (() => Promise<string>) | undefined;

  connectedCallback(): void {
    void this.refresh();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) void this.refresh();
  }

  private get locale(): string {
    return this.getAttribute('locale') ?? this.tables?.month.locale ?? (document.documentElement.lang || 'en');
  }

  private tokenGetter(): (() => Promise<string>) | undefined {
    return this.getToken ?? sharedSettings.getToken;
  }

  private client(): TierliftClient {
    const baseUrl = this.getAttribute('base-url') ?? sharedSettings.baseUrl ?? window.location.origin;
    return new TierliftClient({ baseUrl, getToken: this.tokenGetter() });
  }

  /** Fetches both intervals again (logged in: the account's table; else the public catalog). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const loggedIn = this.tokenGetter() !== undefined;
    const locale = this.getAttribute('locale') ?? undefined;
    const country = this.getAttribute('country') ?? undefined;
    const currency = this.getAttribute('currency') ?? undefined;
    try {
      const client = this.client();
      const fetchFor = (interval: Interval) =>
        loggedIn
          ? client.plans({ interval, locale, country })
          : client.publicPlans({ interval, locale, country, currency });
      const [month, year] = await Promise.all([fetchFor('month'), fetchFor('year')]);
      if (generation !== this.generation) return;
      this.tables = { month, year };
      this.interval ??= this.getAttribute('interval') === 'year' ? 'year' : 'month';
      this.render(loggedIn);
    } catch (error) {
      if (generation !== this.generation) return;
      const strings = surfaceStringsFor(this.locale);
      this.setAttribute('data-state', 'error');
      this.container.replaceChildren(
        errorWithRetry('tierlift-pricing-table', error, strings, () => void this.refresh()),
      );
      this.container.removeAttribute('aria-busy');
    }
  }

  private render(loggedIn: boolean): void {
    if (!this.tables || !this.interval) return;
    const locale = this.locale;
    const focusedInterval = this.root.activeElement?.getAttribute('data-interval');
    const view = renderPricingTable({
      tables: this.tables,
      interval: this.interval,
      loggedIn,
      strings: surfaceStringsFor(locale),
      onInterval: (interval) => {
        this.interval = interval;
        this.render(loggedIn);
      },
      onChoose: (plan, interval) => this.choose(plan, interval, loggedIn),
    });
    view.setAttribute('lang', locale);
    view.setAttribute('dir', directionOf(locale));
    this.container.replaceChildren(view);
    this.container.removeAttribute('aria-busy');
    this.setAttribute('data-state', 'shown');
    if (focusedInterval) this.container.querySelector<HTMLElement>(`[data-interval="${focusedInterval}"]`)?.focus();
  }

  private choose(plan: PlanColumn, interval: Interval, loggedIn: boolean): void {
    const detail = { plan: plan.code, interval, logged_in: loggedIn };
    const event = new CustomEvent('tierlift:choose-plan', { bubbles: true, composed: true, cancelable: true, detail });
    // A listener that prevents the default runs its own flow (e.g. a sign-up page when logged out).
    if (!this.dispatchEvent(event) || !loggedIn) return;
    void openUpgradeDialog(
      {
        element: 'tierlift-pricing-table',
        modal: this.modal,
        client: () => this.client(),
        locale: this.locale,
        surface: surfaceStringsFor(this.locale),
        stripePublishableKey: this.getAttribute('stripe-publishable-key') ?? sharedSettings.stripePublishableKey,
        emit: (type, eventDetail, cancelable = false) =>
          this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, cancelable, detail: eventDetail })),
        changed: (change) => {
          this.dispatchEvent(new CustomEvent('tierlift:change', { bubbles: true, composed: true, detail: { change } }));
          void this.refresh();
        },
      },
      { plan: plan.code, interval },
    );
  }
}
