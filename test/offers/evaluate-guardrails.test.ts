import { evaluateOffers } from '../../src/offers/evaluate-offers';
import type { EvaluationInput, OfferHistoryEvent } from '../../src/offers/offers.types';
import type { OfferRule } from '../../src/offers/offer-rules.types';
import { promptId } from '../../src/offers/prompt-id';
import { account, daysAgo, event, input, NOW, rule, settings, subscription, usage } from './support/offer-fixtures';

const always = { type: 'days_after_signup', days: 0, within_days: 3650 };
const upsell = (id: string, priority = 50, extra: Record<string, unknown> = {}) =>
  rule({ id, trigger: always, priority, offer: { type: 'plan', plan: 'premium' }, ...extra });
const crossSell = (id: string, addOn: string, priority = 40) =>
  rule({ id, kind: 'cross_sell', trigger: always, priority, offer: { type: 'add_on', add_on: addOn }, copy: 'add_on' });

const shown = (rules: OfferRule[], overrides: Partial<EvaluationInput> = {}) =>
  evaluateOffers(input({ rules: settings({ rules }), ...overrides })).map((p) => p.rule.id);

describe('evaluateOffers: guardrails', () => {
  type Case = [name: string, history: OfferHistoryEvent[], visible: boolean];
  const cases: Case[] = [
    ['no history: shown', [], true],
    ['dismissed 6 days ago: still cooling down (7 days)', [event('r', 'dismiss', daysAgo(6))], false],
    ['dismissed 8 days ago: back', [event('r', 'dismiss', daysAgo(8))], true],
    ['"never" 400 days ago: silenced for good', [event('r', 'never', daysAgo(400))], false],
    ['snoozed 2 days ago (3-day snooze): silenced', [event('r', 'snooze', daysAgo(2))], false],
    ['snoozed 4 days ago: back', [event('r', 'snooze', daysAgo(4))], true],
    ['another rule dismissed: no effect on this one', [event('other', 'dismiss', daysAgo(1))], true],
  ];
  test.each(cases)('%s', (_name, history, visible) => {
    expect(shown([upsell('r')], { history })).toEqual(visible ? ['r'] : []);
  });

  it('relationship-first markets cool down longer after a dismissal (14 days)', () => {
    const japan = { account: account({ country: 'JP' }), subscription: subscription({ currency: 'jpy' }) };
    expect(shown([upsell('r')], { ...japan, history: [event('r', 'dismiss', daysAgo(10))] })).toEqual([]);
    expect(shown([upsell('r')], { ...japan, history: [event('r', 'dismiss', daysAgo(15))] })).toEqual(['r']);
  });

  it('a rule with its own cool-down uses it', () => {
    const history = [event('r', 'dismiss', daysAgo(20))];
    expect(shown([upsell('r', 50, { dismiss_cooldown_days: 30 })], { history })).toEqual([]);
  });

  it('a rule shown on as many days as it may be shown stops (but stays for the rest of today)', () => {
    const r = upsell('r', 50, { max_impressions: 2 });
    expect(
      shown([r], { history: [event('r', 'impression', daysAgo(3)), event('r', 'impression', daysAgo(2))] }),
    ).toEqual([]);
    expect(shown([r], { history: [event('r', 'impression', daysAgo(3)), event('r', 'impression', NOW)] })).toEqual([
      'r',
    ]);
  });

  it('the daily cap: no new prompt once the day’s prompts were shown; those may show again', () => {
    const rules = [upsell('a', 90), crossSell('b', 'priority_support', 80), crossSell('c', 'extra_seats', 70)];
    const capped = settings({ rules });
    capped.tone_profiles.direct = { ...capped.tone_profiles.direct!, caps: { per_day: 2, per_week: 10 } };
    expect(evaluateOffers(input({ rules: capped })).map((p) => p.rule.id)).toEqual(['a', 'b']);
    const history = [
      event('c', 'impression', daysAgo(0.5), 'prm_c_old'),
      event('x', 'impression', daysAgo(0.2), 'prm_x'),
    ];
    expect(evaluateOffers(input({ rules: capped, history })).map((p) => p.rule.id)).toEqual([]);
    const [a] = evaluateOffers(input({ rules: capped }));
    const seenA = [
      event('a', 'impression', daysAgo(0.1), a!.promptId),
      event('x', 'impression', daysAgo(0.2), 'prm_x'),
    ];
    expect(evaluateOffers(input({ rules: capped, history: seenA })).map((p) => p.rule.id)).toEqual(['a']);
    const nextDay = [
      event('c', 'impression', daysAgo(1.5), 'prm_c_old'),
      event('x', 'impression', daysAgo(1.2), 'prm_x'),
    ];
    expect(evaluateOffers(input({ rules: capped, history: nextDay })).map((p) => p.rule.id)).toEqual(['a', 'b']);
  });

  it('the weekly cap holds across days', () => {
    const capped = settings({ rules: [upsell('a', 90)] });
    capped.tone_profiles.direct = { ...capped.tone_profiles.direct!, caps: { per_day: 5, per_week: 3 } };
    const history = [1, 3, 5].map((d) => event(`old${d}`, 'impression', daysAgo(d), `prm_old${d}`));
    expect(evaluateOffers(input({ rules: capped, history }))).toEqual([]);
    const laterHistory = [1, 3, 8].map((d) => event(`old${d}`, 'impression', daysAgo(d), `prm_old${d}`));
    expect(evaluateOffers(input({ rules: capped, history: laterHistory })).length).toBe(1);
  });

  it('at most the tone profile’s number of prompts per placement, best first by priority then expected value', () => {
    const rules = [
      crossSell('low', 'extra_seats', 10),
      upsell('high', 90),
      crossSell('cheap', 'extra_seats', 40),
      crossSell('dear', 'priority_support', 40),
    ];
    const limited = settings({ rules });
    limited.tone_profiles.direct = { ...limited.tone_profiles.direct!, max_per_placement: 3 };
    expect(evaluateOffers(input({ rules: limited })).map((p) => p.rule.id)).toEqual(['high', 'dear', 'cheap']);
  });

  it('relationship-first markets see one prompt at a time', () => {
    const rules = [upsell('a', 90), crossSell('b', 'priority_support', 80)];
    const japan = { account: account({ country: 'JP' }), subscription: subscription({ currency: 'jpy' }) };
    expect(shown(rules, japan)).toEqual(['a']);
  });

  it('a member gets the prompt without a purchase action; owners and admins can buy', () => {
    const [member] = evaluateOffers(input({ rules: settings({ rules: [upsell('r')] }), role: 'member' }));
    const [admin] = evaluateOffers(input({ rules: settings({ rules: [upsell('r')] }), role: 'admin' }));
    expect(member?.canPurchase).toBe(false);
    expect(admin?.canPurchase).toBe(true);
  });

  it('a batch that jumps several thresholds at once yields one prompt, from the highest threshold', () => {
    const rules = [50, 80, 100].map((percent) =>
      rule({
        id: `at_${percent}`,
        trigger: { type: 'usage_threshold', percent },
        priority: percent,
        offer: { type: 'smallest_plan_that_fits' },
      }),
    );
    const period = { start: daysAgo(10), end: daysAgo(-20) };
    const crossings = [50, 80, 100].map((threshold) => ({
      feature: 'api_calls',
      threshold,
      periodStart: period.start,
      crossedAt: NOW,
    }));
    const jumped = usage({ api_calls: { used: 52500, limit: 50000 } }, { period, crossings });
    const prompts = evaluateOffers(input({ rules: settings({ rules }), usage: jumped }));
    expect(prompts.map((p) => p.rule.id)).toEqual(['at_100']);
    expect(prompts[0]?.reason).toMatchObject({ feature: 'api_calls', percent: 105, threshold: 100 });
  });

  it('a customer already on the top plan gets no upsell, only a fitting cross-sell', () => {
    const rules = [
      rule({ id: 'up', trigger: { type: 'usage_threshold', percent: 80 }, offer: { type: 'smallest_plan_that_fits' } }),
      rule({
        id: 'seats',
        kind: 'cross_sell',
        trigger: { type: 'usage_threshold', feature: 'seats', percent: 90 },
        offer: { type: 'add_on', add_on: 'extra_seats', quantity: 5 },
        copy: 'add_on',
      }),
    ];
    const top = {
      subscription: subscription({ planCode: 'premium' }),
      usage: usage({ seats: { used: 48, limit: 50 } }),
    };
    expect(shown(rules, top)).toEqual(['seats']);
  });

  it('guarantee days come from the guarantees module once it exists (none included), else from the rule', () => {
    const rules = settings({ rules: [upsell('r', 50, { guarantee_days: 30 })] });
    expect(evaluateOffers(input({ rules }))[0]?.guaranteeDays).toBe(30);
    expect(evaluateOffers(input({ rules, guaranteeDays: () => 14 }))[0]?.guaranteeDays).toBe(14);
    expect(evaluateOffers(input({ rules, guaranteeDays: () => null }))[0]?.guaranteeDays).toBeNull();
    const byCountry = (_t: unknown, a: { country: string }) => (a.country === 'DE' ? 14 : 7);
    const german = account({ country: 'DE' });
    expect(evaluateOffers(input({ rules, account: german, guaranteeDays: byCountry }))[0]?.guaranteeDays).toBe(14);
    expect(evaluateOffers(input({ rules: settings({ rules: [upsell('r')] }) }))[0]?.guaranteeDays).toBeNull();
  });

  it('the experiment hook may hold a rule out or change its copy', () => {
    const rules = settings({ rules: [upsell('r')] });
    expect(
      evaluateOffers(input({ rules, assignVariant: () => ({ key: 'e', variant: 'holdout', holdout: true }) })),
    ).toEqual([]);
    const [variant] = evaluateOffers(
      input({ rules, assignVariant: () => ({ key: 'e', variant: 'b', copy: 'welcome_pro' }) }),
    );
    expect(variant).toMatchObject({ copyKey: 'welcome_pro', experiment: { key: 'e', variant: 'b' } });
  });

  it('prompt ids are stable per account, rule and period', () => {
    const rules = settings({ rules: [rule({ id: 'r', trigger: { type: 'usage_threshold', percent: 80 } })] });
    const facts = usage({ projects: { used: 22, limit: 25 } });
    const first = evaluateOffers(input({ rules, usage: facts }))[0]?.promptId;
    const again = evaluateOffers(input({ rules, usage: facts, now: new Date(NOW.getTime() + 3600e3) }))[0]?.promptId;
    const nextPeriod = evaluateOffers(
      input({ rules, usage: { ...facts, period: { start: daysAgo(-20), end: daysAgo(-50) } } }),
    )[0]?.promptId;
    expect(first).toBe(again);
    expect(first).toBe(promptId('acct_1', 'r', facts.period.start.toISOString()));
    expect(nextPeriod).not.toBe(first);
    expect(evaluateOffers(input({ rules, usage: facts, account: account({ id: 'acct_2' }) }))[0]?.promptId).not.toBe(
      first,
    );
  });
});
