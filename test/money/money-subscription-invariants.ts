import request from 'supertest';
import { ENDED, GRANTING, type AccountCheck } from './money-stripe-view';

/** The subscription invariants of one account: one live subscription, mirrored as Stripe has it. */
export async function subscriptionViolations({ w, account, s, fail }: AccountCheck): Promise<void> {
  const db = w.h.db.dataSource;
  // 1. one_live_subscription: a customer never has two subscriptions that bill (issue #17 seq. 1).
  const live = s.subscriptions.filter((sub) => !ENDED.has(sub.status) && sub.status !== 'incomplete');
  if (live.length > 1)
    fail(
      'one_live_subscription',
      `${live.length} live Stripe subscriptions: ${live.map((x) => `${x.id} ${x.status}`).join(', ')}`,
    );

  // 2. mirror_equals_stripe: every Stripe subscription the account has (beyond Checkout's
  // incomplete ones) is mirrored with the same status, items (price × quantity) and
  // cancel_at_period_end; GET /v1/account shows the live one. Periods are not compared: the mirror
  // keeps them for display, and an in-flight renewal may move them between two reads.
  const mirrored: Array<{
    id: string;
    status: string;
    items: Array<{ price_id: string; quantity: number }>;
    cancel_at_period_end: boolean;
  }> = await db.query('SELECT id, status, items, cancel_at_period_end FROM subscriptions WHERE account_id = $1', [
    account.accountId,
  ]);
  for (const sub of s.subscriptions) {
    if (sub.status === 'incomplete' || sub.status === 'incomplete_expired') continue;
    const row = mirrored.find((m) => m.id === sub.id);
    const stripeItems = sub.items.data
      .map((item) => `${item.price.id}×${item.quantity ?? 1}`)
      .sort()
      .join(',');
    if (!row) {
      fail('mirror_equals_stripe', `Stripe ${sub.id} (${sub.status}: ${stripeItems}) has no mirror row`);
      continue;
    }
    const mirrorItems = row.items
      .map((item) => `${item.price_id}×${item.quantity}`)
      .sort()
      .join(',');
    if (
      row.status !== sub.status ||
      mirrorItems !== stripeItems ||
      row.cancel_at_period_end !== sub.cancel_at_period_end
    )
      fail(
        'mirror_equals_stripe',
        `${sub.id}: Stripe ${sub.status} [${stripeItems}] cancel_at_period_end=${sub.cancel_at_period_end}; ` +
          `mirror ${row.status} [${mirrorItems}] cancel_at_period_end=${row.cancel_at_period_end}`,
      );
  }
  for (const row of mirrored)
    if (GRANTING.has(row.status) && !s.subscriptions.some((sub) => sub.id === row.id))
      fail('mirror_equals_stripe', `mirror row ${row.id} (${row.status}) has no Stripe subscription`);
  const shown = await request(w.h.app).get('/v1/account').set('Authorization', account.auth);
  const shownSub = (shown.body as { subscription?: { id?: string; status?: string } | null }).subscription ?? null;
  const granting = s.subscriptions.filter((sub) => GRANTING.has(sub.status));
  if (granting.length === 1 && shownSub?.id !== granting[0]?.id)
    fail(
      'mirror_equals_stripe',
      `GET /v1/account shows ${shownSub?.id ?? 'none'}; Stripe's live one is ${granting[0]?.id}`,
    );
  if (granting.length === 0 && shownSub && GRANTING.has(shownSub.status ?? ''))
    fail('mirror_equals_stripe', `GET /v1/account shows ${shownSub.id} ${shownSub.status}; Stripe has none live`);
}
