import { intentOf, type AccountCheck, type PurchaseRow } from './money-stripe-view';

/** The charge invariants of one account: every charge quoted, consented to, never after a refusal. */
export async function chargeViolations({ w, account, s, purchases, invoiceById, inFlight, fail }: AccountCheck) {
  const db = w.h.db.dataSource;
  // 3. charge_equals_quote: a purchase's amount, its Stripe invoice's amount_paid and the applied
  // change's amount_charged all equal the quote's amount_due_now (to the minor unit).
  for (const p of purchases) {
    if (p.quote_amount === null) continue;
    const quoted = Number(p.quote_amount);
    const invoice = p.stripe_invoice_id ? invoiceById.get(p.stripe_invoice_id) : undefined;
    const seen = [
      `purchase ${p.amount}`,
      ...(invoice ? [`invoice ${invoice.id} amount_paid ${invoice.amount_paid} (${invoice.status})`] : []),
      ...(p.result?.amount_charged !== undefined ? [`amount_charged ${p.result.amount_charged}`] : []),
    ];
    if (
      Number(p.amount) !== quoted ||
      (invoice && invoice.amount_paid !== quoted) ||
      (p.result?.amount_charged !== undefined && p.result.amount_charged !== quoted)
    )
      fail('charge_equals_quote', `${p.kind} ${p.id}: quoted ${quoted}, ${seen.join(', ')}`);
  }
  const applied: Array<{ id: string; amount_charged: string; quote_amount: string; purchase: string | null }> =
    await db.query(
      `SELECT o.id, o.result->>'amount_charged' AS amount_charged, q.amount_due_now AS quote_amount, p.id AS purchase
     FROM billing_operations o JOIN quotes q ON q.id = o.quote_id LEFT JOIN purchases p ON p.operation_id = o.id
     WHERE o.account_id = $1 AND o.result->>'status' = 'applied' AND o.result ? 'amount_charged'`,
      [account.accountId],
    );
  for (const op of applied) {
    if (Number(op.amount_charged) !== Number(op.quote_amount))
      fail(
        'charge_equals_quote',
        `operation ${op.id} applied: charged ${op.amount_charged}, quoted ${op.quote_amount}`,
      );
    if (Number(op.amount_charged) > 0 && !op.purchase)
      fail(
        'charge_equals_quote',
        `operation ${op.id} applied and charged ${op.amount_charged} but recorded no purchase`,
      );
  }

  // 4. charge_has_consent: every charge is either a renewal of what the customer holds or a
  // purchase they were quoted. A paid non-renewal invoice belongs to exactly one purchase; a charge
  // outside invoices (Checkout in payment mode) to a purchase; a renewal invoice bills only the
  // subscription's items (a one-time line on it is a charge nobody consented to; seq. 9).
  // NOTE: while an operation is interrupted (`claimed`/`sent`: Stripe's answer was lost) its charge
  // may be in Stripe before its purchase is recorded; the janitor or the client's retry records it.
  // Such a charge is "in flight": not a violation yet, and left out of the revenue comparison.
  const [interrupted] = await db.query(
    `SELECT count(*)::int AS n FROM billing_operations WHERE account_id = $1 AND state IN ('claimed', 'sent')`,
    [account.accountId],
  );
  const waiting = Number(interrupted?.n) > 0;
  const unowned = (what: string, chargeIds: string[]) => {
    if (waiting) chargeIds.forEach((id) => inFlight.add(id));
    else fail('charge_has_consent', what);
  };
  const chargesOfInvoice = (invoiceId: string) =>
    s.charges.filter((charge) => s.invoiceOfIntent.get(intentOf(charge) ?? '') === invoiceId).map((c) => c.id);
  const byInvoice = new Map<string, PurchaseRow[]>();
  for (const p of purchases)
    if (p.stripe_invoice_id) byInvoice.set(p.stripe_invoice_id, [...(byInvoice.get(p.stripe_invoice_id) ?? []), p]);
  for (const invoice of s.invoices) {
    if (invoice.status !== 'paid' || !invoice.id) continue;
    if (invoice.billing_reason === 'subscription_cycle') {
      const oneTime = invoice.lines.data.filter((line) => line.parent?.type === 'invoice_item_details');
      if (oneTime.length > 0)
        fail(
          'charge_has_consent',
          `renewal ${invoice.id} (${invoice.amount_paid}) bills ${oneTime.map((l) => `${l.description} ${l.amount}`).join(', ')}`,
        );
      continue;
    }
    const owners = byInvoice.get(invoice.id) ?? [];
    if (invoice.amount_paid > 0 && owners.length > 1)
      fail(
        'charge_has_consent',
        `invoice ${invoice.id} (${invoice.billing_reason}) paid ${invoice.amount_paid} with ${owners.length} purchases`,
      );
    if (invoice.amount_paid > 0 && owners.length === 0)
      unowned(
        `invoice ${invoice.id} (${invoice.billing_reason}) paid ${invoice.amount_paid} with no purchase`,
        chargesOfInvoice(invoice.id),
      );
  }
  for (const charge of s.charges) {
    const intent = intentOf(charge);
    if (intent && s.invoiceOfIntent.has(intent)) continue;
    if (!purchases.some((p) => p.stripe_charge_id === charge.id || (intent && p.stripe_payment_intent_id === intent)))
      unowned(`charge ${charge.id} ${charge.amount_captured} ${charge.currency} has no invoice and no purchase`, [
        charge.id,
      ]);
  }

  // 4b. refusal_is_final: a change the client was told failed (4xx, 502) is never charged later
  // (by the janitor, a webhook or a retry): that would be a charge without consent (seq. 8).
  const quoteOf: Array<{ quote_id: string; id: string; amount: string }> = await db.query(
    `SELECT o.quote_id, p.id, p.amount FROM purchases p JOIN billing_operations o ON o.id = p.operation_id
     WHERE p.account_id = $1 AND o.quote_id IS NOT NULL`,
    [account.accountId],
  );
  for (const row of quoteOf) {
    const refusal = w.refused.get(row.quote_id);
    if (refusal)
      fail(
        'refusal_is_final',
        `purchase ${row.id} charged ${row.amount} for quote ${row.quote_id} answered ${refusal}`,
      );
  }
}
