import { recordDecline, type Decline } from '../lifecycle/decline-reasons.repository';
import type { Pool } from 'pg';
import type { DecidedOffer, PromptEventType } from './offers.types';

const DAY_MS = 24 * 3600 * 1000;
/** Repeats of the same action on a prompt within this window are one action (double clicks, retries). */
const REPEAT_WINDOW_MS = 10 * 60 * 1000;

export type EventOutcome = 'recorded' | 'duplicate' | 'not_found';

const SHOWN_SQL = `
  WITH shown AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                         $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
      AS t(id, rule_id, period_key, kind, offer_type, offer_code, offer_interval, amount, currency, placement, tone,
           experiment_key, experiment_variant)
  ), saved AS (
    INSERT INTO offer_prompts (id, account_id, rule_id, period_key, kind, offer_type, offer_code, offer_interval, amount,
                               currency, placement, tone, experiment_key, experiment_variant, first_shown_at, last_shown_at)
    SELECT id, $14, rule_id, period_key, kind, offer_type, offer_code, offer_interval, amount, currency, placement, tone,
           experiment_key, experiment_variant, $15, $15 FROM shown
    ON CONFLICT (id) DO UPDATE SET last_shown_at = EXCLUDED.last_shown_at WHERE offer_prompts.account_id = EXCLUDED.account_id
    RETURNING id, rule_id
  )
  INSERT INTO offer_events (prompt_id, account_id, rule_id, type, placement, occurred_at, bucket)
  SELECT saved.id, $14, saved.rule_id, 'impression', shown.placement, $15, $16
  FROM saved JOIN shown ON shown.id = saved.id
  ON CONFLICT (prompt_id, type, bucket) DO NOTHING`;

const EVENT_SQL = `
  WITH prompt AS (SELECT id, rule_id, placement FROM offer_prompts WHERE id = $1 AND account_id = $2),
  saved AS (
    INSERT INTO offer_events (prompt_id, account_id, rule_id, type, placement, occurred_at, bucket)
    SELECT prompt.id, $2, prompt.rule_id, $3, prompt.placement, $4, $5 FROM prompt
    WHERE NOT EXISTS (
      SELECT 1 FROM offer_events e
      WHERE e.prompt_id = prompt.id AND e.type = $3 AND e.occurred_at > $4::timestamptz - make_interval(secs => $6) AND e.occurred_at <= $4
    )
    ON CONFLICT (prompt_id, type, bucket) DO NOTHING
    RETURNING id
  )
  SELECT (SELECT count(*) FROM prompt)::int AS found, (SELECT count(*) FROM saved)::int AS saved`;

/** Prompts shown and what customers did with them: the history caps and cool-downs read, and analytics counts. */
export class OfferPromptsRepository {
  constructor(private readonly pool: () => Pool) {}

  /** Records the prompts just shown (one row per prompt id) and an impression for each, once per day. */
  async recordShown(accountId: string, prompts: readonly DecidedOffer[], at: Date): Promise<void> {
    if (prompts.length === 0) return;
    const column = <T>(pick: (p: DecidedOffer) => T) => prompts.map(pick);
    await this.pool().query({
      name: 'offer_prompts_shown_v1',
      text: SHOWN_SQL,
      values: [
        column((p) => p.promptId),
        column((p) => p.rule.id),
        column((p) => p.periodKey),
        column((p) => p.kind),
        column((p) => p.target.type),
        column((p) => p.target.code),
        column((p) => p.target.interval),
        column((p) => p.target.amount),
        column((p) => p.target.currency),
        column((p) => p.placement),
        column((p) => p.toneProfile),
        column((p) => p.experiment?.key ?? null),
        column((p) => p.experiment?.variant ?? null),
        accountId,
        at.toISOString(),
        Math.floor(at.getTime() / DAY_MS),
      ],
    });
  }

  /** One customer action on one of their prompts; another account's prompt is `not_found`. */
  async recordEvent(
    accountId: string,
    promptId: string,
    type: PromptEventType,
    at: Date,
    decline?: Decline,
  ): Promise<EventOutcome> {
    if (type === 'dismiss') return this.recordDismiss(accountId, promptId, at, decline ?? {});
    const impression = type === 'impression';
    const { rows } = await this.pool().query<{ found: number; saved: number }>({
      name: 'offer_event_v1',
      text: EVENT_SQL,
      values: [
        promptId,
        accountId,
        type,
        at.toISOString(),
        Math.floor(at.getTime() / (impression ? DAY_MS : REPEAT_WINDOW_MS)),
        impression ? 0 : REPEAT_WINDOW_MS / 1000,
      ],
    });
    const row = rows[0];
    if (!row || row.found === 0) return 'not_found';
    return row.saved > 0 ? 'recorded' : 'duplicate';
  }

  /** A decline: the `dismiss` event, its reason and `prompt.declined`, in one transaction (issue #20). */
  private async recordDismiss(accountId: string, promptId: string, at: Date, decline: Decline): Promise<EventOutcome> {
    const client = await this.pool().connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ found: number; saved: number }>(EVENT_SQL, [
        promptId,
        accountId,
        'dismiss',
        at.toISOString(),
        Math.floor(at.getTime() / REPEAT_WINDOW_MS),
        REPEAT_WINDOW_MS / 1000,
      ]);
      const row = rows[0];
      const outcome: EventOutcome = !row || row.found === 0 ? 'not_found' : row.saved > 0 ? 'recorded' : 'duplicate';
      if (outcome === 'recorded') await recordDecline(client, { accountId, promptId, at, decline });
      await client.query('COMMIT');
      return outcome;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
