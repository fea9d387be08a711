import type { Pool } from 'pg';
import type { LocaleCopy, RuleCopyOverrides } from './offer-copy-overrides';
import type { OfferRule } from './offer-rules.types';

interface RuleRow {
  id: string;
  definition: OfferRule;
  updated_at: Date;
}

/** The rules table: the live rule set, in order. The only writer of offer_rules. */
export class OfferRulesRepository {
  constructor(private readonly pool: () => Pool) {}

  async list(): Promise<OfferRule[]> {
    const { rows } = await this.pool().query<RuleRow>('SELECT id, definition FROM offer_rules ORDER BY position, id');
    return rows.map((row) => row.definition);
  }

  /** Every rule's operator copy by locale (rules without any are left out). */
  async copyOverrides(): Promise<Map<string, RuleCopyOverrides>> {
    const { rows } = await this.pool().query<{ id: string; copy_overrides: RuleCopyOverrides }>(
      `SELECT id, copy_overrides FROM offer_rules WHERE copy_overrides <> '{}'::jsonb`,
    );
    return new Map(rows.map((row) => [row.id, row.copy_overrides]));
  }

  /** Sets (copy) or removes (null) one locale's copy of a rule; false when there is no such rule. */
  async putLocaleCopy(id: string, locale: string, copy: LocaleCopy | null): Promise<boolean> {
    const { rowCount } = await this.pool().query(
      `UPDATE offer_rules
       SET copy_overrides = CASE WHEN $3::jsonb IS NULL THEN copy_overrides - $2
                                 ELSE jsonb_set(copy_overrides, ARRAY[$2], $3::jsonb) END,
           updated_at = greatest(now(), updated_at + interval '1 millisecond')
       WHERE id = $1`,
      [id, locale, copy === null ? null : JSON.stringify(copy)],
    );
    return (rowCount ?? 0) > 0;
  }

  /** A cheap fingerprint of the table: changes whenever a rule is written or deleted. */
  async version(): Promise<string> {
    const { rows } = await this.pool().query<{ v: string }>(
      `SELECT count(*)::text || ':' || coalesce(max(updated_at)::text, '') AS v FROM offer_rules`,
    );
    return rows[0]?.v ?? '';
  }

  /** Seeds the table from the rules file when it is empty (two instances starting at once insert once). */
  async seedIfEmpty(rules: readonly OfferRule[]): Promise<number> {
    if (rules.length === 0) return 0;
    const { rowCount } = await this.pool().query(
      `INSERT INTO offer_rules (id, position, definition)
       SELECT r.id, r.position, r.definition FROM unnest($1::text[], $2::int[], $3::jsonb[]) AS r(id, position, definition)
       WHERE NOT EXISTS (SELECT 1 FROM offer_rules)
       ON CONFLICT (id) DO NOTHING`,
      [rules.map((r) => r.id), rules.map((_r, i) => i * 10), rules.map((r) => JSON.stringify(r))],
    );
    return rowCount ?? 0;
  }

  /** Creates or replaces a rule; a new rule goes last. `created` tells which happened. */
  async put(rule: OfferRule): Promise<{ created: boolean }> {
    const { rows } = await this.pool().query<{ created: boolean }>(
      `INSERT INTO offer_rules (id, position, definition)
       VALUES ($1, (SELECT coalesce(max(position), 0) + 10 FROM offer_rules), $2)
       ON CONFLICT (id) DO UPDATE SET definition = EXCLUDED.definition, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [rule.id, JSON.stringify(rule)],
    );
    return { created: rows[0]?.created ?? false };
  }

  async remove(id: string): Promise<boolean> {
    const { rowCount } = await this.pool().query('DELETE FROM offer_rules WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  }
}
