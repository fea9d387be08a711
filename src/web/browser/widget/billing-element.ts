import { TierliftClient, TierliftError } from '../client/tierlift-client';
import type { AdminRequestKind, CardSummary } from '../client/billing-page-types';
import type { RefundEligibility } from '../client/tierlift-types';
import { billingStringsFor, type BillingStrings } from './billing-strings';
import { confirmCancel, loadCancelOffer } from './cancel-flow-adapter';
import { directionOf, h, uniqueId } from './dom';
import { errorWithRetry } from './human-error';
import type { Modal } from './modal';
import {
  newCardAfterSetup,
  renderCardSection,
  renderSetupConfirmation,
  startCardUpdate,
  takeSetupReturn,
} from './payment-method-section';
import { formatDate, formatMinor } from './money';
import { BILLING_STYLES, renderBilling, type BillingData } from './render-billing';
import { sharedSettings } from './shared-settings';
import { surfaceStringsFor } from './surface-strings';
import { tokenProperty } from './token-property';
import { openUpgradeDialog } from './upgrade-dialog';
import { appendStatusLine, attachWidgetShell } from './widget-shell';

/**
 * `<tierlift-billing>`: the customer's own billing page: plan and renewal, usage, refunds, the
 * cancel flow (with the smaller plans that still fit, before anything is canceled), and for
 * members a read-only page with "ask your admin", whose requests the owner sees here.
 */
export class TierliftBillingElement extends HTMLElement {
  static readonly observedAttributes = ['base-url', 'locale'];
  declare getToken: (() => Promise<string>) | undefined;

  private readonly root: ShadowRoot;
  private readonly container: HTMLElement;
  private readonly status: HTMLElement;
  private readonly modal: Modal;
  private data: BillingData | null = null;
  private generation = 0;
  /** Back from the setup Checkout: the confirmation waits for the account to show the new card. */
  private setupReturn = takeSetupReturn();
  private setupCard: CardSummary | null = null;
  private setupTries = 0;

  constructor() {
    super();
    ({ root: this.root, container: this.container, modal: this.modal } = attachWidgetShell(this, BILLING_STYLES));
    this.status = appendStatusLine(this.root, false);
    tokenProperty(this, () => void this.refresh());
  }

