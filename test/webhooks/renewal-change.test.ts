import { renewalChange } from '../../src/webhooks/renewal-change';
import type { SubscriptionMirror } from '../../src/webhooks/subscription-mirror';

const APRIL = Date.UTC(2026, 3, 1) / 1000;
const MAY = Date.UTC(2026, 4, 1) / 1000;
const JUNE = Date.UTC(2026, 5, 1) / 1000;
const item = (code: string) => ({
  id: `si_${code}`,
  price_id: `price_${code}`,
  kind: 'plan' as const,
  code,
  quantity: 1,
});

const mirror = (plan: string, start: number, end: number): SubscriptionMirror => ({
  id: 'sub_1',
  accountId: 'acct_1',
  status: 'active',
  planCode: plan,
  interval: 'month',
  currency: 'usd',
  billingCycleAnchor: APRIL,
  currentPeriodStart: start,
  currentPeriodEnd: end,
  cancelAtPeriodEnd: false,
  canceledAt: null,
  endedAt: null,
  trialEnd: null,
  items: [item(plan)],
  pendingUpdate: null,
  stripeCreatedAt: APRIL,
});

describe('renewalChange', () => {
  it('is the new items of a new period, dated at the old period end', () => {
    expect(renewalChange(mirror('premium', APRIL, MAY), mirror('pro', MAY, JUNE))).toMatchObject({
      subscriptionId: 'sub_1',
      effectiveAt: MAY,
      previous: { plan: 'premium', items: [{ kind: 'plan', code: 'premium', quantity: 1 }] },
      current: { plan: 'pro', items: [{ kind: 'plan', code: 'pro', quantity: 1 }] },
    });
  });

  it('is nothing for a paid change inside the period, a plain renewal or a first sync', () => {
    expect(renewalChange(mirror('pro', APRIL, MAY), mirror('premium', APRIL, MAY))).toBeNull();
    expect(renewalChange(mirror('pro', APRIL, MAY), mirror('pro', MAY, JUNE))).toBeNull();
    expect(renewalChange(undefined, mirror('pro', MAY, JUNE))).toBeNull();
  });

  it('is nothing when an interval change restarts the period before its end', () => {
    const yearly = { ...mirror('premium', APRIL + 15 * 86_400, APRIL + 380 * 86_400), interval: 'year' as const };
    expect(renewalChange(mirror('pro', APRIL, MAY), yearly)).toBeNull();
  });
});
