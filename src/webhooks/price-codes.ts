import type { Stripe } from '../stripe/stripe-client';

export interface PriceCode {
  kind: 'plan' | 'add_on';
  code: string;
}

/** Tells which catalog plan or add-on a Stripe price sells. */
export type PriceCodeResolver = (price: Stripe.Price) => PriceCode | undefined;

export interface KnownCodes {
  planCodes: readonly string[];
  addOnCodes: readonly string[];
}

const KIND_PREFIX = /^(?:tierlift[:._-])?(plan|add_on|addon)[:._-](.+)$/;
const INTERVAL_SUFFIX = /[:._-](month|year|one_time)(?:[:._-].*)?$/;

/**
 * Resolves, in order: price metadata `tierlift_kind` + `tierlift_code` (what catalog
 * sync writes); the same on an expanded product; then the price's `lookup_key` —
 * `tierlift_plan_<code>_<interval>` / `tierlift_addon_<code>_<interval>` (catalog
 * sync's convention), matched against the catalog's codes when known (longest match).
 */
export function priceCodeResolver(known: KnownCodes = { planCodes: [], addOnCodes: [] }): PriceCodeResolver {
  return (price) =>
    fromMetadata(price.metadata) ?? fromProduct(price.product) ?? fromLookupKey(price.lookup_key, known);
}

function fromMetadata(metadata: Stripe.Metadata | null | undefined): PriceCode | undefined {
  const code = metadata?.tierlift_code;
  const kind = metadata?.tierlift_kind;
  if (!code) return undefined;
  return { kind: kind === 'add_on' || kind === 'addon' ? 'add_on' : 'plan', code };
}

function fromProduct(product: Stripe.Price['product']): PriceCode | undefined {
  if (typeof product !== 'object' || product === null || 'deleted' in product) return undefined;
  return fromMetadata(product.metadata);
}

function fromLookupKey(lookupKey: string | null, known: KnownCodes): PriceCode | undefined {
  if (!lookupKey) return undefined;
  const prefixed = KIND_PREFIX.exec(lookupKey);
  const rest = prefixed?.[2] ?? lookupKey;
  const kindHint = prefixed ? (prefixed[1] === 'plan' ? 'plan' : 'add_on') : undefined;
  const candidates: PriceCode[] = [
    ...known.planCodes.map((code) => ({ kind: 'plan' as const, code })),
    ...known.addOnCodes.map((code) => ({ kind: 'add_on' as const, code })),
  ]
    .filter((c) => (kindHint ? c.kind === kindHint : true))
    .filter((c) => rest === c.code || (/^[:._-]/.test(rest.slice(c.code.length)) && rest.startsWith(c.code)))
    .sort((a, b) => b.code.length - a.code.length);
  if (candidates[0]) return candidates[0];
  if (!kindHint) return undefined;
  const code = rest.replace(INTERVAL_SUFFIX, '');
  return code ? { kind: kindHint, code } : undefined;
}
