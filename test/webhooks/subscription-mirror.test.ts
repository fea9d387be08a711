import type { Stripe } from '../../src/stripe/stripe-client';
import { priceCodeResolver } from '../../src/webhooks/price-codes';
import { mirrorDifferences, subscriptionMirror } from '../../src/webhooks/subscription-mirror';
import { subscriptionObject } from './support/fake-stripe';

const price = (fields: Partial<Stripe.Price>) =>
  ({ id: 'price_x', metadata: {}, lookup_key: null, product: 'prod_x', ...fields }) as Stripe.Price;

describe('priceCodeResolver', () => {
  const sut = priceCodeResolver({ planCodes: ['pro', 'premium'], addOnCodes: ['extra_seats', 'priority_support'] });

  it('reads the kind and code catalog sync writes into price metadata', () => {
    expect(sut(price({ metadata: { tierlift_kind: 'addon', tierlift_code: 'extra_seats' } }))).toEqual({
      kind: 'add_on',
      code: 'extra_seats',
    });
  });

  it('reads an expanded product’s metadata when the price has none', () => {
    const product = {
      id: 'prod_1',
      metadata: { tierlift_kind: 'plan', tierlift_code: 'premium' },
    } as unknown as Stripe.Product;
    expect(sut(price({ product }))).toEqual({ kind: 'plan', code: 'premium' });
  });

  it('falls back to catalog sync’s lookup keys, preferring the longest known code', () => {
    expect(sut(price({ lookup_key: 'tierlift_plan_premium_year' }))).toEqual({ kind: 'plan', code: 'premium' });
    expect(sut(price({ lookup_key: 'tierlift_addon_priority_support_month' }))).toEqual({
      kind: 'add_on',
      code: 'priority_support',
    });
    expect(priceCodeResolver()(price({ lookup_key: 'tierlift_plan_team_month' }))).toEqual({
      kind: 'plan',
      code: 'team',
    });
  });

  it('returns nothing for a price it cannot place', () => {
    expect(sut(price({ lookup_key: 'someone_elses_price' }))).toBeUndefined();
  });
});

describe('subscriptionMirror', () => {
  const resolve = priceCodeResolver();

  it('takes the current period from the plan item (API 2025-03-31 and later) and codes from prices', () => {
    const stripe = subscriptionObject({
      id: 'sub_1',
      customer: 'cus_1',
      plan: 'premium',
      interval: 'year',
      periodStart: 1_700_000_000,
    });
    expect(subscriptionMirror(stripe, 'acct_1', resolve)).toMatchObject({
      id: 'sub_1',
      accountId: 'acct_1',
      planCode: 'premium',
      interval: 'year',
      currentPeriodStart: 1_700_000_000,
      currentPeriodEnd: 1_700_000_000 + 365 * 86_400,
      items: [{ id: 'si_sub_1', price_id: 'price_premium_year', kind: 'plan', code: 'premium', quantity: 1 }],
      pendingUpdate: null,
    });
  });

  it('keeps a pending update as the items it would apply', () => {
    const stripe = subscriptionObject({ id: 'sub_2', customer: 'cus_2', plan: 'pro' });
    const premiumItem = subscriptionObject({ id: 'sub_x', customer: 'cus_2', plan: 'premium' }).items.data[0];
    stripe.pending_update = {
      expires_at: 1_800_000_000,
      billing_cycle_anchor: null,
      trial_end: null,
      subscription_items: [premiumItem],
    } as unknown as Stripe.Subscription.PendingUpdate;
    expect(subscriptionMirror(stripe, 'acct_2', resolve).pendingUpdate).toEqual({
      expires_at: 1_800_000_000,
      billing_cycle_anchor: null,
      trial_end: null,
      items: [expect.objectContaining({ kind: 'plan', code: 'premium' })],
    });
  });

  it('refuses a status it does not know rather than guess', () => {
    const stripe = subscriptionObject({ id: 'sub_3', customer: 'cus_3' });
    (stripe as { status: string }).status = 'hibernating';
    expect(() => subscriptionMirror(stripe, 'acct_3', resolve)).toThrow(/unknown Stripe subscription status/);
  });

  it('names the fields that differ, ignoring the key order jsonb gives back', () => {
    const wanted = subscriptionMirror(subscriptionObject({ id: 'sub_4', customer: 'cus_4' }), 'acct_4', resolve);
    const reordered = wanted.items.map((item) => ({
      quantity: item.quantity,
      code: item.code,
      kind: item.kind,
      price_id: item.price_id,
      id: item.id,
    }));
    expect(mirrorDifferences({ ...wanted, items: reordered }, wanted)).toEqual([]);
    expect(mirrorDifferences({ ...wanted, status: 'past_due', planCode: 'free' }, wanted)).toEqual([
      'status',
      'planCode',
    ]);
    expect(mirrorDifferences(undefined, wanted)).toEqual(['created']);
  });
});
