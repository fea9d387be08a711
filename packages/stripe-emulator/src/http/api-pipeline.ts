import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorCore } from '../emulator-core';
import { API_VERSION } from '../emulator-context';
import type { FaultInjector, FaultSpec } from '../infrastructure/faults';
import type { IdempotencyKeys, StoredResponse } from '../infrastructure/idempotency';
import type { RequestLog } from '../infrastructure/request-log';
import { newId } from '../ids';
import { renderResource } from '../render';
import { fillStripeDefaults } from '../stripe-defaults';
import type { Resource } from '../resource-types';
import { StripeEmulatorError } from '../stripe-error';
import { faultError } from '../infrastructure/fault-errors';
import { applyExpansions } from './expand';
import { authenticate } from './authenticate';
import { decodeForm, type FormObject } from './form-decoder';
import { parseParams } from './param-schema';
import { matchRoute, type Route, type RouteMatch } from './route';

export interface ApiDependencies {
  core: EmulatorCore;
  routes: Route[];
  faults: FaultInjector;
  idempotency: IdempotencyKeys;
  requestLog: RequestLog;
}

interface ApiRequest {
  method: string;
  path: string;
  params: FormObject;
  idempotencyKey: string | null;
  requestId: string;
}

const VALIDATION_CODES = new Set([
  'parameter_unknown',
  'parameter_missing',
  'parameter_invalid_integer',
  'parameter_invalid_string',
  'parameter_invalid_boolean',
  'parameter_invalid_array',
  'parameter_invalid_hash',
]);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** `/v1/...` requests: auth → route → idempotency → faults → execute (one unit of work) → respond. */
export class ApiPipeline {
  constructor(private readonly deps: ApiDependencies) {}

