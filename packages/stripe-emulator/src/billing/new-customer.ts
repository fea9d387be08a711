import type { EmulatorContext } from '../emulator-context';
import { newId } from '../ids';
import type { Customer, TestClock } from '../resource-types';

/** A customer in Stripe's shape, stored; created on the test clock's time when it has one. */
export function insertNewCustomer(
  context: EmulatorContext,
  input: { email?: string | null; clock?: TestClock | null },
): Customer {
  const customer: Customer = {
    id: newId('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created: input.clock ? input.clock.frozen_time : context.realNow(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: input.email ?? null,
    invoice_prefix: newId('', 8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: input.clock?.id ?? null,
  };
  return context.store.insert(customer);
}
