import type { OfferAudience, OfferRule, OfferRules } from './offer-rules.types';
import { promptImportance } from './offer-guardrails';

/** What an audience is judged on, worked out once per request (the country upper-cased, its regions found). */
export interface AudienceFacts {
  planCode: string;
  country: string;
  industry: string | null;
  companySize: string | null;
  role: 'owner' | 'admin' | 'member';
  regions: readonly string[];
}

export interface CompiledRule {
  rule: OfferRule;
  /** The rule's audience as one test: only the filters it has, each a set. */
  admits(facts: AudienceFacts): boolean;
}

/** A rule set made ready for evaluation: enabled rules in order, importance by rule id, what it needs read. */
export interface CompiledRules {
  enabled: readonly CompiledRule[];
  importance: ReadonlyMap<string, number>;
  /** Whether any rule recommends an add-on (co-purchase counts are read only then). */
  needsCoPurchases: boolean;
}

/**
 * Rule sets compiled once per version: OfferRuleSet hands out a new object (and a new `rules`
 * array) on every reload, so a compiled set lives exactly as long as the version it came from.
 * NOTE: keyed by the rules array, not the set, so a set spread into a new object with the same rules
 * (tests, previews) compiles once too; rules are never edited in place once loaded.
 */
const compiledByRules = new WeakMap<readonly OfferRule[], CompiledRules>();

export function compiledRules(rules: Pick<OfferRules, 'rules'>): CompiledRules {
  let compiled = compiledByRules.get(rules.rules);
  if (!compiled) {
    compiled = {
      enabled: rules.rules.filter((r) => r.enabled).map((rule) => ({ rule, admits: audienceTest(rule.audience) })),
      importance: new Map(rules.rules.map((r) => [r.id, promptImportance(r)])),
      needsCoPurchases: rules.rules.some((r) => r.offer.type === 'recommended_add_on'),
    };
    compiledByRules.set(rules.rules, compiled);
  }
  return compiled;
}

/** inAudience (offer-audience.ts) as a closure over sets: an omitted filter admits everyone, a listed one its values. */
export function audienceTest(audience: OfferAudience): (facts: AudienceFacts) => boolean {
  const checks: Array<(facts: AudienceFacts) => boolean> = [];
  const listed = (list: readonly string[] | undefined, pick: (facts: AudienceFacts) => string | null) => {
    if (list === undefined) return;
    const values = new Set<string>(list);
    checks.push((facts) => {
      const value = pick(facts);
      return value !== null && values.has(value);
    });
  };
  listed(audience.plans, (f) => f.planCode);
  listed(audience.countries, (f) => f.country);
  listed(audience.industries, (f) => f.industry);
  listed(audience.company_sizes, (f) => f.companySize);
  listed(audience.roles, (f) => f.role);
  if (audience.regions !== undefined) {
    const regions = new Set(audience.regions);
    checks.push((facts) => facts.regions.some((region) => regions.has(region)));
  }
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0] as (facts: AudienceFacts) => boolean;
  return (facts) => checks.every((check) => check(facts));
}
