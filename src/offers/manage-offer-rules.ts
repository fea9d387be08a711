import type { Catalog } from '../catalog/catalog.types';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { validateOfferRule } from './load-offer-rules';
import type { OfferRuleSet } from './offer-rule-set';
import type { OfferRule } from './offer-rules.types';
import type { OfferRulesRepository } from './offer-rules.repository';

export interface ManageRulesDeps {
  rules: OfferRuleSet;
  repository: OfferRulesRepository;
  catalog: Catalog;
  copyKeys: ReadonlySet<string>;
}

/** Validates a rule against the catalog and the market settings; 422 listing every problem. */
async function checked(deps: ManageRulesDeps, raw: unknown): Promise<OfferRule> {
  const settings = await deps.rules.current();
  const result = validateOfferRule(raw, deps.catalog, settings, deps.copyKeys);
  if (result.ok) return result.value;
  const first = result.problems[0];
  throw unprocessable('offer_rule_invalid', `Invalid offer rule: ${first?.path}: ${first?.message}`, first?.path, {
    errors: result.problems.map((p) => ({ param: p.path, message: p.message })),
  });
}

/** Creates a rule; 409 when the id is taken. */
export async function createOfferRule(deps: ManageRulesDeps, raw: unknown): Promise<OfferRule> {
  const rule = await checked(deps, raw);
  if ((await deps.repository.list()).some((r) => r.id === rule.id))
    throw conflict('offer_rule_exists', `Offer rule "${rule.id}" exists; PUT it to replace it.`);
  await deps.repository.put(rule);
  await deps.rules.reload();
  return rule;
}

/** Creates or replaces the rule named in the path (the body's id, if any, must agree). */
export async function putOfferRule(
  deps: ManageRulesDeps,
  id: string,
  raw: unknown,
): Promise<{ rule: OfferRule; created: boolean }> {
  const body = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  if (body.id !== undefined && body.id !== id)
    throw unprocessable('offer_rule_id_mismatch', 'The body names another rule than the path.', 'id');
  const rule = await checked(deps, { ...body, id });
  const { created } = await deps.repository.put(rule);
  await deps.rules.reload();
  return { rule, created };
}

export async function deleteOfferRule(deps: ManageRulesDeps, id: string): Promise<void> {
  if (!(await deps.repository.remove(id))) throw notFound('Offer rule', 'id');
  await deps.rules.reload();
}
