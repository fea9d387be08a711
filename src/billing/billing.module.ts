import type { DataSource } from 'typeorm';
import type { AccountEntity } from '../accounts/account.entity';
import { resolvePriceList } from '../catalog/price-lists';
import type { UserPrincipal } from '../shared/http/principal';
import type { BillingDeps } from './billing-deps';
import type { ChangeRequest } from './plan-change.rules';
import { createQuote } from './create-quote';
import { executeChange, type ChangeOptions } from './execute-change';
import { finishInterruptedOperations, type JanitorReport } from './finish-interrupted-operations';
import { cancelScheduledChange, setSubscriptionCancellation, showChange } from './manage-changes';
import type { CancellationReason } from './set-cancellation';
import { purchasesOf, type PurchasedItem } from './purchase-history';
import { settleFromStripe, type Settlement, type StripeReferences } from './settle-from-stripe';
import { stripeCustomerHook } from './stripe-customers';
import { subscriptionView } from './subscription-view';
import { grantCredit } from './customer-credit';
import { extendTrial } from './extend-trial';
import type { OperatorActionAnswer, OperatorRef } from './operator-action';
import { resendInvoice } from './send-invoice';
import { periodicTask } from '../shared/periodic-task';
import { openPaymentMethodSession } from './open-payment-method-session';
import { paymentMethodOf } from './payment-method-view';

/** The billing module's face: each method is one use case; the janitor runs beside them. */
export interface BillingModule {
  /** The database the Idempotency-Key records of billing routes live in. */
  readonly dataSource: DataSource;
  quote(principal: UserPrincipal, request: ChangeRequest): Promise<Record<string, unknown>>;
  change(principal: UserPrincipal, quoteId: string, options?: ChangeOptions): ReturnType<typeof executeChange>;
  showChange(principal: UserPrincipal, id: string): ReturnType<typeof showChange>;
  cancelScheduledChange(principal: UserPrincipal, id: string): ReturnType<typeof cancelScheduledChange>;
  setCancellation(
    principal: UserPrincipal,
    cancel: boolean,
    why?: CancellationReason,
  ): ReturnType<typeof setSubscriptionCancellation>;
  finishInterruptedOperations(): Promise<JanitorReport>;
  /** A Checkout Session in setup mode for a new card (return URL already checked). */
  openPaymentMethodSession(principal: UserPrincipal, returnUrl?: string): ReturnType<typeof openPaymentMethodSession>;
  /** Operator actions (issue #23), each one journalled operation under the account's lane. */
  grantCredit(
    accountId: string,
    input: { amount: number; currency: string; reason: string; operator: OperatorRef; requestKey?: string },
  ): Promise<OperatorActionAnswer>;
  resendInvoice(
    accountId: string,
    invoiceId: string,
    operator: OperatorRef,
    requestKey?: string,
  ): Promise<OperatorActionAnswer>;
  extendTrial(
    accountId: string,
    trialEnd: Date,
    operator: OperatorRef,
    requestKey?: string,
  ): Promise<OperatorActionAnswer>;
  /**
   * Finishes the changes waiting on the customer that these Stripe objects refer to, now that
   * Stripe has news of them (the webhooks' hook, wired in the composition root).
   */
  settleFromStripe(refs: StripeReferences): Promise<Settlement[]>;
  /** Plans and add-ons the account bought, with dates (the offers engine's `purchasesOf`). */
  purchasesOf(accountId: string): Promise<PurchasedItem[]>;
  /** Account hook: create or update the Stripe customer on upsert. */
  afterAccountUpsert(account: AccountEntity): Promise<void>;
  /** Account section: `subscription`, `add_ons`, `currency`, `pending_change`, `payment_method` in GET /v1/account. */
  accountSection(account: AccountEntity): Promise<Record<string, unknown>>;
  /** Runs the janitor now and then every `intervalMs`. */
  startJanitor(intervalMs?: number): Promise<void>;
  stopJanitor(): Promise<void>;
}

export function buildBillingModule(deps: BillingDeps): BillingModule {
  const janitor = periodicTask('billing janitor', () => finishInterruptedOperations(deps), deps.logger);
  return {
    dataSource: deps.dataSource,
    quote: (principal, request) => createQuote(deps, principal, request),
    change: (principal, quoteId, options) => executeChange(deps, principal, quoteId, options),
    showChange: (principal, id) => showChange(deps, principal, id),
    cancelScheduledChange: (principal, id) => cancelScheduledChange(deps, principal, id),
    setCancellation: (principal, cancel, why) => setSubscriptionCancellation(deps, principal, cancel, why),
    finishInterruptedOperations: () => finishInterruptedOperations(deps),
    openPaymentMethodSession: (principal, returnUrl) => openPaymentMethodSession(deps, principal, returnUrl),
    grantCredit: (accountId, input) => grantCredit(deps, accountId, input),
    resendInvoice: (accountId, invoiceId, operator, requestKey) =>
      resendInvoice(deps, accountId, invoiceId, operator, requestKey),
    extendTrial: (accountId, trialEnd, operator, requestKey) =>
      extendTrial(deps, accountId, trialEnd, operator, requestKey),
    settleFromStripe: (refs) => settleFromStripe(deps, refs),
    purchasesOf: (accountId) => purchasesOf(deps.dataSource, accountId),
    afterAccountUpsert: stripeCustomerHook(deps),
    accountSection: async (account) => {
      const subscription = await subscriptionView(deps.dataSource, account.id, deps.clock.now());
      return {
        subscription,
        add_ons: subscription?.add_ons ?? [],
        currency: subscription?.currency ?? resolvePriceList(deps.catalog, account.country).currency,
        pending_change: pendingChange(subscription),
        payment_method: await paymentMethodOf(deps, account, subscription as { id: string; status: string } | null),
      };
    },
    startJanitor: (intervalMs = 60_000) => janitor.start(intervalMs),
    stopJanitor: () => janitor.stop(),
  };
}

/** A scheduled downgrade still to come (its plan differs from the current one), else a pending update. */
function pendingChange(subscription: Record<string, unknown> | null): unknown {
  if (!subscription) return null;
  const scheduled = subscription.scheduled_change as { plan?: string; interval?: string } | null;
  const upcoming = scheduled && (scheduled.plan !== subscription.plan || scheduled.interval !== subscription.interval);
  return upcoming ? scheduled : (subscription.pending_update ?? null);
}
