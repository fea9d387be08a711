import fs from 'node:fs';
import { parse } from 'yaml';
import { defaultOfferRulesFile, validateOfferRule, validateOfferRules } from '../../src/offers/load-offer-rules';
import { copyKeys } from '../../src/offers/offer-copy';
import { catalog, offerCopy, seededRules } from './support/offer-fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const raw = (): any => parse(fs.readFileSync(defaultOfferRulesFile(), 'utf8'));

describe('offer rules file', () => {
  it('the seeded rules are valid against the demo catalog and the English copy', () => {
    const rules = seededRules();
    expect(rules.rules.length).toBeGreaterThanOrEqual(10);
    const triggers = new Set(rules.rules.map((r) => r.trigger.type));
    for (const type of [
      'usage_threshold',
      'feature_gate',
      'days_after_signup',
      'days_after_purchase',
      'days_before_renewal',
      'monthly_to_annual',
      'seasonal',
    ])
      expect(triggers).toContain(type);
    expect(rules.tone_profiles.relationship?.caps.per_week).toBeLessThan(rules.tone_profiles.direct!.caps.per_week);
  });

  it('reports every problem with its path', () => {
    const doc = raw();
    doc.rules[0].offer = { type: 'plan', plan: 'platinum' };
    doc.rules[1].trigger = { type: 'usage_threshold', feature: 'sso', percent: 80 };
    doc.rules[2].placements = [];
    doc.rules[3].id = doc.rules[4].id;
    doc.rules[5].audience = { regions: ['atlantis'] };
    doc.markets.by_country = { JP: 'shouty' };
    const first = validateOfferRules(doc, catalog, copyKeys(offerCopy));
    expect(first.ok).toBe(false);
    // Shape problems are reported before references: fix the empty placements to see the rest.
    expect(!first.ok && first.problems).toEqual([
      { path: 'rules[2].placements', message: expect.stringMatching(/>=1|at least|too small/i) },
    ]);
    doc.rules[2].placements = ['dashboard'];
    const result = validateOfferRules(doc, catalog, copyKeys(offerCopy));
    const paths = result.ok ? [] : result.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'rules[0].offer.plan',
        'rules[1].trigger.feature',
        'rules[4].id',
        'rules[5].audience.regions[0]',
        'markets.by_country.JP',
      ]),
    );
  });

  it('a seasonal window must end after it starts, and copy keys must exist', () => {
    const result = validateOfferRule(
      {
        id: 'x',
        kind: 'upsell',
        trigger: { type: 'seasonal', starts_at: '2026-12-01T00:00:00Z', ends_at: '2026-11-01T00:00:00Z' },
        offer: { type: 'plan', plan: 'pro' },
        placements: ['dashboard'],
        priority: 1,
        copy: 'nope',
      },
      catalog,
      seededRules(),
      copyKeys(offerCopy),
    );
    expect(!result.ok && result.problems.map((p) => p.path)).toEqual(['trigger.ends_at', 'copy']);
  });

  it('a seasonal date must be a real date-time', () => {
    const result = validateOfferRule(
      {
        id: 'x',
        kind: 'upsell',
        trigger: { type: 'seasonal', starts_at: 'soon', ends_at: '2026-11-01T00:00:00Z' },
        offer: { type: 'plan', plan: 'pro' },
        placements: ['dashboard'],
        priority: 1,
        copy: 'welcome_pro',
      },
      catalog,
      seededRules(),
    );
    expect(!result.ok && result.problems[0]?.path).toBe('trigger.starts_at');
  });
});
