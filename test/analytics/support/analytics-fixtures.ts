import { createHash } from 'node:crypto';
import type { TestApp } from '../../support/test-app';

export const at = (iso: string) => new Date(`${iso}Z`);
const plan = (code: string) => ({ kind: 'plan', code, quantity: 1 });
const addOn = (code: string) => ({ kind: 'add_on', code, quantity: 1 });

export const holding = (planCode: string, addOns: string[] = [], interval: 'month' | 'year' = 'month') => ({
  plan: planCode,
  interval,
  items: [plan(planCode), ...addOns.map(addOn)],
});

export async function seedAccount(t: TestApp, id: string, country: string): Promise<void> {
  await t.db.dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at) VALUES ($1, $1, $2, $3, 'en-US', $4)`,
    [id, `${id}@example.test`, country, at('2026-01-01T00:00:00')],
  );
}

/** A subscription as the webhook mirror holds it (Stripe's current state). */
export async function seedSubscription(
  t: TestApp,
  f: {
    accountId: string;
    holding: ReturnType<typeof holding>;
    createdAt: Date;
    status?: 'active' | 'canceled';
    /** Stripe's `canceled_at`: when the cancellation was asked for (the period end may come later). */
    canceledAt?: Date;
    /** Stripe's `ended_at`: when it stopped; the cancellation's date unless given. */
    endedAt?: Date;
  },
): Promise<void> {
  await t.db.dataSource.query(
    `INSERT INTO subscriptions (id, account_id, status, plan_code, interval, currency, billing_cycle_anchor,
                                current_period_start, current_period_end, items, canceled_at, ended_at, stripe_created_at)
     VALUES ($1, $2, $3, $4, $5, 'usd', $6, $6, $6::timestamptz + interval '1 month', $7, $8, $9, $6)`,
    [
      `sub_${f.accountId}`,
      f.accountId,
      f.status ?? 'active',
      f.holding.plan,
      f.holding.interval,
      f.createdAt,
      JSON.stringify(f.holding.items),
      f.canceledAt ?? null,
      f.status === 'canceled' ? (f.endedAt ?? f.canceledAt ?? null) : null,
    ],
  );
}

/** A prompt shown (offer_prompts) and the events on it (offer_events), as the offers engine records them. */
export async function seedPrompt(
  t: TestApp,
  f: {
    accountId: string;
    rule: string;
    placement: string;
    events: Array<{ type: 'impression' | 'click'; at: Date }>;
    experiment?: { key: string; variant: string };
  },
): Promise<void> {
  const id = `prm_${createHash('sha256').update(`${f.accountId}:${f.rule}`).digest('hex').slice(0, 24)}`;
  const first = f.events[0]?.at ?? new Date();
  await t.db.dataSource.query(
    `INSERT INTO offer_prompts (id, account_id, rule_id, period_key, kind, offer_type, offer_code, offer_interval,
                                amount, currency, placement, tone, experiment_key, experiment_variant,
                                first_shown_at, last_shown_at)
     VALUES ($1, $2, $3, 'p', 'upsell', 'plan', 'pro', 'month', 1900, 'usd', $4, 'neutral', $6, $7, $5, $5)`,
    [id, f.accountId, f.rule, f.placement, first, f.experiment?.key ?? null, f.experiment?.variant ?? null],
  );
  for (const [i, e] of f.events.entries())
    await t.db.dataSource.query(
      `INSERT INTO offer_events (prompt_id, account_id, rule_id, type, placement, occurred_at, bucket)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, f.accountId, f.rule, e.type, f.placement, e.at, i],
    );
}

let quotes = 0;

export async function seedQuote(t: TestApp, accountId: string, createdAt: Date): Promise<void> {
  quotes += 1;
  await t.db.dataSource.query(
    `INSERT INTO quotes (id, account_id, kind, request, stripe_params, currency, amount_due_now, response,
                         catalog_fingerprint, subscription_fingerprint, expires_at, created_at)
     VALUES ($1, $2, 'update', '{}', '{}', 'usd', 0, '{}', 'c', 's', $3::timestamptz + interval '30 minutes', $3)`,
    [`qt_${accountId}_${quotes}`, accountId, createdAt],
  );
}