  async handle(request: IncomingMessage, response: ServerResponse, url: URL, body: string): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    const header = request.headers['idempotency-key'];
    const api: ApiRequest = {
      method,
      path: url.pathname,
      params: method === 'POST' ? decodeForm(body) : decodeForm(url.search.slice(1)),
      idempotencyKey: typeof header === 'string' ? header : null,
      requestId: newId('req', 14),
    };
    const log = (status: number | null, fault: string | null = null) =>
      this.deps.requestLog.record({
        method,
        path: api.path,
        params: api.params,
        idempotencyKey: api.idempotencyKey,
        status,
        at: this.deps.core.realNow(),
        requestId: api.requestId,
        fault,
      });
    let stored: StoredResponse;
    let replayed = false;
    let faultKind: string | null = null;
    try {
      authenticate(request);
      const match = matchRoute(this.deps.routes, method, api.path);
      if (!match)
        throw new StripeEmulatorError(404, {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method}: ${api.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        });
      const keyed = method === 'POST' && api.idempotencyKey !== null;
      const decision = keyed
        ? this.deps.idempotency.begin(api.idempotencyKey as string, canonical({ path: api.path, params: api.params }))
        : { kind: 'execute' as const };
      if (decision.kind === 'replay') {
        stored = decision.response;
        replayed = true;
      } else {
        const before = this.deps.faults.take(method, api.path, 'before');
        faultKind = before?.kind ?? null;
        if (before && (await this.interrupts(before, api, keyed, response, log))) return;
        stored = this.executeKeyed(api, match, keyed);
      }
    } catch (error) {
      stored = this.errorResponse(error, api.requestId);
      if (!(error instanceof StripeEmulatorError))
        this.deps.core.log('error', 'emulator request failed', { path: api.path, error: String(error) });
    }
    const after = this.deps.faults.take(method, api.path, 'after');
    if (after) {
      faultKind = after.kind;
      if (after.kind === 'drop_connection') {
        log(null, after.kind);
        response.socket?.destroy();
        return;
      }
      if (after.kind === 'delay') await sleep(after.delayMs ?? 1000);
      else stored = this.errorResponse(faultError(after), api.requestId);
    }
    this.send(response, stored, api, replayed);
    log(stored.status, faultKind);
  }

  /**
   * A fault before execution: a delay lets the request go on (still holding its
   * idempotency key); an error or a dropped connection stops it before anything runs.
   */
  private async interrupts(
    fault: FaultSpec,
    api: ApiRequest,
    keyed: boolean,
    response: ServerResponse,
    log: (status: number | null, fault: string | null) => void,
  ): Promise<boolean> {
    if (fault.kind === 'delay') {
      await sleep(fault.delayMs ?? 1000);
      return false;
    }
    if (fault.kind === 'api_error_500' && keyed) {
      // NOTE: Stripe saves a 500 once the request began executing and replays it for that key
      // (STRIPE.md; docs.stripe.com/api/idempotent_requests), with Stripe-Should-Retry: false: a
      // retry with the same key cannot carry the request forward; ask Stripe for the object instead.
      const error = faultError(fault, { 'Stripe-Should-Retry': 'false' });
      this.deps.idempotency.complete(api.idempotencyKey as string, this.errorResponse(error, api.requestId));
      throw error;
    }
    if (keyed) this.deps.idempotency.release(api.idempotencyKey as string);
    if (fault.kind === 'drop_connection') {
      log(null, fault.kind);
      response.socket?.destroy();
      return true;
    }
    throw faultError(fault);
  }

  /** Runs the endpoint; its result (errors included, validation errors excepted) is saved under the key. */
  private executeKeyed(api: ApiRequest, match: RouteMatch, keyed: boolean): StoredResponse {
    try {
      const result = this.execute(api, match);
      if (keyed) this.deps.idempotency.complete(api.idempotencyKey as string, result);
      return result;
    } catch (error) {
      const isValidation = error instanceof StripeEmulatorError && VALIDATION_CODES.has(error.fields.code ?? '');
      if (keyed && isValidation) this.deps.idempotency.release(api.idempotencyKey as string);
      else if (keyed)
        this.deps.idempotency.complete(api.idempotencyKey as string, this.errorResponse(error, api.requestId));
      throw error;
    }
  }

  private execute(api: ApiRequest, match: RouteMatch): StoredResponse {
    const mutates = api.method !== 'GET';
    const output = this.deps.core.run(
      {
        requestId: api.requestId,
        idempotencyKey: api.idempotencyKey,
        mutates,
        discardChanges: match.route.discardChanges,
      },
      (context) => {
        const params = parseParams(match.route.params, api.params) as Record<string, unknown> & { expand?: string[] };
        const result = match.route.handle({ context, params, path: match.path }) as Record<string, unknown>;
        return applyExpansions(context.store, this.render(result), params.expand ?? []);
      },
    );
    return { status: 200, body: JSON.stringify(output, null, 2) };
  }

  /**
   * Stored resources and embedded ones (subscription items) are rendered in their API
   * shape; anything else a route built itself (a create-only secret) is sent as built.
   */
  private render(result: Record<string, unknown>): Record<string, unknown> {
    const store = this.deps.core.store;
    const renderOne = (entry: Record<string, unknown>) => {
      const resource = entry as Resource;
      const renderable =
        store.get(resource.id) === entry || (resource.object === 'subscription_item' && 'price' in resource);
      return renderable
        ? renderResource(store, resource)
        : fillStripeDefaults(JSON.parse(JSON.stringify(entry)) as Record<string, unknown>);
    };
    if (result.object === 'list' && Array.isArray(result.data)) {
      return { ...result, data: (result.data as Array<Record<string, unknown>>).map(renderOne) };
    }
    return renderOne(result);
  }

  private errorResponse(error: unknown, requestId: string): StoredResponse {
    const stripeError =
      error instanceof StripeEmulatorError
        ? error
        : new StripeEmulatorError(500, { type: 'api_error', message: 'An unknown error occurred' });
    return {
      status: stripeError.statusCode,
      body: JSON.stringify(stripeError.toBody(requestId), null, 2),
      headers: stripeError.headers,
    };
  }

  private send(response: ServerResponse, final: StoredResponse, api: ApiRequest, replayed: boolean): void {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Request-Id': api.requestId,
      'Stripe-Version': API_VERSION,
      ...(api.idempotencyKey ? { 'Idempotency-Key': api.idempotencyKey } : {}),
      ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
      ...(final.headers ?? {}),
    };
    response.writeHead(final.status, headers);
    response.end(final.body);
  }
}