  connectedCallback(): void {
    void this.refresh();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) void this.refresh();
  }

  private get locale(): string {
    return this.getAttribute('locale') ?? this.data?.account.locale ?? (document.documentElement.lang || 'en');
  }

  private get s(): BillingStrings {
    return billingStringsFor(this.locale);
  }

  private client(): TierliftClient {
    const baseUrl = this.getAttribute('base-url') ?? sharedSettings.baseUrl ?? window.location.origin;
    return new TierliftClient({ baseUrl, getToken: this.getToken ?? sharedSettings.getToken });
  }

  async refresh(): Promise<void> {
    if (!(this.getToken ?? sharedSettings.getToken)) return;
    const generation = ++this.generation;
    try {
      const client = this.client();
      const [account, entitlements, requests, refunds, invoices] = await Promise.all([
        client.account(),
        client.entitlements(),
        // NOTE: the server decides who manages billing: a member's 403 here means the read-only page.
        client.adminRequests().catch((error: unknown) => {
          if (error instanceof TierliftError && error.status === 403) return null;
          throw error;
        }),
        client.refundEligibility().catch(() => []),
        client.invoices(),
      ]);
      const interval = account.subscription?.interval ?? 'month';
      const table = await client.plans({ interval, locale: this.getAttribute('locale') ?? undefined });
      if (generation !== this.generation) return;
      this.data = { account, entitlements: entitlements.data, table, requests, refunds, invoices };
      this.followSetup();
      this.render();
    } catch (error) {
      if (generation !== this.generation) return;
      this.setAttribute('data-state', 'error');
      this.container.replaceChildren(
        errorWithRetry('tierlift-billing', error, surfaceStringsFor(this.locale), () => void this.refresh()),
      );
    }
  }

  private render(): void {
    if (!this.data) return;
    const titleId = uniqueId('tierlift-billing-title');
    this.container.replaceChildren(
      h(
        'section',
        { 'aria-labelledby': titleId, lang: this.locale, dir: directionOf(this.locale) },
        h('h2', { id: titleId }, this.s.title),
        this.setupReturn ? renderSetupConfirmation(this.setupReturn, this.setupCard, this.locale) : null,
        renderCardSection(this.card(), this.locale, this.data.requests !== null, (button) => {
          button.disabled = true;
          startCardUpdate(this.client(), this.card()).catch((error: unknown) => {
            button.disabled = false;
            this.status.replaceChildren(
              errorWithRetry('tierlift-billing', error, surfaceStringsFor(this.locale), () => button.click()),
            );
          });
        }),
        renderBilling(this.data, this.s, this.locale, {
          cancel: () => void this.openCancel(),
          refund: (eligibility) => this.openRefund(eligibility),
          ask: (kind, message) => void this.ask(kind, message),
        }),
      ),
    );
    this.setAttribute('data-state', 'shown');
    this.setAttribute('data-role', this.data.requests === null ? 'member' : 'manager');
  }

  private card(): CardSummary | null {
    return (this.data?.account as { payment_method?: CardSummary | null } | undefined)?.payment_method ?? null;
  }

  /** Until the account shows the new card (the webhook sets it), re-read it now and then (about 30 s). */
  private followSetup(): void {
    if (this.setupReturn !== 'done' || this.setupCard) return;
    this.setupCard = newCardAfterSetup(this.card());
    if (!this.setupCard && this.setupTries++ < 30) setTimeout(() => void this.refresh(), 1000);
  }

  private open(title: string, content: Node): void {
    this.modal.open({ title, content, closeLabel: this.s.keep, dir: directionOf(this.locale), lang: this.locale });
  }

  private failIn(error: unknown, retry: () => void): void {
    this.modal.show(
      this.s.cancelTitle,
      errorWithRetry('tierlift-billing', error, surfaceStringsFor(this.locale), retry),
    );
  }

  private async openCancel(): Promise<void> {
    const s = this.s;
    this.open(s.cancelTitle, h('p', {}, '…'));
    try {
      const offer = await loadCancelOffer(this.client());
      const names = new Map(this.data?.table.plans.map((plan) => [plan.code, plan.name]));
      const reasonId = uniqueId('tierlift-reason');
      const textId = uniqueId('tierlift-reason-text');
      const reason = h(
        'select',
        { id: reasonId },
        h('option', { value: '' }, '—'),
        Object.entries(s.reasons).map(([value, words]) => h('option', { value }, words)),
      );
      const text = h('textarea', { id: textId, rows: 2, maxlength: 500 });
      const alternatives = offer.alternatives.map((alternative) => {
        // The catalog's own words ("$19.00/month") when the table prices the same thing; else the amount.
        const column = this.data?.table.plans.find((plan) => plan.code === alternative.plan);
        const same = column?.price.interval === alternative.interval && column.price.amount === alternative.amount;
        const price = same ? column.price.words : formatMinor(alternative.amount, alternative.currency, this.locale);
        const button = h(
          'button',
          { type: 'button', class: 'primary', 'data-action': 'switch-plan', 'data-plan': alternative.plan },
          s.switchTo(names.get(alternative.plan) ?? alternative.plan, price),
        );
        button.addEventListener('click', () => void this.switchTo(alternative.plan, alternative.interval));
        return h(
          'div',
          { class: 'alternative', 'data-alternative': alternative.plan },
          alternative.fitsUsage ? h('p', { class: 'savings' }, s.fitsUsage) : null,
          button,
        );
      });
      const confirm = h('button', { type: 'button', 'data-action': 'confirm-cancel' }, s.confirmCancel);
      const keep = h('button', { type: 'button', 'data-action': 'keep-plan', 'data-autofocus': true }, s.keep);
      keep.addEventListener('click', () => this.modal.close());
      confirm.addEventListener('click', () => void this.cancel(reason.value, text.value, offer.effectiveAt));
      this.modal.show(
        s.cancelTitle,
        h(
          'div',
          {},
          h(
            'p',
            { 'data-effective-at': offer.effectiveAt },
            s.cancelEffective(formatDate(offer.effectiveAt, this.locale)),
          ),
          alternatives.length ? h('p', {}, s.alternativesLead) : null,
          alternatives,
          h('p', {}, h('label', { for: reasonId }, s.reasonLabel), h('br'), reason),
          h('p', {}, h('label', { for: textId }, s.reasonText), h('br'), text),
          h('div', { class: 'actions' }, keep, confirm),
        ),
      );
    } catch (error) {
      this.failIn(error, () => void this.openCancel());
    }
  }

  private async cancel(reason: string, text: string, effectiveAt: string): Promise<void> {
    try {
      await confirmCancel(this.client(), reason, text);
      this.modal.close();
      this.status.textContent = this.s.canceled(formatDate(effectiveAt, this.locale));
      await this.refresh();
    } catch (error) {
      this.failIn(error, () => void this.cancel(reason, text, effectiveAt));
    }
  }

  private switchTo(plan: string, interval: 'month' | 'year'): Promise<void> {
    return openUpgradeDialog(
      {
        element: 'tierlift-billing',
        modal: this.modal,
        client: () => this.client(),
        locale: this.locale,
        surface: surfaceStringsFor(this.locale),
        emit: (type, detail, cancelable = false) =>
          this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, cancelable, detail })),
        changed: () => void this.refresh(),
      },
      { plan, interval },
    );
  }

  private openRefund(eligibility: RefundEligibility): void {
    const s = this.s;
    const amount = formatMinor(eligibility.amount, eligibility.currency, this.locale);
    const reasonId = uniqueId('tierlift-refund-reason');
    const reason = h('textarea', { id: reasonId, rows: 2, maxlength: 500, required: true });
    const confirm = h('button', { type: 'button', class: 'primary', 'data-action': 'confirm-refund' }, s.confirmRefund);
    confirm.addEventListener('click', () => {
      if (!reason.value.trim()) return reason.focus();
      void this.client()
        .claimRefund(eligibility.purchase_id, reason.value.trim())
        .then(() => {
          this.modal.close();
          this.status.textContent = s.refundRequested(amount);
          return this.refresh();
        })
        .catch((error: unknown) => this.failIn(error, () => this.openRefund(eligibility)));
    });
    this.open(
      s.refundTitle,
      h(
        'div',
        {},
        h('p', {}, s.refundConfirm(amount)),
        h('p', {}, h('label', { for: reasonId }, s.refundReason), h('br'), reason),
        h('div', { class: 'actions' }, confirm),
      ),
    );
  }

  private async ask(kind: AdminRequestKind, message: string): Promise<void> {
    try {
      await this.client().askAdmin(kind, message.trim() || undefined);
      this.status.textContent = this.s.sent;
      this.dispatchEvent(new CustomEvent('tierlift:ask-admin', { bubbles: true, composed: true, detail: { kind } }));
    } catch (error) {
      this.status.replaceChildren(
        errorWithRetry('tierlift-billing', error, surfaceStringsFor(this.locale), () => void this.ask(kind, message)),
      );
    }
  }
}
