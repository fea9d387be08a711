import type { UpdateParams } from './apply-subscription-update';
import type { BillingDeps } from './billing-deps';
import { askStripe, callStripe } from './call-stripe';
import type { Operation } from './operation-journal';
import { stepKey } from './step-key';

/**
 * A bundle's one-time items, with their discount, as pending invoice items of the subscription:
 * the update's `always_invoice` invoice takes them in, so the bundle is one invoice, paid first.
 * NOTE: pending updates refuse `add_invoice_items[].discounts`, hence this step. Derived keys make
 * a repeat replay the same items. Should the update then be refused outright, the items are
 * deleted so that no later invoice picks them up; an update left pending that expires voids its
 * invoice, items included.
 */
export async function addBundleInvoiceItems(
  deps: BillingDeps,
  operation: Operation,
  params: UpdateParams,
): Promise<void> {
  const bundle = params.bundle;
  if (!bundle) return;
  const made = operation.attempts > 0 ? await pendingItemIndexes(deps, operation, params.customer) : new Set();
  for (const [index, item] of bundle.invoice_items.entries()) {
    if (made.has(String(index))) continue;
    const metadata = {
      tierlift_operation_id: operation.id,
      tierlift_bundle: bundle.code,
      tierlift_item_index: String(index),
    };
    await callStripe(deps, operation, () =>
      deps.stripe.invoiceItems.create(
        {
          customer: params.customer,
          subscription: params.subscription,
          pricing: { price: item.price },
          quantity: item.quantity,
          ...(item.discounts ? { discounts: item.discounts } : {}),
          metadata,
        },
        { idempotencyKey: stepKey(operation, `bundle-item-${index}`) },
      ),
    );
  }
}

/** A resumed run asks Stripe which of its invoice items already exist (still pending) before making the rest. */
async function pendingItemIndexes(deps: BillingDeps, operation: Operation, customer: string): Promise<Set<string>> {
  const pending = await askStripe(deps, operation, () =>
    deps.stripe.invoiceItems.list({ customer, pending: true, limit: 100 }),
  );
  return new Set(
    pending.data
      .filter((item) => item.metadata?.tierlift_operation_id === operation.id)
      .map((item) => item.metadata?.tierlift_item_index ?? ''),
  );
}

/**
 * A refused bundle's items, still pending, are removed (best effort; logged when it fails). The
 * janitor's `removeFailedBundleItems` repeats this for every recently failed bundle, so a failure
 * or a crash here never leaves them for the next renewal to bill.
 */
export async function removeBundleInvoiceItems(
  deps: BillingDeps,
  operationIds: string | string[],
  customer: string,
): Promise<void> {
  const ids = new Set(typeof operationIds === 'string' ? [operationIds] : operationIds);
  try {
    const pending = await deps.stripe.invoiceItems.list({ customer, pending: true, limit: 100 });
    for (const item of pending.data)
      if (ids.has(item.metadata?.tierlift_operation_id ?? '')) await deps.stripe.invoiceItems.del(item.id);
  } catch (error) {
    deps.logger.error("could not remove a refused bundle update's invoice items", {
      operationIds: [...ids],
      error: String(error),
    });
  }
}
