import type { Pool } from 'pg';

export interface CustomerRow {
  id: string;
  name: string;
  email: string;
  country: string;
  stripe_customer_id: string | null;
  signed_up_at: Date;
}

export interface TimelineEntry {
  at: Date;
  kind: string;
  summary: Record<string, unknown>;
}

/**
 * One account's history from every table that records it, newest first: usage threshold crossings,
 * prompts shown / clicked / declined, quotes, changes (the billing journal), payments, refunds,
 * Stripe webhook events about its customer and the service's own outbound events.
 */
const TIMELINE_SQL = `
  SELECT * FROM (
    SELECT crossed_at AS at, 'usage.threshold_crossed' AS kind,
           jsonb_build_object('feature', feature, 'threshold', threshold, 'used', used, 'limit', limit_value) AS summary
    FROM usage_threshold_crossings WHERE account_id = $1
    UNION ALL
    SELECT occurred_at, 'prompt.' || type, jsonb_build_object('rule', rule_id, 'placement', placement, 'prompt_id', prompt_id)
    FROM offer_events WHERE account_id = $1
    UNION ALL
    SELECT created_at, 'quote', jsonb_build_object('id', id, 'kind', kind, 'amount_due_now', amount_due_now, 'currency', currency)
    FROM quotes WHERE account_id = $1
    UNION ALL
    SELECT created_at, 'change.' || kind, jsonb_build_object('id', id, 'state', state, 'result', result)
    FROM billing_operations WHERE account_id = $1
    UNION ALL
    SELECT paid_at, 'payment', jsonb_build_object('purchase_id', id, 'kind', kind, 'amount', amount, 'currency', currency,
           'charge', stripe_charge_id, 'invoice', stripe_invoice_id, 'bought', bought)
    FROM purchases WHERE account_id = $1
    UNION ALL
    SELECT created_at, 'refund', jsonb_build_object('id', id, 'purchase_id', purchase_id, 'state', state, 'amount', amount,
           'currency', currency, 'source', source, 'reason', reason, 'stripe_refund_id', stripe_refund_id)
    FROM refund_claims WHERE account_id = $1
    UNION ALL
    SELECT w.received_at, 'webhook.' || w.type, jsonb_build_object('id', w.id, 'status', w.status, 'object_id', w.object_id)
    FROM webhook_events w, accounts a
    WHERE a.id = $1 AND a.stripe_customer_id IS NOT NULL
      AND (w.object_id = a.stripe_customer_id OR w.payload->'data'->'object'->>'customer' = a.stripe_customer_id)
    UNION ALL
    SELECT occurred_at, 'outbound.' || type, jsonb_build_object('id', id, 'data', data)
    FROM outbound_events WHERE account_id = $1
  ) entries
  ORDER BY at DESC LIMIT $2`;

/** Operator's read of customers: search and one account's timeline. */
export class CustomersRepository {
  constructor(private readonly pool: () => Pool) {}

  /** By exact id, or id / e-mail / name containing the text (case-insensitive); exact id first. */
  async search(text: string, limit: number): Promise<CustomerRow[]> {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const { rows } = await this.pool().query<CustomerRow>(
      `SELECT id, name, email, country, stripe_customer_id, signed_up_at FROM accounts
       WHERE id = $1 OR id ILIKE $2 OR email ILIKE $2 OR name ILIKE $2 OR stripe_customer_id = $1
       ORDER BY (id = $1) DESC, name, id LIMIT $3`,
      [text, like, limit],
    );
    return rows;
  }

  async find(id: string): Promise<CustomerRow | null> {
    const { rows } = await this.pool().query<CustomerRow>(
      'SELECT id, name, email, country, stripe_customer_id, signed_up_at FROM accounts WHERE id = $1',
      [id],
    );
    return rows[0] ?? null;
  }

  async timeline(accountId: string, limit: number): Promise<TimelineEntry[]> {
    const { rows } = await this.pool().query<TimelineEntry>(TIMELINE_SQL, [accountId, limit]);
    return rows;
  }
}

export const customerView = (row: CustomerRow) => ({
  object: 'customer' as const,
  id: row.id,
  name: row.name,
  email: row.email,
  country: row.country,
  stripe_customer_id: row.stripe_customer_id,
  signed_up_at: row.signed_up_at.toISOString(),
});

export const timelineEntryView = (entry: TimelineEntry) => ({
  at: entry.at.toISOString(),
  kind: entry.kind,
  summary: entry.summary,
});
