import crypto from 'node:crypto';
import request from 'supertest';
import { Stripe } from '../../../src/stripe/stripe-client';
import { change, quote, type BillingHarness } from '../../billing/support/billing-harness';
import { testConfig } from '../../support/test-config';

export const DAY_MS = 86_400_000;

export interface Purchase {
  id: string;
  amount: number;
  currency: string;
  paidAt: Date;
  chargeId: string;
}

/** Buys through the real flow (quote → change) and returns the purchase billing recorded. */
export async function buy(h: BillingHarness, auth: string, body: object): Promise<Purchase> {
  const quoted = await quote(h, auth, body);
  if (quoted.status !== 201) throw new Error(`quote failed: ${JSON.stringify(quoted.body)}`);
  const changed = await change(h, auth, quoted.body.id);
  if (changed.body.status !== 'applied') throw new Error(`change failed: ${JSON.stringify(changed.body)}`);
  const rows: Array<{ id: string; amount: string; currency: string; paid_at: Date; stripe_charge_id: string }> =
    await h.db.dataSource.query(
      `SELECT p.id, p.amount, p.currency, p.paid_at, p.stripe_charge_id FROM purchases p
       JOIN billing_operations o ON o.id = p.operation_id WHERE o.quote_id = $1`,
      [quoted.body.id],
    );
  const row = rows[0];
  if (!row) throw new Error('no purchase recorded');
  return {
    id: row.id,
    amount: Number(row.amount),
    currency: row.currency,
    paidAt: row.paid_at,
    chargeId: row.stripe_charge_id,
  };
}

/** Sets the service's clock to `offsetMs` after the purchase was paid. */
export function at(h: BillingHarness, purchase: Purchase, offsetMs: number): void {
  h.services.clock.now = () => new Date(purchase.paidAt.getTime() + offsetMs);
}

export async function claim(h: BillingHarness, auth: string, purchaseId: string, key: string = crypto.randomUUID()) {
  return request(h.app)
    .post('/v1/refunds')
    .set('Authorization', auth)
    .set('Idempotency-Key', key)
    .send({ purchase_id: purchaseId, reason: 'not what we needed' });
}

/** Stripe writes logged by the emulator since the log was last cleared. */
export async function writes(h: BillingHarness) {
  const log = await h.emulator.control.requestLog();
  return log.filter((entry) => entry.method !== 'GET');
}

const signer = new Stripe('sk_test_signer_only');

/** Delivers Stripe's `charge.refunded` events for the charge through POST /webhooks/stripe and processes them. */
export async function deliverRefundEvents(h: BillingHarness, chargeId: string): Promise<number> {
  const { data } = await h.stripe.events.list({ type: 'charge.refunded', limit: 100 });
  const events = data.filter((event) => (event.data.object as { id?: string }).id === chargeId);
  for (const event of events) {
    const payload = JSON.stringify(event);
    const header = signer.webhooks.generateTestHeaderString({
      payload,
      secret: testConfig().stripe.webhookSecret,
      timestamp: Math.floor(Date.now() / 1000),
    });
    await request(h.app)
      .post('/webhooks/stripe')
      .set('Stripe-Signature', header)
      .set('Content-Type', 'application/json')
      .send(payload)
      .expect(200);
    await h.services.webhooks.processEvent(event.id);
  }
  return events.length;
}
