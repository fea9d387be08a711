import { notFound } from '../shared/errors';
import type { GuaranteeDeps } from './guarantee-deps';

/**
 * PUT /v1/accounts/{account_id}/trainings/{code}: the SaaS backend (or an operator) records when a
 * bought training package starts. From that moment its guarantee no longer applies
 * (`conditions.not_started`). Applies to the account's one-time purchases of that package.
 */
export async function setTrainingStart(
  deps: Pick<GuaranteeDeps, 'dataSource'>,
  input: { accountId: string; code: string; startsAt: Date },
): Promise<{ purchaseIds: string[] }> {
  const [rows]: [Array<{ id: string }>, number] = await deps.dataSource.query(
    `UPDATE purchases SET starts_at = $3
     WHERE account_id = $1 AND kind = 'one_time' AND bought -> 'items' @> jsonb_build_array(jsonb_build_object('code', $2::text))
     RETURNING id`,
    [input.accountId, input.code, input.startsAt],
  );
  if (rows.length === 0) throw notFound('Training purchase', 'code');
  return { purchaseIds: rows.map((row) => row.id) };
}
