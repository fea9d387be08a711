import { evaluateOffers } from '../../src/offers/evaluate-offers';
import { promptImportance } from '../../src/offers/offer-guardrails';
import type { OfferHistoryEvent } from '../../src/offers/offers.types';
import {
  account,
  daysAgo,
  event,
  input,
  NOW,
  rule,
  seededRules,
  settings,
  subscription,
  usage,
} from './support/offer-fixtures';

/**
 * Issue #22: caps let the more important prompt through. In a relationship-first market (one new
 * prompt a day), a feature-gate hint seen this morning must not keep "limit reached" away all
 * day; a less important prompt still waits for tomorrow.
 */
describe('frequency caps by importance', () => {
  const japan = { account: account({ country: 'JP' }), subscription: subscription({ currency: 'jpy' }) };
  const limitReached = rule({
    id: 'limit_reached',
    trigger: { type: 'usage_threshold', percent: 100 },
    priority: 90,
    copy: 'usage_limit_reached',
  });
  const gate = rule({
    id: 'gate',
    trigger: { type: 'feature_gate' },
    priority: 100,
    placements: ['feature_gate'],
    copy: 'feature_gate_upgrade',
  });
  const welcome = rule({
    id: 'welcome',
    trigger: { type: 'days_after_signup', days: 0, within_days: 3650 },
    priority: 10,
    offer: { type: 'plan', plan: 'premium' },
  });
  const seenThisMorning = (ruleId: string): OfferHistoryEvent[] => [
    event(ruleId, 'impression', new Date(NOW.getTime() - 3 * 3600 * 1000), `prm_${ruleId}_earlier`),
  ];
  const atLimit = usage({ projects: { used: 25, limit: 25 } });
  const shown = (history: OfferHistoryEvent[], rules = [limitReached, gate, welcome]) =>
    evaluateOffers(input({ ...japan, usage: atLimit, rules: settings({ rules }), history })).map((p) => p.rule.id);

  it('ranks a limit reached above a usage warning above a feature gate above a suggestion', () => {
    const byId = new Map(seededRules().rules.map((r) => [r.id, promptImportance(r)]));
    expect(byId.get('usage_limit_reached')).toBeGreaterThan(byId.get('usage_approaching_limit')!);
    expect(byId.get('usage_approaching_limit')).toBeGreaterThan(byId.get('feature_gate_upgrade')!);
    expect(byId.get('feature_gate_upgrade')).toBeGreaterThan(byId.get('welcome_pro_after_two_weeks')!);
  });

  it('shows "limit reached" the same day a feature-gate impression used the daily cap', () => {
    expect(shown(seenThisMorning('gate'))).toEqual(['limit_reached']);
  });

  it('keeps the cap for prompts no more important than the one already shown', () => {
    // The suggestion shown this morning: limit reached still comes through; another suggestion would not.
    expect(shown(seenThisMorning('gate'), [gate, welcome])).toEqual([]);
    expect(shown(seenThisMorning('limit_reached'), [welcome])).toEqual([]);
  });

  it('counts a prompt of a rule since deleted as most important (never lets the cap be bypassed by it)', () => {
    expect(shown(seenThisMorning('deleted_rule'), [limitReached])).toEqual([]);
  });

  it('still caps the week (two a week in Japan): importance only ranks within what the caps allow', () => {
    const week = [...seenThisMorning('gate'), event('welcome', 'impression', daysAgo(3), 'prm_welcome_earlier')];
    expect(shown(week)).toEqual(['limit_reached']);
    const full = [
      ...week,
      event('limit_reached', 'impression', daysAgo(2), 'prm_limit_old'),
      event('limit_reached', 'impression', daysAgo(4), 'prm_limit_older'),
    ];
    expect(shown(full)).toEqual([]);
  });
});
