import type { Catalog } from '../catalog/catalog.types';
import type { Translator } from '../catalog/translator';
import { conditionWords } from '../guarantees/guarantee-condition-words';
import { guaranteePoliciesOf } from '../guarantees/guarantee-policies';
import { promisedGuarantee, type PromisedGuarantee } from '../guarantees/promised-guarantee';
import { categorise, type PurchaseFacts } from '../guarantees/purchase-category';
import { priorClaimsOf, refundClaims, type RefundClaim } from '../guarantees/refund-claims.repository';
import { EEA_COUNTRIES } from '../shared/countries';
import type { BillingDeps } from './billing-deps';
import type { QuoteStripeParams } from './quote-stripe-params';

export type PurchaseKind = 'plan_upgrade' | 'recurring_add_on' | 'one_time';

interface PolicyShape {
  window_days?: unknown;
  days?: unknown;
}

interface RegionShape {
  countries?: unknown;
  minimum_window_days?: unknown;
}

/**
 * Pure: the policy's window for a kind of purchase, read from the catalog's `guarantees` section
 * (owned by the guarantees module): `<kind>.window_days`, raised to a regional minimum
 * (`regions[].minimum_window_days`) for the account's country. No policy: `{ eligible: false, days: null }`.
 * NOTE: this knows nothing of the account's history; quotes announce `quoteGuarantee` below.
 */
export function guaranteeFor(
  catalog: Catalog,
  kind: PurchaseKind,
  country: string,
): { eligible: boolean; days: number | null } {
  const section = catalog.guarantees as unknown as Record<string, unknown> | undefined;
  const policy = section?.[kind] as PolicyShape | undefined;
  const days = policy?.window_days ?? policy?.days;
  if (typeof days !== 'number' || !Number.isInteger(days) || days <= 0) return { eligible: false, days: null };
  const regions = Array.isArray(section?.regions) ? (section.regions as RegionShape[]) : [];
  const minimum = regions
    .filter((region) => coversCountry(region.countries, country.toUpperCase()))
    .map((region) => (typeof region.minimum_window_days === 'number' ? region.minimum_window_days : 0))
    .reduce((max, value) => Math.max(max, value), 0);
  return { eligible: true, days: Math.max(days, minimum) };
}

function coversCountry(countries: unknown, country: string): boolean {
  if (countries === 'eea') return EEA_COUNTRIES.has(country);
  return Array.isArray(countries) && countries.includes(country);
}

/** What a quote announces under `guarantee`: the promise for this account and purchase, in data and words. */
export type QuotedGuarantee = PromisedGuarantee & { terms: string[] };

/**
 * Pure: the purchase row a quote's parameters lead to, as billing will record it once paid
 * (the same facts `categorise` reads at claim time); null when nothing is paid now.
 */
export function purchaseFactsOf(params: QuoteStripeParams): PurchaseFacts | null {
  switch (params.kind) {
    case 'update':
      return {
        kind: params.direction === 'add_ons' ? 'add_on' : 'plan_change',
        bought: params.bought,
        previous: params.previous,
      };
    case 'checkout':
      return {
        kind: params.mode === 'payment' ? 'one_time' : 'subscription_start',
        bought: params.bought,
        previous: {},
      };
    case 'one_time':
      return { kind: 'one_time', bought: params.bought, previous: {} };
    case 'schedule':
    case 'cancel':
      return null;
  }
}

/**
 * The guarantee a quote may announce to this account: what the guarantee rules would grant the
 * purchase these parameters make (an interval change, a product already refunded or the cycling
 * limit: none), with its conditions in the account's words. `claims`: the account's refund claims
 * when the caller has already asked for them (read beside Stripe's calls).
 */
export async function quoteGuarantee(
  deps: Pick<BillingDeps, 'dataSource' | 'catalog' | 'clock'>,
  account: { id: string; country: string },
  params: QuoteStripeParams,
  translator: Translator,
  claimsRead?: Promise<RefundClaim[]>,
): Promise<QuotedGuarantee> {
  const facts = purchaseFactsOf(params);
  if (!facts) return { eligible: false, days: null, conditions: null, reason: 'not_covered', terms: [] };
  const { category, product } = categorise(facts);
  const claims = await (claimsRead ?? refundClaims.ofAccount(deps.dataSource, account.id));
  const promised = promisedGuarantee({
    policies: guaranteePoliciesOf(deps.catalog),
    country: account.country,
    priorClaims: priorClaimsOf(claims),
    prospect: { category: category === 'renewal' ? 'plan_upgrade' : category, product },
    now: deps.clock.now(),
  });
  return { ...promised, terms: conditionWords(promised.conditions, translator.t) };
}
