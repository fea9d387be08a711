import { z } from 'zod';

/** Who may call a route; each maps to one or more OpenAPI security schemes. */
export type RouteSecurity = 'user' | 'server' | 'admin' | 'server_or_admin' | 'none' | 'stripe_signature';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  /** The body's schema; absent for an empty body (204). */
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
}

/**
 * One route as the API reference shows it. `params`, `query` and `body` are the very zod schemas
 * the route validates with (imported from the module's validators), so the document cannot drift
 * from what the route accepts; `responses` are the schemas of what it answers (per-module
 * `*.openapi.ts` files), checked against real answers by test/openapi/openapi-contract.test.ts.
 */
export interface RouteSpec {
  method: HttpMethod;
  /** OpenAPI style: `/v1/changes/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  security: RouteSecurity;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success and route-specific error answers by status; the builder adds the common errors (see common-errors). */
  responses: Record<number, ResponseSpec>;
  idempotencyKey?: 'required' | 'optional';
  /** The route calls Stripe: its 502 (Stripe refused the request) and 503 (busy or unreachable) are documented. */
  callsStripe?: boolean;
  /** Mounted only in local mode (demo data on, never production): the document lists it only there. */
  localOnly?: boolean;
  /** Defaults to one derived from method and path. */
  operationId?: string;
}

/** The shared error body (src/shared/http/error-handler.ts); a component of the document. */
export const errorBodySchema = z
  .strictObject({
    // NOTE: loose: AppError.details adds route-specific fields beside the standard ones
    // (a stale quote's `reason`, an expired one's `expired_at` …).
    error: z.looseObject({
      type: z.enum([
        'invalid_request_error',
        'authentication_error',
        'permission_error',
        'not_found',
        'conflict',
        'rate_limit_error',
        'payment_error',
        'api_error',
      ]),
      code: z.string().meta({ description: 'Machine-readable reason, e.g. `validation_failed`.' }),
      message: z.string(),
      param: z.string().optional().meta({ description: 'The first field at fault.' }),
      request_id: z.string(),
      errors: z
        .array(z.strictObject({ param: z.string(), message: z.string() }))
        .optional()
        .meta({ description: 'Every problem found (validation failures).' }),
    }),
  })
  .meta({ id: 'Error' });

/** A route-specific error answer: the shared error body with this description. */
export const errorResponse = (description: string): ResponseSpec => ({ description, schema: errorBodySchema });
