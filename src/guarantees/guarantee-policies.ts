import { guaranteesSchema } from '../catalog/guarantee-policy.schema';
import type { Catalog } from '../catalog/catalog.types';
import type { GuaranteePolicies } from './guarantee.types';

/** Parsed once per loaded catalog: quotes read the policies on every request. */
const parsed = new WeakMap<Catalog, GuaranteePolicies | undefined>();

/** The catalog's guarantee policies, typed (the catalog has already validated the section). */
export function guaranteePoliciesOf(catalog: Catalog): GuaranteePolicies | undefined {
  if (parsed.has(catalog)) return parsed.get(catalog);
  const policies = catalog.guarantees ? guaranteesSchema.parse(catalog.guarantees) : undefined;
  parsed.set(catalog, policies);
  return policies;
}
