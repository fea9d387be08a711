import type { Stripe } from '../../src/stripe/stripe-client';
import type { Violation } from './money-invariants';
import type { ModelAccount, World } from './money-world';

/**
 * The invariants of the journal kinds beside changes and refunds (issue #24): the operator's
 * credit, receipt and trial extension, the customer's card update. The state ones are checked
 * after every step with the others; the step-local ones (what moved while a step ran, who held the
 * lane during it) are pushed by the step to `w.observed` and reported here.
 */

const query = <T>(w: World, sql: string, params: unknown[] = []): Promise<T[]> => w.h.db.dataSource.query(sql, params);

/** What an account holds in Stripe that a step must not move unless it is a money operation. */
export interface MoneySnapshot {
  charges: number;
  captured: number;
  refunded: number;
  paidInvoices: number;
  balance: number;
}

export async function moneySnapshot(w: World, account: ModelAccount): Promise<MoneySnapshot> {
  const customer = account.customerId;
  const [charges, invoices, found] = await Promise.all([
    w.h.stripe.charges.list({ customer, limit: 100 }),
    w.h.stripe.invoices.list({ customer, limit: 100 }),
    w.h.stripe.customers.retrieve(customer),
  ]);
  const captured = charges.data.filter((charge) => charge.status === 'succeeded' && charge.captured);
  return {
    charges: captured.length,
    captured: captured.reduce((sum, charge) => sum + charge.amount_captured, 0),
    refunded: captured.reduce((sum, charge) => sum + charge.amount_refunded, 0),
    paidInvoices: invoices.data.filter((invoice) => invoice.status === 'paid' && invoice.amount_paid > 0).length,
    balance: (found as Stripe.Customer).balance ?? 0,
  };
}

/** What moved between two snapshots, or undefined. A credit may move the balance (credit_once_per_key counts it). */
export function moneyMoved(before: MoneySnapshot, after: MoneySnapshot, balanceMayMove: boolean): string | undefined {
  const keys = (Object.keys(before) as Array<keyof MoneySnapshot>).filter(
    (key) => key !== 'balance' || !balanceMayMove,
  );
  const moved = keys.filter((key) => before[key] !== after[key]);
  return moved.length ? moved.map((key) => `${key} ${before[key]} → ${after[key]}`).join(', ') : undefined;
}

const TERMINAL = new Set(['completed', 'failed']);

/**
 * lane_never_shared (step-local, after two money operations of one account ran at once): of the
 * operations and refund claims that held the lane during the step (the holder at its start and
 * every one claimed since), each was claimed only after the one before had let go: never two at once.
 * NOTE: a row written straight in a terminal state (created_at = updated_at) never held the lane.
 */
export async function laneNeverShared(w: World, account: ModelAccount, since: Date, heldAtStart: string[]) {
  const rows = await query<{ id: string; kind: string; state: string; created_at: Date; updated_at: Date }>(
    w,
    `SELECT id, kind, state, created_at, updated_at FROM billing_operations
      WHERE account_id = $1 AND (created_at >= $2 OR id = ANY($3))
     UNION ALL
     SELECT id, 'refund', state, created_at, updated_at FROM refund_claims
      WHERE account_id = $1 AND (created_at >= $2 OR id = ANY($3))
     ORDER BY created_at`,
    [account.accountId, since, heldAtStart],
  );
  // NOTE: a refund claim is inserted in a transaction begun earlier (its advisory lock, its decision
  // under it), and its created_at is that transaction's start (now()): it took the lane at some
  // moment up to its updated_at, which only the lane's trigger saw. It is checked at the latest
  // moment it can have taken the lane (seeds 5 and 21 saw a refund "claimed" 1 ms before a credit
  // beside it let go, its insert having waited for that).
  const claimedAt = (row: (typeof rows)[number]) => (row.kind === 'refund' ? row.updated_at : row.created_at);
  const holders = rows
    .filter((row) => !TERMINAL.has(row.state) || row.updated_at > row.created_at)
    .sort((a, b) => claimedAt(a).getTime() - claimedAt(b).getTime());
  for (const [index, next] of holders.entries()) {
    const prev = holders[index - 1];
    if (!prev) continue;
    const prevEnd = TERMINAL.has(prev.state) ? prev.updated_at : undefined;
    if (!prevEnd || prevEnd > claimedAt(next))
      w.observed.push({
        invariant: 'lane_never_shared',
        account: account.name,
        detail: `${next.kind} ${next.id} (${next.state}) claimed by ${claimedAt(next).toISOString()} while ${prev.kind} ${prev.id} held the lane (${prev.state}${prevEnd ? ` until ${prevEnd.toISOString()}` : ''})`,
      });
  }
}

/** The credit Tierlift's operators granted (balance transactions carrying a model credit's reason), in minor units. */
async function grantedCredit(
  w: World,
  account: ModelAccount,
): Promise<{ total: number; transactions: Stripe.CustomerBalanceTransaction[] }> {
  // NOTE: only a credit step makes one (the janitor finishes only those asked for): none asked, none to read.
  if (![...w.credits.values()].some((asked) => asked.account === account.name)) return { total: 0, transactions: [] };
  const { data } = await w.h.stripe.customers.listBalanceTransactions(account.customerId, { limit: 100 });
  const granted = data.filter(
    (t) => t.metadata?.tierlift_operation_id !== undefined || w.credits.has(t.description ?? ''),
  );
  return { total: granted.reduce((sum, t) => sum - t.amount, 0), transactions: granted };
}

