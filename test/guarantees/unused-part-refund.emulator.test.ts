import { loadCatalogSource, readCatalogSource } from '../../src/catalog/load-catalog';
import { DEMO_CATALOG_FILE } from '../catalog/support/demo-catalog';
import {
  advanceClock,
  DAY,
  mirror,
  paidAccount,
  START,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { at, buy, claim, DAY_MS } from './support/guarantee-harness';

/** The demo catalog with recurring add-ons refunded for their unused part only. */
function unusedPartCatalog() {
  const source = readCatalogSource(DEMO_CATALOG_FILE);
  const catalogText = source.catalogText.replace(
    'recurring_add_on:\n    window_days: 14\n    refund: full_charge',
    'recurring_add_on:\n    window_days: 14\n    refund: unused_part',
  );
  if (catalogText === source.catalogText) throw new Error('the demo catalog no longer has that policy');
  const loaded = loadCatalogSource({ catalogText, localeTexts: source.localeTexts });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.loaded;
}

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness({ catalog: unusedPartCatalog() });
});
afterAll(async () => h?.close());

describe('sequence 11: `unused_part` is measured against the period the purchase paid for', () => {
  it('refunds nothing once the bought period is over, although the renewed period is not', async () => {
    const account = await paidAccount(h, { currency: 'usd', advanceTo: START + 25 * DAY }); // 26 April
    const support = await buy(h, account.auth(), { add_ons: [{ code: 'priority_support', quantity: 1 }] });
    expect(support.amount).toBe(250); // 1500 × 5/30: 26 April → 1 May
    await advanceClock(h, account.clockId, START + 34 * DAY); // 5 May, renewed on 1 May
    await mirror(h, account.subscription.id); // what the renewal's webhooks do
    at(h, support, 9 * DAY_MS);

    const refused = await claim(h, account.auth(), support.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('nothing_to_refund');
    expect((await h.stripe.charges.retrieve(support.chargeId)).amount_refunded).toBe(0);
  });

  it('refunds the unused share of the bought period while it runs', async () => {
    const account = await paidAccount(h, { currency: 'usd', advanceTo: START + 25 * DAY });
    const support = await buy(h, account.auth(), { add_ons: [{ code: 'priority_support', quantity: 1 }] });
    at(h, support, 2 * DAY_MS); // 28 April: 3 of its 5 days left

    const refunded = await claim(h, account.auth(), support.id);
    expect(refunded.status).toBe(200);
    expect(refunded.body.amount).toBe(150);
  });
});
