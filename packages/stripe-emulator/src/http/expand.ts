import type { EmulatorStore } from '../store';
import type { PaymentIntent, Resource } from '../resource-types';
import { renderResource, STORED_INCLUDABLE } from '../render';
import { invalidRequest } from '../stripe-error';

type Json = Record<string, unknown>;

/** Fields Stripe leaves out unless expanded ("includable"), computed on demand. */
const INCLUDABLE: Record<string, Record<string, (store: EmulatorStore, owner: Json) => unknown>> = {
  invoice: {
    payments: (store, invoice) => ({
      object: 'list',
      data: store
        .all('invoice_payment', (payment) => payment.invoice === invoice.id)
        .reverse()
        .map((payment) => renderResource(store, payment)),
      has_more: false,
      url: `/v1/invoice_payments?invoice=${String(invoice.id)}`,
    }),
    confirmation_secret: (store, invoice) => {
      const paymentIntentId = store.internal.invoicePaymentIntents[String(invoice.id)];
      const paymentIntent = paymentIntentId ? store.find<PaymentIntent>('payment_intent', paymentIntentId) : undefined;
      return paymentIntent ? { client_secret: paymentIntent.client_secret, type: 'payment_intent' } : null;
    },
  },
};

/** A computed includable field, or one the store keeps but rendering leaves out. */
function includedValue(store: EmulatorStore, node: Json, segment: string): unknown {
  const computed = INCLUDABLE[String(node.object)]?.[segment];
  if (computed) return computed(store, node);
  const stored = typeof node.id === 'string' ? store.get(node.id) : undefined;
  if (stored && STORED_INCLUDABLE[stored.object]?.includes(segment))
    return JSON.parse(JSON.stringify(stored[segment] ?? null)) as unknown;
  return undefined;
}

const MAX_DEPTH = 4;

/** Applies `expand[]` paths (`latest_invoice.payments`, `data.customer`) to a rendered response. */
export function applyExpansions(store: EmulatorStore, response: Json, paths: string[]): Json {
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.filter((segment) => segment !== 'data').length > MAX_DEPTH) {
      throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`, {
        param: 'expand',
      });
    }
    expandPath(store, response, segments, path);
  }
  return response;
}

function expandPath(store: EmulatorStore, node: Json, segments: string[], fullPath: string): void {
  const [segment, ...rest] = segments;
  if (segment === undefined) return;
  if (node.object === 'list' && segment === 'data' && Array.isArray(node.data)) {
    for (const entry of node.data as Json[]) expandPath(store, entry, rest, fullPath);
    return;
  }
  if (!(segment in node)) node[segment] = includedValue(store, node, segment);
  const value = node[segment];
  if (typeof value === 'string') {
    const target: Resource | undefined = store.get(value);
    if (!target) throw cannotExpand(segment, fullPath);
    node[segment] = renderResource(store, target);
  } else if (Array.isArray(value)) {
    node[segment] = value.map((entry: unknown) => {
      const target = typeof entry === 'string' ? store.get(entry) : undefined;
      return target ? renderResource(store, target) : entry;
    });
  } else if (value === undefined) {
    throw cannotExpand(segment, fullPath);
  }
  const expanded = node[segment];
  if (rest.length === 0 || expanded === null || typeof expanded !== 'object') return;
  const children = Array.isArray(expanded) ? (expanded as Json[]) : [expanded as Json];
  for (const child of children) expandPath(store, child, rest, fullPath);
}

function cannotExpand(segment: string, fullPath: string) {
  return invalidRequest(
    `This property cannot be expanded (${segment}). You may want to try expanding '${fullPath}' differently.`,
    { param: 'expand' },
  );
}