/**
 * Operator credit is a gift, not money returned (src/billing/customer-credit.ts): the customer
 * balance it adds is left out of refund_within_captured's "credit Stripe owes". NOTE: this counts
 * all credit ever granted, used or not, so while a granted credit is partly used the invariant
 * reads the proration credit on the balance a little too low (it cannot read it too high).
 */
export async function operatorCredit(w: World, account: ModelAccount): Promise<number> {
  return (await grantedCredit(w, account)).total;
}

/** The state invariants of the journal kinds, for every account, and what the steps observed. */
export async function journalViolations(w: World): Promise<Violation[]> {
  const out = w.observed.splice(0);
  for (const account of w.accounts) {
    const fail = (invariant: Violation['invariant'], detail: string) =>
      out.push({ invariant, account: account.name, detail });

    // lane_one_holder: at most one unfinished operation or refund claim, and the lane names it.
    const [lane] = await query<{ holders: number; holder: string | null; unfinished: string[] }>(
      w,
      `SELECT array_length(u.ids, 1) AS holders, u.ids AS unfinished,
              (SELECT holder_id FROM billing_lanes WHERE account_id = $1) AS holder
         FROM (SELECT array(
                 SELECT id FROM billing_operations WHERE account_id = $1 AND state IN ('claimed', 'sent', 'awaiting_customer')
                 UNION ALL SELECT id FROM refund_claims WHERE account_id = $1 AND state IN ('claimed', 'refunded')) AS ids) u`,
      [account.accountId],
    );
    const unfinished = lane?.unfinished ?? [];
    if (unfinished.length > 1 || (lane?.holder ?? null) !== (unfinished[0] ?? null))
      fail(
        'lane_one_holder',
        `unfinished holders [${unfinished.join(', ')}]; billing_lanes names ${lane?.holder ?? 'none'}`,
      );

    // credit_once_per_key: each credit asked (one Idempotency-Key, its reason) is in Stripe at most
    // once, for exactly the amount asked, and exactly once when it was answered `credited`; no
    // balance credit exists that nobody asked for.
    const { transactions } = await grantedCredit(w, account);
    for (const [reason, asked] of w.credits) {
      if (asked.account !== account.name) continue;
      const found = transactions.filter((t) => t.description === reason);
      const credited = asked.answers.some((answer) => answer.startsWith('200'));
      if (found.length > 1 || found.some((t) => t.amount !== -asked.amount) || (credited && found.length === 0))
        fail(
          'credit_once_per_key',
          `"${reason}" asked ${asked.amount} (answers ${asked.answers.join(', ')}): Stripe holds [${found.map((t) => t.amount).join(', ')}]`,
        );
    }
    for (const t of transactions)
      if (!w.credits.has(t.description ?? ''))
        fail('credit_once_per_key', `balance transaction ${t.id} ${t.amount} "${t.description}" was never asked for`);

    // trial_first_charge: a subscription whose trial an operator extended to T charges nothing
    // before T except what the customer bought (a purchase), and while trialing ends no earlier than T.
    const extended = await query<{ sub: string; trial_end: string }>(
      w,
      `SELECT stripe_params->>'subscription' AS sub, max((stripe_params->>'trial_end')::bigint) AS trial_end
         FROM billing_operations WHERE account_id = $1 AND kind = 'extend_trial' AND state = 'completed' GROUP BY 1`,
      [account.accountId],
    );
    for (const { sub, trial_end } of extended) {
      const end = Number(trial_end);
      const [invoices, subscription, bought] = await Promise.all([
        w.h.stripe.invoices.list({ subscription: sub, limit: 100 }),
        w.h.stripe.subscriptions.retrieve(sub),
        query<{ invoice: string }>(w, 'SELECT stripe_invoice_id AS invoice FROM purchases WHERE account_id = $1', [
          account.accountId,
        ]),
      ]);
      const owned = new Set(bought.map((row) => row.invoice));
      const cycles = new Map<number, string>();
      for (const invoice of invoices.data) {
        if (invoice.amount_paid <= 0 || owned.has(invoice.id ?? '')) continue;
        if (invoice.created < end)
          fail(
            'trial_first_charge',
            `${sub} trial extended to ${new Date(end * 1000).toISOString()} but ${invoice.id} (${invoice.billing_reason}) charged ${invoice.amount_paid} at ${new Date(invoice.created * 1000).toISOString()}`,
          );
        // never twice: one paid cycle invoice per period the subscription bills
        const start = invoice.lines.data.find((line) => line.parent?.type === 'subscription_item_details')?.period
          .start;
        if (invoice.billing_reason !== 'subscription_cycle' || start === undefined) continue;
        const other = cycles.get(start);
        if (other)
          fail('trial_first_charge', `${sub}: ${other} and ${invoice.id} both charged the period from ${start}`);
        cycles.set(start, invoice.id ?? '');
      }
      // NOTE: a later trial_end is no violation: a refund's reversal may give the previous items back
      // free until their paid period ends as a trial (src/guarantees/reverse-purchase.ts).
      if (subscription.status === 'trialing' && (subscription.trial_end ?? 0) < end)
        fail('trial_first_charge', `${sub} still trialing, trial_end ${subscription.trial_end}; extended to ${end}`);
    }
  }
  return out;
}
