import { createTranslator } from '../catalog/translator';
import { resolvePriceList } from '../catalog/price-lists';
import { notFound, unprocessable } from '../shared/errors';
import type { UserPrincipal } from '../shared/http/principal';
import { formatMoney } from '../shared/money';
import type { Stripe } from '../stripe/stripe-client';
import { translateStripeError } from '../stripe/stripe-errors';
import type { BillingDeps } from './billing-deps';
import { catalogFingerprint } from './catalog-fingerprint';
import { quoteGuarantee } from './guarantee-terms';
import { planChange, type ChangePlan, type ChangeRequest } from './plan-change.rules';
import { bundleChange, bundledAddOns, type BundleChange } from './bundle-change.rules';
import { previewBundle } from './preview-bundle';
import { bundlesBought } from './bundles-bought';
import { previewQuote, type QuotePreview } from './preview-quote';
import { quoteLines } from './quote-lines';
import { newQuoteId, quotes } from './quote.repository';
import { customerFactsOf, readLiveSubscription, stripeNow, subscriptionStateOf } from './read-subscription-state';
import { ensureStripeCustomer } from './stripe-customers';
import { refundClaims } from '../guarantees/refund-claims.repository';
import { subscriptionFingerprint } from './subscription-state';
import { trialForCheckout } from '../lifecycle/trial-offer';

/**
 * Quotes a plan or add-on change from Stripe's own invoice preview, stores it with the
 * exact parameters previewed, and answers what the customer will pay now and next.
 * NOTE: members may quote (they see prices; only owners and admins may buy).
 */
export async function createQuote(
  deps: BillingDeps,
  principal: UserPrincipal,
  request: ChangeRequest,
): Promise<Record<string, unknown>> {
  // setup
  const account = await deps.accounts.find(principal.accountId);
  if (!account) throw notFound('Account');
  // NOTE: the database reads a quote needs depend on no answer of Stripe's: asked at once, beside
  // Stripe's calls (each awaited where it is used; a request that fails first leaves them unread).
  const catalogRead = started(catalogFingerprint(deps.dataSource, deps.catalog));
  const bundlesRead = started(bundlesBought(deps.dataSource, account.id));
  const claimsRead = started(refundClaims.ofAccount(deps.dataSource, account.id));
  const customerId = await ensureStripeCustomer(deps, account);
  try {
    const [customer, live] = await Promise.all([
      deps.stripe.customers.retrieve(customerId) as Promise<Stripe.Customer>,
      readLiveSubscription(deps.stripe, customerId),
    ]);
    const state = live ? subscriptionStateOf(live, deps.resolvePrice) : null;
    const currency = state?.currency ?? resolvePriceList(deps.catalog, account.country).currency;
    // compute (pure)
    const plan: ChangePlan | BundleChange =
      request.bundle !== undefined
        ? bundleChange(deps.catalog, state, request, currency)
        : planChange(deps.catalog, state, request, state ? bundledAddOns(deps.catalog, await bundlesRead) : undefined);
    if (request.trial === true && plan.kind !== 'checkout')
      throw unprocessable('trial_not_available', 'A free trial starts only when a free account subscribes.', 'trial');
    const trialDays =
      plan.kind === 'checkout' ? await trialForCheckout(deps.dataSource, deps.catalog, account.id, request) : null;
    // execute: Stripe's preview, then the stored quote
    const now = await stripeNow(deps.stripe, customer, deps.clock.now());
    const input = {
      stripe: deps.stripe,
      resolvePrice: deps.resolvePrice,
      state,
      customerId,
      currency,
      now,
      // NOTE: a card saved by Checkout is the subscription's default_payment_method, not the customer's (STRIPE.md).
      hasPaymentMethod: Boolean(customer.invoice_settings?.default_payment_method || live?.default_payment_method),
      trialDays,
    };
    const preview = plan.kind === 'bundle' ? await previewBundle(input, plan) : await previewQuote({ ...input, plan });
    const translator = createTranslator(deps.messages, account.locale);
    // NOTE: the reader's own locale for numbers and dates (ar-EG: Arabic-Indic digits, as its words and prompt).
    const locale = translator.formatLocale;
    const lines = quoteLines(preview.lines, {
      currency,
      locale,
      itemName: (item) => translator.t(item.kind === 'plan' ? `plans.${item.code}.name` : `add_ons.${item.code}.name`),
    });
    const id = newQuoteId();
    const expiresAt = new Date(deps.clock.now().getTime() + deps.quoteTtlSeconds * 1000);
    const response = {
      id,
      object: 'quote',
      expires_at: expiresAt.toISOString(),
      currency,
      amount_due_now: preview.amountDueNow,
      amount_due_now_formatted: formatMoney(preview.amountDueNow, currency, locale),
      lines,
      next_invoice: preview.nextInvoice
        ? {
            amount: preview.nextInvoice.amount,
            formatted: formatMoney(preview.nextInvoice.amount, currency, locale),
            date: new Date(preview.nextInvoice.date * 1000).toISOString(),
          }
        : null,
      proration_date: preview.prorationDate,
      change: describeChange(plan, request),
      checkout_required: preview.stripeParams.kind === 'checkout',
      bundle: plan.kind === 'bundle' ? bundleTerms(plan, preview, currency, locale) : null,
      // NOTE: with a trial nothing is paid now, and the first charge is Stripe's first cycle invoice,
      // which the guarantee treats as a renewal (not covered): the quote promises no guarantee.
      guarantee: trialDays
        ? { eligible: false, days: null, conditions: null, reason: 'not_covered' as const, terms: [] }
        : await quoteGuarantee(deps, account, preview.stripeParams, translator, claimsRead),
      trial:
        trialDays && preview.nextInvoice
          ? { days: trialDays, ends_at: new Date(preview.nextInvoice.date * 1000).toISOString() }
          : null,
    };
    await quotes.insert(deps.dataSource, {
      id,
      accountId: account.id,
      kind: preview.stripeParams.kind,
      request,
      stripeParams: preview.stripeParams,
      currency,
      amountDueNow: preview.amountDueNow,
      prorationDate: preview.prorationDate,
      response,
      catalogFingerprint: await catalogRead,
      subscriptionFingerprint: subscriptionFingerprint(state, customerFactsOf(customer)),
      expiresAt,
    });
    return response;
  } catch (error) {
    throw translateStripeError(error);
  }
}

