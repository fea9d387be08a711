import fc from 'fast-check';
import { guaranteesSchema } from '../../src/catalog/guarantee-policy.schema';
import { decideEligibility } from '../../src/guarantees/guarantee-eligibility';
import type { CoveredPurchase, PriorClaim, PurchaseCategory } from '../../src/guarantees/guarantee.types';
import { purchaseLedger } from '../../src/guarantees/purchase-ledger';
import { refundAmount } from '../../src/guarantees/refund-amount';

const DAY = 86_400_000;
const policies = guaranteesSchema.parse({
  plan_upgrade: { window_days: 30, max_claims_per_year: 2, conditions: { max_usage_percent: 80 } },
  recurring_add_on: { window_days: 14, refund: 'unused_part' },
  one_time: { window_days: 7, conditions: { not_started: true } },
  regions: [{ code: 'eea_consumers', countries: 'eea', minimum_window_days: 14 }],
});

type Step =
  | { op: 'buy'; category: PurchaseCategory; product: string; amount: number; startsInDays: number | null }
  | { op: 'downgrade' }
  | { op: 'wait'; days: number }
  | { op: 'claim'; pick: number; usageShare: number }
  | { op: 'operator_refund'; pick: number; amount: number };

const products = ['plan:pro', 'plan:premium', 'add_on:priority_support', 'add_on:training_agency'];
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('buy' as const),
    category: fc.constantFrom<PurchaseCategory>(
      'plan_upgrade',
      'recurring_add_on',
      'one_time',
      'renewal',
      'interval_change',
    ),
    product: fc.constantFrom(...products),
    amount: fc.integer({ min: 0, max: 100_000 }),
    startsInDays: fc.option(fc.integer({ min: 0, max: 20 })),
  }),
  fc.constant({ op: 'downgrade' as const }),
  fc.record({ op: fc.constant('wait' as const), days: fc.integer({ min: 0, max: 20 }) }),
  fc.record({
    op: fc.constant('claim' as const),
    pick: fc.nat(),
    usageShare: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({
    op: fc.constant('operator_refund' as const),
    pick: fc.nat(),
    amount: fc.integer({ min: 1, max: 100_000 }),
  }),
);

/** The service in miniature: purchases with their charges, claims decided by the real rules, a money ledger. */
function run(steps: Step[]) {
  let now = new Date('2026-04-01T00:00:00Z').getTime();
  const purchases: CoveredPurchase[] = [];
  const charges = new Map<string, { captured: number; refunded: number }>();
  const claims: PriorClaim[] = [];
  const refundsPerPurchase = new Map<string, number>();
  for (const s of steps) {
    if (s.op === 'wait') now += s.days * DAY;
    if (s.op === 'buy' && s.amount > 0) {
      const id = `pur_${purchases.length}`;
      purchases.push({
        id,
        category: s.category,
        product: s.product,
        amount: s.amount,
        currency: 'usd',
        paidAt: new Date(now),
        periodEnd: s.category === 'one_time' ? null : new Date(now + 30 * DAY),
        startsAt: s.startsInDays === null ? null : new Date(now + s.startsInDays * DAY),
        alreadyRefunded: 0,
      });
      charges.set(id, { captured: s.amount, refunded: 0 });
    }
    // A downgrade is scheduled for the period end: no charge, no refund (negative prorations are credit).
    if ((s.op === 'claim' || s.op === 'operator_refund') && purchases.length > 0) {
      const purchase = purchases[s.pick % purchases.length] as CoveredPurchase;
      const charge = charges.get(purchase.id) as { captured: number; refunded: number };
      const wanted =
        s.op === 'claim'
          ? decideEligibility({
              policies,
              purchase: { ...purchase, alreadyRefunded: charge.refunded },
              country: 'DE',
              priorClaims: claims,
              usageShare: s.usageShare,
              now: new Date(now),
            })
          : { eligible: true as const, amount: s.amount };
      if (!wanted.eligible) continue;
      // Claims rely on the rules alone (already_refunded); an operator's refund on the claim row's unique index.
      if (s.op === 'operator_refund' && claims.some((claim) => claim.purchaseId === purchase.id)) continue;
      const ledger = purchaseLedger({
        lines: [{ price: null, amount: charge.captured, period: { start: 0, end: 0 } }],
        ...charge,
        laterCredits: [],
      });
      const amount = refundAmount(wanted.amount, ledger);
      if (amount <= 0) continue;
      charge.refunded += amount;
      claims.push({
        purchaseId: purchase.id,
        product: purchase.product,
        withinPolicy: s.op === 'claim',
        at: new Date(now),
      });
      refundsPerPurchase.set(purchase.id, (refundsPerPurchase.get(purchase.id) ?? 0) + 1);
    }
  }
  return { charges, refundsPerPurchase };
}

describe('refund ledger (property)', () => {
  it('never refunds more than captured on any charge, nor any purchase twice', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const { charges, refundsPerPurchase } = run(steps);
        for (const charge of charges.values()) expect(charge.refunded).toBeLessThanOrEqual(charge.captured);
        for (const count of refundsPerPurchase.values()) expect(count).toBe(1);
      }),
      { numRuns: 1000 },
    );
  });
});
