import type { OfferAudience, OfferRule, OfferRules, ToneProfile } from './offer-rules.types';
import { promptImportance } from './offer-guardrails';
import { regionsOf, toneProfileFor } from './offer-market';

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
  /** A country's market under these settings: its regions and tone profile (worked out once per country). */
  market(country: string): Market;
}

export interface Market {
  regions: readonly string[];
  tone: { name: string; profile: ToneProfile };
}

/** Countries kept per rule set; ISO has about 250. */
const MAX_COUNTRIES = 1_000;

/**
 * Rule sets compiled once per version: OfferRuleSet hands out one object per loaded version (its
 * settings and rules together), so a compiled set lives exactly as long as the version it came from.
 * NOTE: rules and settings are never edited in place once loaded; a new version is a new object.
 */
const compiledByRules = new WeakMap<OfferRules, CompiledRules>();

export function compiledRules(rules: OfferRules): CompiledRules {
  let compiled = compiledByRules.get(rules);
  if (!compiled) {
    const markets = new Map<string, Market>();
    compiled = {
      market: (country) => {
        const key = country.toUpperCase();
        let found = markets.get(key);
        if (!found) {
          if (markets.size >= MAX_COUNTRIES) markets.clear();
          found = { regions: regionsOf(rules, key), tone: toneProfileFor(rules, key) };
          markets.set(key, found);
        }
        return found;
      },
      enabled: rules.rules.filter((r) => r.enabled).map((rule) => ({ rule, admits: audienceTest(rule.audience) })),
      importance: new Map(rules.rules.map((r) => [r.id, promptImportance(r)])),
      needsCoPurchases: rules.rules.some((r) => r.offer.type === 'recommended_add_on'),
    };
    compiledByRules.set(rules, compiled);
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
