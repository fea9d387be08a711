/**
 * Fields Stripe always sends that the emulator does not model, with the value Stripe sends
 * when the feature is unused (API reference, docs.stripe.com/api, at 2026-10-28.endive).
 * Keyed by `object`, then by a path inside it (`a.b` nests, `a[]` walks an array). A default
 * only fills a field that is absent and whose parent is present: what the emulator computes
 * always wins. Measured by `npm run emulator:conformance`.
 */
type Default = unknown | ((owner: Record<string, unknown>, root: Record<string, unknown>) => unknown);

const nulls = (...fields: string[]): Record<string, null> => Object.fromEntries(fields.map((field) => [field, null]));
const under = (prefix: string, fields: Record<string, Default>): Record<string, Default> =>
  Object.fromEntries(Object.entries(fields).map(([field, value]) => [`${prefix}.${field}`, value]));

const ADDRESS = nulls('city', 'country', 'line1', 'line2', 'postal_code', 'state');
const INVOICE_ISSUER = { type: 'self' };
const CARD_DETAILS = nulls(
  'checks',
  'networks',
  'regulated_status',
  'three_d_secure_usage',
  'wallet',
  'generated_from',
);

const DEFAULTS: Record<string, Record<string, Default>> = {
  charge: {
    ...nulls('application', 'application_fee', 'application_fee_amount', 'calculated_statement_descriptor'),
    ...nulls('failure_balance_transaction', 'on_behalf_of', 'receipt_email', 'receipt_number', 'review'),
    ...nulls('shipping', 'source', 'source_transfer', 'statement_descriptor', 'statement_descriptor_suffix'),
    ...nulls('transfer_data', 'transfer_group'),
    fraud_details: {},
    billing_details: () => ({ address: { ...ADDRESS }, email: null, name: null, phone: null, tax_id: null }),
    ...under('outcome', nulls('advice_code', 'network_advice_code', 'network_decline_code')),
    ...under(
      'payment_method_details.card',
      nulls('amount_authorized', 'authorization_code', 'checks', 'electronic_commerce_indicator', 'installments'),
    ),
    ...under(
      'payment_method_details.card',
      nulls('mandate', 'network_transaction_id', 'regulated_status', 'three_d_secure', 'transaction_link_id', 'wallet'),
    ),
  },
  'checkout.session': {
    ...nulls('adaptive_pricing', 'after_expiration', 'allow_promotion_codes', 'allowed_payment_method_types'),
    ...nulls('billing_address_collection', 'client_secret', 'collected_information', 'consent', 'consent_collection'),
    ...nulls('currency_conversion', 'customer_account', 'customer_creation', 'integration_identifier'),
    ...nulls('invoice_creation', 'managed_payments', 'origin_context', 'payment_link', 'payment_method_collection'),
    ...nulls('payment_method_configuration_details', 'payment_method_options', 'permissions', 'recovered_from'),
    ...nulls('saved_payment_method_options', 'setup_intent', 'shipping_address_collection', 'shipping_cost'),
    ...nulls('submit_type', 'wallet_options'),
    automatic_tax: () => ({ enabled: false, liability: null, provider: null, status: null }),
    custom_fields: () => [],
    custom_text: () => nulls('after_submit', 'shipping_address', 'submit', 'terms_of_service_acceptance'),
    payment_method_types: () => ['card'],
    shipping_options: () => [],
    ...under(
      'customer_details',
      nulls('address', 'business_name', 'individual_name', 'phone', 'tax_exempt', 'tax_ids'),
    ),
  },
  discount: nulls('customer_account', 'subscription_item'),
  invoice: {
    ...nulls('account_tax_ids', 'application', 'custom_fields', 'customer_account', 'customer_address'),
    ...nulls('customer_phone', 'customer_shipping', 'customer_tax_exempt', 'default_source', 'footer'),
    ...nulls('from_invoice', 'latest_revision', 'on_behalf_of', 'receipt_number', 'rendering', 'shipping_cost'),
    ...nulls('shipping_details', 'statement_descriptor', 'total_pretax_credit_amounts'),
    default_tax_rates: () => [],
    issuer: () => ({ ...INVOICE_ISSUER }),
    payment_settings: () => nulls('default_mandate', 'payment_method_options', 'payment_method_types'),
  },
  invoiceitem: {
    ...nulls('customer_account', 'tax_rates'),
    quantity_decimal: (item: Record<string, unknown>) => String(item.quantity ?? 1),
  },
  line_item: {
    quantity_decimal: (line: Record<string, unknown>) =>
      typeof line.quantity === 'number' ? String(line.quantity) : null,
  },
  payment_intent: {
    ...nulls('allowed_payment_method_types', 'application', 'application_fee_amount', 'customer_account'),
    ...nulls('excluded_payment_method_types', 'managed_payments', 'on_behalf_of', 'payment_record', 'processing'),
    ...nulls('payment_method_configuration_details', 'payment_method_options', 'receipt_email', 'review'),
    ...nulls('shipping', 'source', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_group'),
  },
  payment_method: { customer_account: null, ...under('card', CARD_DETAILS) },
  plan: nulls('meter', 'tiers_mode', 'transform_usage', 'trial_period_days'),
  product: { tax_details: null },
  refund: {
    ...nulls('customer_account', 'payment_method'),
    customer: null,
  },
  subscription: {
    ...nulls('billing_thresholds', 'customer_account', 'managed_payments', 'next_pending_invoice_item_invoice'),
    billing_schedules: () => [],
    'billing_mode.flexible': null,
    'cancellation_details.feedback_option': null,
    ...under('invoice_settings', nulls('custom_fields', 'description', 'footer')),
    'items.data[].current_trial': null,
    'trial_settings.end_behavior.billing_cycle_anchor': null,
  },
  subscription_item: { current_trial: null },
  subscription_schedule: {
    customer_account: null,
    pause_schedules: () => [],
    // NOTE: a schedule bills in the mode of the subscription it manages (docs.stripe.com/billing/subscriptions/billing-mode).
    billing_mode: () => ({ type: 'classic', flexible: null }),
    ...under(
      'default_settings',
      nulls('application_fee_percent', 'billing_thresholds', 'on_behalf_of', 'transfer_data'),
    ),
    'billing_mode.flexible': null,
    'default_settings.invoice_settings': () => ({
      ...nulls('account_tax_ids', 'custom_fields', 'days_until_due', 'description', 'footer'),
      issuer: { ...INVOICE_ISSUER },
    }),
    ...under('default_settings.invoice_settings', nulls('custom_fields', 'description', 'footer')),
    ...under('phases[]', nulls('application_fee_percent', 'billing_thresholds', 'on_behalf_of', 'transfer_data')),
    'phases[].items[].billing_thresholds': null,
    'phases[].items[].plan': (item: Record<string, unknown>) => item.price,
  },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fillPath(owner: unknown, segments: string[], value: Default, root: Record<string, unknown>): void {
  if (!isRecord(owner)) return;
  const [head, ...rest] = segments as [string, ...string[]];
  const walks = head.endsWith('[]');
  const key = walks ? head.slice(0, -2) : head;
  if (rest.length === 0) {
    if (!(key in owner))
      owner[key] = typeof value === 'function' ? (value as (o: unknown, r: unknown) => unknown)(owner, root) : value;
    return;
  }
  const child = owner[key];
  if (walks && Array.isArray(child)) for (const entry of child) fillPath(entry, rest, value, root);
  else if (!walks) fillPath(child, rest, value, root);
}

/** Fills, in place and through every nested object, the fields Stripe sends that the emulator leaves out. */
export function fillStripeDefaults<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const entry of value) fillStripeDefaults(entry);
    return value;
  }
  if (!isRecord(value)) return value;
  for (const child of Object.values(value)) fillStripeDefaults(child);
  const defaults = typeof value.object === 'string' ? DEFAULTS[value.object] : undefined;
  for (const [path, fallback] of Object.entries(defaults ?? {})) fillPath(value, path.split('.'), fallback, value);
  return value;
}
