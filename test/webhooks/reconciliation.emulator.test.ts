import supertest from 'supertest';
import { priceCodeResolver } from '../../src/webhooks/price-codes';
import { stripeObjectsFrom } from '../../src/webhooks/stripe-objects';
import { mirrorDifferences, subscriptionMirror } from '../../src/webhooks/subscription-mirror';
import { subscriptionMirrors } from '../../src/webhooks/subscription-mirror.repository';
import { adminAuth } from '../support/tokens';
import type { TestDatabase } from '../support/test-database';
import { payingCustomer, planPrices, startEmulatedStripe, type EmulatedStripe } from './support/emulator-stripe';
import { createWebhookDatabase, insertAccount, startInstance, type WebhookInstance } from './support/webhook-harness';

const SUBSCRIPTIONS = 100;

describe('reconciliation against the Stripe emulator', () => {
  let stripe: EmulatedStripe;
  let db: TestDatabase;
  let sut: WebhookInstance;
  const subscriptions: Array<{ id: string; accountId: string; itemId: string }> = [];
  let prices: { pro: string; premium: string };

  const reconcile = async () => {
    const res = await supertest(sut.app).post('/admin/v1/reconciliations').set('Authorization', adminAuth);
    expect(res.status).toBe(201);
    return res.body as {
      checked: number;
      changed: number;
      changes: Array<{ subscription_id: string; fields: string[] }>;
      errors: unknown[];
    };
  };

  /** Subscriptions whose local mirror differs from Stripe's current object. */
  const drifted = async (): Promise<string[]> => {
    const resolve = priceCodeResolver();
    const out: string[] = [];
    for (const s of subscriptions) {
      const wanted = subscriptionMirror(await stripe.sdk.subscriptions.retrieve(s.id), s.accountId, resolve);
      const local = await subscriptionMirrors.find(db.dataSource.manager, s.id);
      if (mirrorDifferences(local, wanted).length > 0) out.push(s.id);
    }
    return out;
  };

  beforeAll(async () => {
    stripe = await startEmulatedStripe();
    db = await createWebhookDatabase();
    sut = await startInstance(db, stripeObjectsFrom(stripe.sdk));
    prices = await planPrices(stripe.sdk);
    for (let i = 0; i < SUBSCRIPTIONS; i += 1) {
      const accountId = `acct_recon_${String(i).padStart(3, '0')}`;
      const customer = await payingCustomer(stripe.sdk, accountId);
      await insertAccount(db.dataSource, accountId, customer);
      const created = await stripe.sdk.subscriptions.create({ customer, items: [{ price: prices.pro }] });
      subscriptions.push({ id: created.id, accountId, itemId: created.items.data[0]?.id ?? '' });
    }
  }, 120000);

  afterAll(async () => {
    await sut.close();
    await stripe.emulator.close();
    await db.drop();
  });

  it('mirrors every subscription of every account on a first run, then finds nothing to change', async () => {
    const first = await reconcile();
    expect(first).toMatchObject({ checked: SUBSCRIPTIONS, changed: SUBSCRIPTIONS, errors: [] });
    expect(first.changes.every((c) => c.fields.join() === 'created')).toBe(true);
    expect(await reconcile()).toMatchObject({ checked: SUBSCRIPTIONS, changed: 0, changes: [], errors: [] });
  }, 60000);

  it('repairs drift injected into 100 subscriptions on its first run and changes nothing on its second', async () => {
    // Local drift in 80: a lost update, a wrong plan, a missed cancellation flag, a stale period, a deleted row.
    const local = subscriptions.slice(0, 80);
    const corruptions = [
      "status = 'past_due'",
      "plan_code = 'free'",
      'cancel_at_period_end = true',
      "current_period_end = current_period_end + interval '3 days'",
      `items = '[]'::jsonb`,
    ];
    for (const [index, s] of local.entries()) {
      if (index % 6 === 5) await db.dataSource.query('DELETE FROM subscriptions WHERE id = $1', [s.id]);
      else await db.dataSource.query(`UPDATE subscriptions SET ${corruptions[index % 6]} WHERE id = $1`, [s.id]);
    }
    // Stripe-side drift in 20 whose webhooks never arrived (no endpoint is registered).
    for (const [index, s] of subscriptions.slice(80).entries()) {
      if (index % 2 === 0) await stripe.sdk.subscriptions.update(s.id, { cancel_at_period_end: true });
      else {
        await stripe.sdk.subscriptions.update(s.id, {
          items: [{ id: s.itemId, price: prices.premium }],
          proration_behavior: 'none',
        });
      }
    }
    expect(await drifted()).toHaveLength(SUBSCRIPTIONS);

    const first = await reconcile();
    expect(first).toMatchObject({ checked: SUBSCRIPTIONS, changed: SUBSCRIPTIONS, errors: [] });
    expect(first.changes.map((c) => c.subscription_id).sort()).toEqual(subscriptions.map((s) => s.id).sort());
    expect(await drifted()).toEqual([]);

    const second = await reconcile();
    expect(second).toMatchObject({ checked: SUBSCRIPTIONS, changed: 0, changes: [], errors: [] });
    const runs: Array<{ changed: number }> = await db.dataSource.query(
      'SELECT changed FROM reconciliation_runs ORDER BY id',
    );
    expect(runs.map((r) => r.changed)).toEqual([SUBSCRIPTIONS, 0, SUBSCRIPTIONS, 0]);
  }, 120000);
});
