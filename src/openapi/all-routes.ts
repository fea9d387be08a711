import { accountsRouteSpecs } from '../accounts/accounts.openapi';
import { adminRequestsRouteSpecs } from '../admin-requests/admin-requests.openapi';
import { invoicesRouteSpecs } from '../invoices/invoices.openapi';
import { analyticsRouteSpecs } from '../analytics/analytics.openapi';
import { billingRouteSpecs } from '../billing/billing.openapi';
import { paymentMethodRouteSpecs } from '../billing/payment-method.openapi';
import { catalogRouteSpecs } from '../catalog/catalog.openapi';
import { experimentsRouteSpecs } from '../experiments/experiments.openapi';
import { guaranteesRouteSpecs } from '../guarantees/guarantees.openapi';
import { demoRouteSpecs } from '../local/demo.openapi';
import { offersRouteSpecs } from '../offers/offers.openapi';
import { offerCopyRouteSpecs } from '../offers/offer-copy.openapi';
import { opsRouteSpecs } from '../ops/ops.openapi';
import { usageRouteSpecs } from '../usage/usage.openapi';
import { webhooksRouteSpecs } from '../webhooks/webhooks.openapi';
import { webRouteSpecs } from '../web/web.openapi';
import { eventsRouteSpecs } from '../events/events.openapi';
import { openApiRouteSpecs } from './openapi.openapi';
import { operatorsRouteSpecs } from '../operators/operators.openapi';
import { customersRouteSpecs } from '../customers/customers.openapi';
import type { RouteSpec } from './route-spec';
import { lifecycleRouteSpecs } from '../lifecycle/lifecycle.openapi';

/**
 * Every route of the app, as /openapi.json documents it.
 *
 * Adding a route? Describe it in your module's `src/<module>/<module>.openapi.ts` (create one
 * exporting a `RouteSpec[]` if the module has none, and add it to the list below):
 *   - `params` / `query` / `body`: import the very zod schemas the route passes to parseInput;
 *   - `responses`: a zod schema per status for what the route answers (strict objects; loose only
 *     where a part is genuinely open-ended); common errors (401/403/422/400/413/500) are added for you,
 *     and 502/503 with `callsStripe: true`; `localOnly: true` for a route mounted only in local mode;
 *   - then add a scenario for it in test/openapi/scenarios.ts: test/openapi/openapi-contract.test.ts
 *     fails while a route is missing here, has no scenario, or answers something its spec does not say.
 */
export const allRouteSpecs: readonly RouteSpec[] = [
  ...opsRouteSpecs,
  ...openApiRouteSpecs,
  ...accountsRouteSpecs,
  ...catalogRouteSpecs,
  ...usageRouteSpecs,
  ...offersRouteSpecs,
  ...offerCopyRouteSpecs,
  ...billingRouteSpecs,
  ...paymentMethodRouteSpecs,
  ...guaranteesRouteSpecs,
  ...experimentsRouteSpecs,
  ...analyticsRouteSpecs,
  ...webhooksRouteSpecs,
  ...eventsRouteSpecs,
  ...webRouteSpecs,
  ...adminRequestsRouteSpecs,
  ...invoicesRouteSpecs,
  ...lifecycleRouteSpecs,
  ...demoRouteSpecs,
  ...operatorsRouteSpecs,
  ...customersRouteSpecs,
];
