import { categorise, type PurchaseFacts } from '../../src/guarantees/purchase-category';
import { itemsBack } from '../../src/guarantees/items-back';
import type { Stripe } from '../../src/stripe/stripe-client';

function subscription(items: Array<{ id: string; price: string; quantity: number }>) {
  return {
    items: { data: items.map((item) => ({ id: item.id, price: { id: item.price }, quantity: item.quantity })) },
  } as unknown as Pick<Stripe.Subscription, 'items'>;
}

const item = (kind: 'plan' | 'add_on', code: string, quantity = 1) => ({
  kind,
  code,
  quantity,
  price: `price_${code}`,
});

describe('what a purchase was', () => {
  it.each([
    [
      'a first subscription',
      { kind: 'subscription_start', bought: { plan: 'pro' }, previous: {} },
      'plan_upgrade',
      'plan:pro',
    ],
    [
      'an upgrade',
      { kind: 'plan_change', bought: { plan: 'premium' }, previous: { plan: 'pro' } },
      'plan_upgrade',
      'plan:premium',
    ],
    [
      'an interval change',
      { kind: 'plan_change', bought: { plan: 'pro' }, previous: { plan: 'pro' } },
      'interval_change',
      'plan:pro',
    ],
    [
      'more seats',
      {
        kind: 'add_on',
        bought: { items: [item('plan', 'pro'), item('add_on', 'seats', 5)] },
        previous: { items: [item('add_on', 'seats', 2)] },
      },
      'recurring_add_on',
      'add_on:seats',
    ],
    [
      'a training',
      { kind: 'one_time', bought: { items: [item('add_on', 'training_agency')] }, previous: {} },
      'one_time',
      'add_on:training_agency',
    ],
  ])('%s', (_name, row, category, product) => {
    expect(categorise(row as PurchaseFacts)).toEqual({ category, product });
  });
});

describe('itemsBack', () => {
  const current = subscription([
    { id: 'si_plan', price: 'price_premium', quantity: 1 },
    { id: 'si_support', price: 'price_support', quantity: 1 },
    { id: 'si_seats', price: 'price_seats', quantity: 5 },
  ]);

  it('an upgrade: the plan goes back; add-ons it kept or that came later stay', () => {
    const previous = [
      { price: 'price_pro', quantity: 1 },
      { price: 'price_seats', quantity: 5 },
    ];
    const bought = [
      { price: 'price_premium', quantity: 1 },
      { price: 'price_seats', quantity: 5 },
    ];
    expect(itemsBack(current, previous, bought)).toEqual([
      { id: 'si_plan', deleted: true },
      { price: 'price_pro', quantity: 1 },
    ]);
  });

  it('more seats: the quantity goes back to what it was', () => {
    const previous = [
      { price: 'price_premium', quantity: 1 },
      { price: 'price_seats', quantity: 2 },
    ];
    const bought = [
      { price: 'price_premium', quantity: 1 },
      { price: 'price_seats', quantity: 5 },
    ];
    expect(itemsBack(current, previous, bought)).toEqual([{ id: 'si_seats', quantity: 2 }]);
  });

  it('a new add-on: removed, nothing else touched', () => {
    const previous = [{ price: 'price_premium', quantity: 1 }];
    const bought = [
      { price: 'price_premium', quantity: 1 },
      { price: 'price_support', quantity: 1 },
    ];
    expect(itemsBack(current, previous, bought)).toEqual([{ id: 'si_support', deleted: true }]);
  });
});
