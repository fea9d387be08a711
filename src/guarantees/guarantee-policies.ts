import { guaranteesSchema } from '../catalog/guarantee-policy.schema';
import type { Catalog } from '../catalog/catalog.types';
import type { GuaranteePolicies } from './guarantee.types';

/** The catalog's guarantee policies, typed (the catalog has already validated the section). */
export function guaranteePoliciesOf(catalog: Catalog): GuaranteePolicies | undefined {
  return catalog.guarantees ? guaranteesSchema.parse(catalog.guarantees) : undefined;
}
