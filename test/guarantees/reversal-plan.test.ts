import { itemsBack, onlyWhatItAdded, quantitiesTaken } from '../../src/guarantees/items-back';
import { nextAnchor } from '../../src/guarantees/next-anchor';
import { renewalCredit } from '../../src/guarantees/renewal-credit';
import type { Stripe } from '../../src/stripe/stripe-client';

function subscription(items: Array<{ id: string; price: string; quantity: number }>) {
  return {
    items: { data: items.map((item) => ({ id: item.id, price: { id: item.price }, quantity: item.quantity })) },
  } as unknown as Pick<Stripe.Subscription, 'items'>;
}

describe('a reversal undoes what the purchase added, as of now', () => {
  it('puts nothing back when a later change already replaced what it bought (no second plan)', () => {
    const now = subscription([{ id: 'si_plan', price: 'price_premium_year', quantity: 1 }]);
    const sut = itemsBack(
      now,
      [{ price: 'price_pro_month', quantity: 1 }],
      [{ price: 'price_premium_month', quantity: 1 }],
    );
    expect(sut).toEqual([]);
  });

  it('takes back only the seats it added: seats bought later stay', () => {
    const now = subscription([
      { id: 'si_plan', price: 'price_pro', quantity: 1 },
      { id: 'si_seats', price: 'price_seats', quantity: 8 },
    ]);
    const previous = [
      { price: 'price_pro', quantity: 1 },
      { price: 'price_seats', quantity: 2 },
    ];
    const bought = [
      { price: 'price_pro', quantity: 1 },
      { price: 'price_seats', quantity: 5 },
    ];
    expect(itemsBack(now, previous, bought)).toEqual([{ id: 'si_seats', quantity: 5 }]);
    expect(quantitiesTaken(now, itemsBack(now, previous, bought))).toEqual(new Map([['price_seats', 3]]));
  });

  it('cancels a first subscription only while it holds nothing but what that purchase added', () => {
    const bought = [{ price: 'price_pro', quantity: 1 }];
    expect(onlyWhatItAdded(subscription([{ id: 'si', price: 'price_pro', quantity: 1 }]), bought)).toBe(true);
    expect(onlyWhatItAdded(subscription([{ id: 'si', price: 'price_premium', quantity: 1 }]), bought)).toBe(false);
    expect(
      onlyWhatItAdded(
        subscription([
          { id: 'si', price: 'price_pro', quantity: 1 },
          { id: 'si_seats', price: 'price_seats', quantity: 3 },
        ]),
        bought,
      ),
    ).toBe(false);
  });
});

describe('renewal credit (pure, minor units)', () => {
  it('is what the renewal charged for the refunded plan beyond the previous plan (sequence 6, USD)', () => {
    const lines = [{ price: 'price_premium', amount: 4900, quantity: 1 }];
    expect(renewalCredit({ lines, taken: new Map([['price_premium', 1]]), restoredCost: 1900, captured: 4900 })).toBe(
      3000,
    );
  });

  it('counts only the quantity taken back and never exceeds what the renewal captured', () => {
    const lines = [
      { price: 'price_pro', amount: 1900, quantity: 1 },
      { price: 'price_seats', amount: 4000, quantity: 8 },
    ];
    expect(renewalCredit({ lines, taken: new Map([['price_seats', 3]]), restoredCost: 0, captured: 5900 })).toBe(1500);
    expect(renewalCredit({ lines, taken: new Map([['price_seats', 3]]), restoredCost: 0, captured: 1000 })).toBe(1000);
  });

  it('is nothing when the renewal charged no more than the previous items would have', () => {
    const lines = [{ price: 'price_premium', amount: 4900, quantity: 1 }];
    expect(renewalCredit({ lines, taken: new Map(), restoredCost: 1900, captured: 4900 })).toBe(0);
    expect(renewalCredit({ lines, taken: new Map([['price_premium', 1]]), restoredCost: 6000, captured: 4900 })).toBe(
      0,
    );
  });
});

describe('next billing date of the previous cycle (pure)', () => {
  const at = (iso: string) => Date.parse(iso) / 1000;
  const monthly = { interval: 'month', interval_count: 1 };

  it('is the anchor itself while it is ahead', () => {
    expect(nextAnchor(at('2026-05-01T00:00:00Z'), monthly, at('2026-04-19T00:00:00Z'))).toBe(
      at('2026-05-01T00:00:00Z'),
    );
  });

  it('steps whole periods past now, counting months from the anchor (31st → 28 Feb → 31 Mar)', () => {
    expect(nextAnchor(at('2026-05-01T00:00:00Z'), monthly, at('2026-05-05T00:00:00Z'))).toBe(
      at('2026-06-01T00:00:00Z'),
    );
    expect(nextAnchor(at('2026-01-31T12:00:00Z'), monthly, at('2026-02-01T00:00:00Z'))).toBe(
      at('2026-02-28T12:00:00Z'),
    );
    expect(nextAnchor(at('2026-01-31T12:00:00Z'), monthly, at('2026-03-01T00:00:00Z'))).toBe(
      at('2026-03-31T12:00:00Z'),
    );
    expect(
      nextAnchor(at('2026-05-01T00:00:00Z'), { interval: 'year', interval_count: 1 }, at('2026-05-02T00:00:00Z')),
    ).toBe(at('2027-05-01T00:00:00Z'));
  });
});
