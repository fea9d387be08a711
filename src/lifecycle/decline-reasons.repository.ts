import type { PoolClient } from 'pg';
import { recordOutboundEvent } from '../events/record-outbound-event';

export const DECLINE_REASONS = ['too_expensive', 'not_now', 'missing_feature', 'other'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export interface Decline {
  reason?: DeclineReason;
  reasonText?: string;
}

/**
 * A prompt just declined (its `dismiss` event was recorded by the caller in this transaction):
 * its reason, once per prompt, with the offer, price and the account's locale, and
 * `prompt.declined` with the reason. A dismiss without a reason is only `prompt.dismissed` (the
 * trigger on offer_events emits that one).
 */
export async function recordDecline(
  client: PoolClient,
  input: { accountId: string; promptId: string; at: Date; decline: Decline },
): Promise<void> {
  const { rows } = await client.query<{
    rule_id: string;
    offer_type: string;
    offer_code: string;
    offer_interval: string;
    amount: string;
    currency: string;
    locale: string;
  }>(
    `SELECT p.rule_id, p.offer_type, p.offer_code, p.offer_interval, p.amount, p.currency, a.locale
       FROM offer_prompts p JOIN accounts a ON a.id = p.account_id
      WHERE p.id = $1 AND p.account_id = $2`,
    [input.promptId, input.accountId],
  );
  const prompt = rows[0];
  if (!prompt) return;
  const reason = input.decline.reason ?? null;
  if (!reason) return;
  await client.query(
    `INSERT INTO prompt_decline_reasons (prompt_id, account_id, rule_id, offer_type, offer_code, offer_interval,
                                           amount, currency, locale, reason, reason_text, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (prompt_id) DO NOTHING`,
    [
      input.promptId,
      input.accountId,
      prompt.rule_id,
      prompt.offer_type,
      prompt.offer_code,
      prompt.offer_interval,
      prompt.amount,
      prompt.currency,
      prompt.locale,
      reason,
      input.decline.reasonText ?? null,
      input.at,
    ],
  );
  await recordOutboundEvent(client, {
    type: 'prompt.declined',
    accountId: input.accountId,
    data: {
      prompt: input.promptId,
      rule: prompt.rule_id,
      offer: { type: prompt.offer_type, code: prompt.offer_code, interval: prompt.offer_interval },
      price: { amount: Number(prompt.amount), currency: prompt.currency },
      locale: prompt.locale,
      reason,
      reason_text: input.decline.reasonText ?? null,
    },
    dedupeKey: `prompt.declined:${input.promptId}:${input.at.getTime()}`,
    occurredAt: input.at,
  });
}
