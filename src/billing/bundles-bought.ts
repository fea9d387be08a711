import type { DataSource } from 'typeorm';

/** The bundles the account bought and kept (not refunded), newest first. */
export async function bundlesBought(dataSource: DataSource, accountId: string): Promise<string[]> {
  const rows: Array<{ bundle: string }> = await dataSource.query(
    `SELECT bought->>'bundle' AS bundle FROM purchases
     WHERE account_id = $1 AND bought->>'bundle' IS NOT NULL AND refunded_at IS NULL ORDER BY paid_at DESC`,
    [accountId],
  );
  return rows.map((row) => row.bundle);
}