/** A promise awaited later: a rejection before then is not an unhandled one (it still rejects when awaited). */
function started<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function describeChange(plan: ChangePlan | BundleChange, request: ChangeRequest): Record<string, unknown> {
  if (plan.kind === 'bundle')
    return {
      kind: 'bundle',
      effective: plan.via === 'checkout' ? 'after_checkout' : 'now',
      plan: plan.target.find((item) => item.kind === 'plan')?.code ?? null,
      interval: plan.bundle.interval,
    };
  const kind = plan.kind === 'update' ? plan.direction : plan.kind === 'schedule' ? 'downgrade' : plan.kind;
  const effective =
    plan.kind === 'update' || plan.kind === 'one_time'
      ? 'now'
      : plan.kind === 'checkout'
        ? 'after_checkout'
        : 'period_end';
  return { kind, effective, plan: request.plan ?? null, interval: request.interval ?? null };
}

/** The bundle's discount as the quote shows it: its terms and what Stripe's preview takes off now. */
function bundleTerms(plan: BundleChange, preview: QuotePreview, currency: string, locale: string) {
  // NOTE: a line may also carry another coupon (the subscription's, the customer's): only the bundle's counts.
  const params = preview.stripeParams;
  const coupon =
    params.kind === 'update'
      ? params.bundle?.coupon
      : params.kind === 'checkout'
        ? params.discounts?.[0]?.coupon
        : null;
  const discount = preview.lines
    .flatMap((line) => line.couponDiscounts ?? [])
    .reduce((sum, entry) => sum + (entry.coupon === coupon ? entry.amount : 0), 0);
  return {
    code: plan.bundle.code,
    percent_off: plan.bundle.discount.percent_off,
    duration: plan.bundle.discount.duration,
    applies_to: plan.bundle.discount.applies_to,
    discount,
    discount_formatted: formatMoney(discount, currency, locale),
  };
}
