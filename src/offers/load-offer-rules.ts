import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import type { Catalog } from '../catalog/catalog.types';
import { issuePath } from '../shared/http/validate';
import { repositoryRoot } from '../shared/repository-root';
import { offerRuleSchema, offerRulesFileSchema } from './offer-rule.schema';
import { ruleProblems, settingsProblems } from './offer-rule.rules';
import type { OfferRule, OfferRules, OfferSettings, RuleProblem } from './offer-rules.types';

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: RuleProblem[] };

const zodProblems = (error: z.ZodError, prefix = ''): RuleProblem[] =>
  error.issues.map((issue) => {
    const at = issuePath(issue.path);
    return { path: prefix && at ? `${prefix}.${at}` : prefix || at || '(root)', message: issue.message };
  });

/** Validates a whole rules document (shape, then references), listing every problem with its path. */
export function validateOfferRules(
  raw: unknown,
  catalog: Catalog,
  copyKeys?: ReadonlySet<string>,
): Checked<OfferRules> {
  const parsed = offerRulesFileSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error) };
  const rules = parsed.data;
  const problems = settingsProblems(rules);
  const ids = new Set<string>();
  rules.rules.forEach((rule, i) => {
    if (ids.has(rule.id)) problems.push({ path: `rules[${i}].id`, message: `duplicate rule id "${rule.id}"` });
    ids.add(rule.id);
    problems.push(...ruleProblems(rule, `rules[${i}]`, catalog, rules, copyKeys));
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: rules };
}

/** Validates one rule as sent to /admin/v1/offers. */
export function validateOfferRule(
  raw: unknown,
  catalog: Catalog,
  settings: OfferSettings,
  copyKeys?: ReadonlySet<string>,
): Checked<OfferRule> {
  const parsed = offerRuleSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error) };
  const problems = ruleProblems(parsed.data, '', catalog, settings, copyKeys).map((p) => ({
    ...p,
    path: p.path.replace(/^\./, ''),
  }));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: parsed.data };
}

/** offers/offer-rules.yaml of this repository. */
export function defaultOfferRulesFile(): string {
  return path.join(repositoryRoot(), 'offers', 'offer-rules.yaml');
}

/** Reads and validates a rules file; throws listing every problem. */
export function loadOfferRulesFile(file: string, catalog: Catalog, copyKeys?: ReadonlySet<string>): OfferRules {
  const result = validateOfferRules(parse(fs.readFileSync(file, 'utf8')), catalog, copyKeys);
  if (result.ok) return result.value;
  throw new Error(
    `The offer rules ${file} are invalid:\n${result.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
  );
}
