/**
 * The billing page's API shapes, named from the types generated from the server's own response
 * schemas (npm run generate:client-types), so they cannot drift from what the server sends.
 */
import type { components } from './api-types.generated';
import type { AccountView } from './tierlift-types';

type Schemas = components['schemas'];

export type AdminRequest = Schemas['AdminRequest'];
export type AdminRequestKind = AdminRequest['kind'];
/** `GET /v1/subscription/cancel-preview`: cancelling at period end, and the smaller plans that would hold current usage. */
export type CancelPreview = Schemas['CancelPreview'];
export type CancelAlternative = CancelPreview['alternatives'][number];
export type InvoiceSummary = Schemas['Invoice'];
/** GET /v1/account `payment_method`: the customer's default card. */
export type CardSummary = NonNullable<AccountView['payment_method']>;
/** POST /v1/payment-method/sessions: Stripe Checkout in setup mode. */
export type PaymentMethodSession = Schemas['PaymentMethodSession'];
