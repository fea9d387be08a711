import crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import { fromRow, type Operation, type OperationRow } from './operation-journal';
import type { ChangeRequest } from './plan-change.rules';
import type { QuoteStripeParams } from './quote-stripe-params';

export interface QuoteRecord {
  id: string;
  accountId: string;
  kind: QuoteStripeParams['kind'];
  request: ChangeRequest;
  stripeParams: QuoteStripeParams;
  currency: string;
  amountDueNow: number;
  prorationDate: number | null;
  response: Record<string, unknown>;
  catalogFingerprint: string;
  subscriptionFingerprint: string;
  expiresAt: Date;
}

interface QuoteRow {
  id: string;
  account_id: string;
  kind: QuoteStripeParams['kind'];
  request: ChangeRequest;
  stripe_params: QuoteStripeParams;
  currency: string;
  amount_due_now: string;
  proration_date: string | null;
  response: Record<string, unknown>;
  catalog_fingerprint: string;
  subscription_fingerprint: string;
  expires_at: Date;
}

const fromQuoteRow = (row: QuoteRow): QuoteRecord => ({
  id: row.id,
  accountId: row.account_id,
  kind: row.kind,
  request: row.request,
  stripeParams: row.stripe_params,
  currency: row.currency,
  amountDueNow: Number(row.amount_due_now),
  prorationDate: row.proration_date === null ? null : Number(row.proration_date),
  response: row.response,
  catalogFingerprint: row.catalog_fingerprint,
  subscriptionFingerprint: row.subscription_fingerprint,
  expiresAt: row.expires_at,
});

export const newQuoteId = () => `quo_${crypto.randomBytes(12).toString('hex')}`;

/** Persistence of quotes: written once, read when a change is asked for. */
export const quotes = {
  async insert(dataSource: DataSource, quote: QuoteRecord): Promise<void> {
    await dataSource.query(
      `INSERT INTO quotes (id, account_id, kind, request, stripe_params, currency, amount_due_now, proration_date,
         response, catalog_fingerprint, subscription_fingerprint, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        quote.id,
        quote.accountId,
        quote.kind,
        JSON.stringify(quote.request),
        JSON.stringify(quote.stripeParams),
        quote.currency,
        quote.amountDueNow,
        quote.prorationDate,
        JSON.stringify(quote.response),
        quote.catalogFingerprint,
        quote.subscriptionFingerprint,
        quote.expiresAt,
      ],
    );
  },

  async find(dataSource: DataSource, id: string): Promise<QuoteRecord | undefined> {
    const rows: QuoteRow[] = await dataSource.query('SELECT * FROM quotes WHERE id = $1', [id]);
    return rows[0] ? fromQuoteRow(rows[0]) : undefined;
  },

  /**
   * The quote and its live (not failed) operation, if any, in one round trip: what a change
   * request reads first. NOTE: at most one live operation per quote (billing_operations_one_live_per_quote).
   */
  async findWithLiveOperation(
    dataSource: DataSource,
    id: string,
  ): Promise<{ quote: QuoteRecord; liveOperation: Operation | undefined } | undefined> {
    const rows: Array<QuoteRow & { live_operation: OperationRow | null }> = await dataSource.query(
      `SELECT q.*, (SELECT to_jsonb(o) FROM billing_operations o WHERE o.quote_id = q.id AND o.state <> 'failed' LIMIT 1)
                     AS live_operation
         FROM quotes q WHERE q.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { quote: fromQuoteRow(row), liveOperation: row.live_operation ? fromRow(row.live_operation) : undefined };
  },
};
