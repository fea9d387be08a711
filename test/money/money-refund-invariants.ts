import { isProration, netOf, priceOfLine, type AccountCheck } from './money-stripe-view';
import { operatorCredit } from './money-journal-invariants';

/** The refund invariants of one account: refunds within what was captured, per charge and per purchase; no stray item. */
export async function refundViolations({ w, account, s, purchases, invoiceById, fail }: AccountCheck) {
  const db = w.h.db.dataSource;
  // 5. refund_within_captured: per charge Stripe's refunds never exceed what it captured; per
  // customer, refunds plus the credit balance Stripe still owes never exceed all that was captured.
  let captured = 0;
  let refunded = 0;
  for (const charge of s.charges) {
    captured += charge.amount_captured;
    refunded += charge.amount_refunded;
    if (charge.amount_refunded > charge.amount_captured)
      fail(
        'refund_within_captured',
        `charge ${charge.id}: refunded ${charge.amount_refunded} > captured ${charge.amount_captured}`,
      );
  }
  // NOTE: credit an operator granted is a gift, not money returned: left out (money-journal-invariants.ts).
  const credit = Math.max(0, -s.balance - (await operatorCredit(w, account)));
  if (refunded + credit > captured)
    fail('refund_within_captured', `customer: refunded ${refunded} + credit balance ${credit} > captured ${captured}`);

  // NOTE: amounts net of their discounts: with itemized proration discounts (flexible billing mode)

  // 6. refund_within_purchase (the ledger): for a refunded purchase, Stripe's refunds on its charge
  // plus the proration credit Stripe already returned for the prices it paid for, on time it paid
  // for (a later invoice's negative proration line for that price whose period starts before the
  // purchase's paid period ended), never exceed what its charge captured (seq. 4, 5, 11).
  const chargeById = new Map(s.charges.map((charge) => [charge.id, charge]));
  for (const p of purchases) {
    const charge = p.stripe_charge_id ? chargeById.get(p.stripe_charge_id) : undefined;
    if (!charge || charge.amount_refunded === 0) continue;
    const bought = p.stripe_invoice_id ? invoiceById.get(p.stripe_invoice_id) : undefined;
    if (!bought) continue;
    let credited = 0;
    for (const line of bought.lines.data) {
      if (netOf(line) <= 0) continue;
      const price = priceOfLine(line);
      let returned = 0;
      for (const later of s.invoices) {
        if (
          later.id === bought.id ||
          later.created < bought.created ||
          later.status === 'void' ||
          later.status === 'draft'
        )
          continue;
        for (const credit of later.lines.data)
          if (
            netOf(credit) < 0 &&
            isProration(credit) &&
            priceOfLine(credit) === price &&
            credit.period.start < line.period.end
          )
            returned += -netOf(credit);
      }
      credited += Math.min(returned, netOf(line));
    }
    if (charge.amount_refunded + credited > charge.amount_captured)
      fail(
        'refund_within_purchase',
        `${p.kind} ${p.id} captured ${charge.amount_captured}: refunded ${charge.amount_refunded} + credited back ${credited} for the same items`,
      );
  }

  // 7. pending_item_has_owner: an invoice item waiting for the next invoice belongs to an
  // unfinished operation (about to invoice it) or to a purchase; otherwise a renewal bills it (seq. 9).
  for (const item of s.pendingItems) {
    const operationId = item.metadata?.tierlift_operation_id;
    const [owner] = operationId
      ? await db.query(
          `SELECT o.state, p.id AS purchase FROM billing_operations o LEFT JOIN purchases p ON p.operation_id = o.id WHERE o.id = $1`,
          [operationId],
        )
      : [];
    const unfinished = owner && ['claimed', 'sent', 'awaiting_customer'].includes(owner.state);
    if (!unfinished && !owner?.purchase)
      fail(
        'pending_item_has_owner',
        `pending ${item.id} ${item.description ?? ''} ${item.amount} (operation ${operationId ?? 'none'}, ${owner?.state ?? 'no row'})`,
      );
  }
}
