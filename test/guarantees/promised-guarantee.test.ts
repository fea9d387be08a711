import fc from 'fast-check';
import { guaranteesSchema } from '../../src/catalog/guarantee-policy.schema';
import { createTranslator } from '../../src/catalog/translator';
import { conditionWords } from '../../src/guarantees/guarantee-condition-words';
import { decideEligibility } from '../../src/guarantees/guarantee-eligibility';
import type { PriorClaim } from '../../src/guarantees/guarantee.types';
import { promisedGuarantee, type Prospect } from '../../src/guarantees/promised-guarantee';
import { demoCatalog } from '../catalog/support/demo-catalog';

const DAY = 86_400_000;
const NOW = new Date('2026-04-16T10:00:00Z');

const policies = guaranteesSchema.parse({
  plan_upgrade: { window_days: 30, max_claims_per_year: 2, conditions: { max_usage_percent: 80 } },
  recurring_add_on: { window_days: 14, refund: 'unused_part', covers_renewals: true },
  one_time: { window_days: 7, conditions: { not_started: true } },
  regions: [{ code: 'eea_consumers', countries: 'eea', minimum_window_days: 14 }],
});

const claim = (product: string, daysAgo: number, withinPolicy = true): PriorClaim => ({
  purchaseId: `pur_${product}_${daysAgo}`,
  product,
  withinPolicy,
  at: new Date(NOW.getTime() - daysAgo * DAY),
});

const sut = (prospect: Prospect, priorClaims: PriorClaim[] = [], country = 'US') =>
  promisedGuarantee({ policies, country, priorClaims, prospect, now: NOW });

describe('promisedGuarantee', () => {
  it('promises an upgrade its window with every condition the policy sets', () => {
    expect(sut({ category: 'plan_upgrade', product: 'plan:premium' })).toEqual({
      eligible: true,
      days: 30,
      reason: null,
      conditions: {
        window_days: 30,
        refund: 'full_charge',
        once_per_product: true,
        covers_renewals: false,
        max_claims_per_year: 2,
        max_usage_percent: 80,
        not_started: false,
      },
    });
  });

  it('raises the window to the regional minimum, as a claim would', () => {
    expect(sut({ category: 'one_time', product: 'add_on:training_agency' }, [], 'DE')).toMatchObject({
      days: 14,
      conditions: { window_days: 14, not_started: true, covers_renewals: null },
    });
  });

  it('promises nothing for an interval change', () => {
    expect(sut({ category: 'interval_change', product: 'plan:pro' })).toEqual({
      eligible: false,
      days: null,
      conditions: null,
      reason: 'not_covered',
    });
  });

  it('promises nothing for a product already refunded within policy, but does after an operator refund outside it', () => {
    const premium = { category: 'plan_upgrade', product: 'plan:premium' } as const;
    expect(sut(premium, [claim('plan:premium', 200)])).toMatchObject({ eligible: false, reason: 'already_claimed' });
    expect(sut(premium, [claim('plan:premium', 200, false)])).toMatchObject({ eligible: true, days: 30 });
    expect(sut(premium, [claim('plan:pro', 200)])).toMatchObject({ eligible: true });
  });

  it('promises nothing once the cycling limit is reached within the year', () => {
    const premium = { category: 'plan_upgrade', product: 'plan:premium' } as const;
    const two = [claim('add_on:seo_setup', 100), claim('plan:pro', 20)];
    expect(sut(premium, two)).toMatchObject({ eligible: false, reason: 'cycling_limit' });
    expect(sut(premium, [claim('add_on:seo_setup', 400), claim('plan:pro', 20)])).toMatchObject({ eligible: true });
  });

  it('promises nothing where the catalog has no policy', () => {
    expect(
      promisedGuarantee({
        policies: undefined,
        country: 'US',
        priorClaims: [],
        prospect: { category: 'plan_upgrade', product: 'plan:pro' },
        now: NOW,
      }),
    ).toMatchObject({ eligible: false, reason: 'not_covered' });
  });

  it('what is promised is what a claim at once after paying is granted, and what is refused is refused alike', () => {
    const category = fc.constantFrom('plan_upgrade', 'recurring_add_on', 'one_time', 'interval_change' as const);
    const product = fc.constantFrom('plan:pro', 'plan:premium', 'add_on:seo_setup', 'add_on:training_agency');
    const priorClaim = fc.record({
      purchaseId: fc.constantFrom('pur_a', 'pur_b', 'pur_c'),
      product,
      withinPolicy: fc.boolean(),
      at: fc.integer({ min: 0, max: 800 }).map((days) => new Date(NOW.getTime() - days * DAY)),
    });
    fc.assert(
      fc.property(
        category,
        product,
        fc.array(priorClaim, { maxLength: 4 }),
        fc.constantFrom('US', 'DE', 'JP'),
        (kind, code, priorClaims, country) => {
          const promised = promisedGuarantee({
            policies,
            country,
            priorClaims,
            prospect: { category: kind, product: code },
            now: NOW,
          });
          const claimed = decideEligibility({
            policies,
            purchase: {
              id: 'pur_new',
              category: kind,
              product: code,
              amount: 1000,
              currency: 'usd',
              paidAt: NOW,
              periodEnd: new Date(NOW.getTime() + 30 * DAY),
              startsAt: null,
              alreadyRefunded: 0,
            },
            country,
            priorClaims,
            usageShare: 0,
            now: NOW,
          });
          expect(promised.eligible).toBe(claimed.eligible);
          if (claimed.eligible) expect(promised.days).toBe(claimed.windowDays);
          else expect(promised.reason).toBe(claimed.reason);
        },
      ),
      { seed: 17, numRuns: 300 },
    );
  });
});

describe('conditionWords', () => {
  const { messages } = demoCatalog();
  const words = (locale: string) => createTranslator(messages, locale).t;
  const promised = promisedGuarantee({
    policies,
    country: 'US',
    priorClaims: [],
    prospect: { category: 'recurring_add_on', product: 'add_on:priority_support' },
    now: NOW,
  });

  it('says only the conditions that apply, the window first, in plain words', () => {
    expect(conditionWords(promised.conditions, words('en'))).toEqual([
      'Refund of the unused part if you ask within 14 days of payment',
      'Once per product: a product refunded before is not refunded again',
    ]);
  });

  it('says nothing when nothing is promised', () => {
    expect(conditionWords(null, words('en'))).toEqual([]);
  });

  it.each(['de', 'es', 'ja', 'ru', 'uz'])('has every condition in %s, never the English words or a key', (locale) => {
    const all = {
      window_days: 30,
      refund: 'full_charge' as const,
      once_per_product: true,
      covers_renewals: false,
      max_claims_per_year: 2,
      max_usage_percent: 80,
      not_started: true,
    };
    const english = conditionWords(all, words('en'));
    const translated = conditionWords({ ...all }, words(locale));
    expect(translated).toHaveLength(6);
    translated.forEach((line, i) => {
      expect(line).not.toBe(english[i]);
      expect(line).not.toMatch(/guarantee_terms\.|\{/);
    });
    expect(conditionWords({ ...all, refund: 'unused_part' }, words(locale))[0]).not.toMatch(/guarantee_terms\./);
  });
});
