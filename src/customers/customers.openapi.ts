import { z } from 'zod';
import { changeSchema } from '../billing/billing.openapi';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { listOf, timestamp } from '../openapi/response-schemas';
import { emptyBodySchema } from '../shared/http/validate';
import {
  customerParams,
  extendTrialBody,
  grantCreditBody,
  invoiceParams,
  searchCustomersQuery,
  timelineQuery,
} from './customers.validators';

/** customerView (src/customers/customers.repository.ts). */
const customer = {
  object: z.literal('customer'),
  id: z.string(),
  name: z.string(),
  email: z.string(),
  country: z.string(),
  stripe_customer_id: z.string().nullable(),
  signed_up_at: timestamp,
};

const timelineEntry = z.strictObject({
  at: timestamp,
  kind: z.string().meta({
    description:
      '`usage.threshold_crossed`, `prompt.impression|click|dismiss…`, `quote`, `change.<kind>`, `payment`, `refund`, `webhook.<type>`, `outbound.<type>`.',
  }),
  summary: z.record(z.string(), z.unknown()),
});

const missing = errorResponse('No account with this id.');
const tags = ['Customers'];

const onBehalf = (path: string, summary: string): RouteSpec => ({
  method: 'post',
  path,
  summary,
  description: "The end user's billing use case run for the account's owner: the same journal and Stripe keys.",
  tags,
  security: 'admin',
  callsStripe: true,
  idempotencyKey: 'optional',
  params: customerParams,
  body: emptyBodySchema,
  responses: { 200: { description: 'What happened.', schema: changeSchema }, 404: missing },
});

/** operatorActionAnswer (src/billing/operator-action.ts): the journal entry and what happened. */
const operation = {
  object: z.literal('operation'),
  operation_id: z.string(),
};

const credited = z.strictObject({
  ...operation,
  kind: z.literal('credit'),
  status: z.literal('credited'),
  balance_transaction: z.string().meta({ description: 'The Stripe customer balance transaction (`cbtxn_…`).' }),
  amount: z.number().int().meta({ description: 'The credit given, minor units.' }),
  currency: z.string(),
  ending_balance: z.number().int().meta({ description: "The customer's Stripe balance after it (negative = credit)." }),
});

const invoiceSent = z.strictObject({
  ...operation,
  kind: z.literal('send_invoice'),
  status: z.literal('invoice_sent'),
  invoice: z.string(),
  invoice_status: z.string().nullable(),
});

const trialExtended = z.strictObject({
  ...operation,
  kind: z.literal('extend_trial'),
  status: z.literal('trial_extended'),
  trial_end: timestamp,
  previous_trial_end: timestamp,
  effective_at: timestamp,
});

const busy = errorResponse("`change_in_progress`: the account's billing lane is held by another change or a refund.");

export const customersRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/admin/v1/customers',
    summary: 'Search customers by account id, e-mail, name or Stripe customer id',
    tags,
    security: 'admin',
    query: searchCustomersQuery,
    responses: { 200: { description: 'Matches, exact id first.', schema: listOf(z.strictObject(customer)) } },
  },
  {
    method: 'get',
    path: '/admin/v1/customers/{id}',
    summary: 'One customer and its timeline, newest first',
    tags,
    security: 'admin',
    params: customerParams,
    query: timelineQuery,
    responses: {
      200: {
        description: 'The customer.',
        schema: z.strictObject({ ...customer, timeline: z.array(timelineEntry) }),
      },
      404: missing,
    },
  },
  onBehalf('/admin/v1/customers/{id}/cancel', "Cancel the customer's subscription at the period end"),
  onBehalf('/admin/v1/customers/{id}/resume', "Take back the customer's cancellation"),
  {
    method: 'post',
    path: '/admin/v1/customers/{id}/credits',
    summary: "Grant credit on the customer's Stripe balance",
    description:
      "A Stripe customer balance transaction (a negative amount: credit) that Stripe applies to the next invoice's amount due. Credit, never money returned. Journalled under the account's billing lane.",
    tags,
    security: 'admin',
    callsStripe: true,
    idempotencyKey: 'optional',
    params: customerParams,
    body: grantCreditBody,
    responses: {
      200: { description: 'The credit granted.', schema: credited },
      404: missing,
      409: busy,
      422: errorResponse("Invalid body, or `currency_mismatch`: credit must be in the customer's currency."),
    },
  },
  {
    method: 'post',
    path: '/admin/v1/customers/{id}/invoices/{invoice_id}/send',
    summary: 'Send one of the customer’s invoices again (a paid one is its receipt)',
    description: 'Stripe `POST /v1/invoices/{id}/send`, journalled under the account’s billing lane.',
    tags,
    security: 'admin',
    callsStripe: true,
    idempotencyKey: 'optional',
    params: invoiceParams,
    body: emptyBodySchema,
    responses: {
      200: { description: 'The invoice was sent.', schema: invoiceSent },
      404: errorResponse('No such account, or the invoice is not one of its own.'),
      409: errorResponse('`invoice_not_finalized` (a draft), or `change_in_progress`.'),
    },
  },
  {
    method: 'post',
    path: '/admin/v1/customers/{id}/trial',
    summary: "Extend a trialing subscription's trial",
    description:
      "Stripe `trial_end` with `proration_behavior: 'none'`: the first charge moves to the new end. Later than the current end, at most 90 days ahead. The mirror follows Stripe's webhook.",
    tags,
    security: 'admin',
    callsStripe: true,
    idempotencyKey: 'optional',
    params: customerParams,
    body: extendTrialBody,
    responses: {
      200: { description: 'The trial now ends later.', schema: trialExtended },
      404: errorResponse('No such account, or it has no subscription.'),
      409: errorResponse('`not_trialing`: the subscription is not in a trial; or `change_in_progress`.'),
      422: errorResponse('Invalid body, `trial_end_not_later` or `trial_end_too_far`.'),
    },
  },
];
