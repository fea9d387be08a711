import type { EntityManager } from 'typeorm';

/**
 * The Tierlift account a Stripe customer belongs to: by `accounts.stripe_customer_id`,
 * else by the `tierlift_account_id` metadata Tierlift writes on customers and subscriptions.
 */
export async function accountForCustomer(
  manager: EntityManager,
  customerId: string | null,
  metadata?: Record<string, string> | null,
): Promise<string | undefined> {
  if (customerId) {
    const rows: Array<{ id: string }> = await manager.query('SELECT id FROM accounts WHERE stripe_customer_id = $1', [
      customerId,
    ]);
    if (rows[0]) return rows[0].id;
  }
  const claimed = metadata?.tierlift_account_id;
  if (!claimed) return undefined;
  const rows: Array<{ id: string }> = await manager.query(
    'SELECT id FROM accounts WHERE id = $1 AND (stripe_customer_id IS NULL OR stripe_customer_id = $2)',
    [claimed, customerId],
  );
  return rows[0]?.id;
}

/** Records the customer on an account that has none yet (a checkout created it); never moves one. */
export async function linkCustomer(manager: EntityManager, accountId: string, customerId: string): Promise<void> {
  await manager.query(
    `UPDATE accounts SET stripe_customer_id = $2, updated_at = now()
     WHERE id = $1 AND stripe_customer_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM accounts other WHERE other.stripe_customer_id = $2)`,
    [accountId, customerId],
  );
}

/** Accounts that have a Stripe customer, for reconciliation. */
export async function accountsWithCustomers(
  manager: EntityManager,
): Promise<Array<{ id: string; customerId: string }>> {
  const rows: Array<{ id: string; stripe_customer_id: string }> = await manager.query(
    'SELECT id, stripe_customer_id FROM accounts WHERE stripe_customer_id IS NOT NULL ORDER BY id',
  );
  return rows.map((row) => ({ id: row.id, customerId: row.stripe_customer_id }));
}
