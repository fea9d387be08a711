import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger';
import { keptUserPrincipal, type AuthSettings } from './authenticate';
import type { UserPrincipal } from './principal';
import { limitRequest, type RateLimits } from './rate-limit';
import { beginRequest, type ObserveRequest } from './request-context';
import { applyHeaders, type HeaderPair } from './security-headers';

/** An end-user read the front door answers, as its route in the chain would. */
export interface DoorRoute<T> {
  /** The route's pattern, as the access log and the metrics label it. */
  label: string;
  /**
   * What the request asks (its path without the query, and the request), or undefined when this
   * route does not take it exactly as the chain's route would (another path, a bad parameter):
   * the chain then answers it in full, 4xx included.
   */
  take(path: string, req: Request, principal: UserPrincipal): T | undefined;
  /** Answers as the route does; an error (thrown, or the promise's) goes to the app's error handler. */
  answer(req: Request, res: Response, taken: T): void | Promise<void>;
}

export interface FrontDoorDeps {
  auth: AuthSettings;
  logger: Logger;
  observe?: ObserveRequest;
  /** The app's security headers (helmet's, recorded) and end-user CORS: the chain's own. */
  securityHeaders: readonly HeaderPair[];
  cors: (req: Request, res: Response) => boolean;
  /** The chain's own limits (the same buckets and refused addresses). */
  limits: RateLimits;
}

/**
 * End-user reads answered ahead of the middleware chain, for tokens already verified.
 *
 * A SaaS asks for prompts on every page view and checks entitlements in its own request path; most
 * of those answers come from memory (the decision cache, the entitlement cache), and through the
 * chain their cost was the chain: a dozen layers (security headers, context, CORS, the webhook
 * router, limits, the body gate, two JSON parsers, the audit hook, the routers, authentication),
 * each a call and a `next()`, most doing nothing for a GET. The front door does what those layers
 * do for such a request, through the same functions, in one step: the recorded security headers,
 * the request context with its access line and metric, CORS, the rate limit when on, then the
 * route's own answer.
 *
 * It takes only a body-less GET from an end-user token authentication has already verified and
 * kept, that one of its routes takes. Anything else passes down the chain untouched and is answered
 * in full (verification, 4xx); the next request with that token then finds it kept.
 */
export function frontDoor(deps: FrontDoorDeps, routes: ReadonlyArray<DoorRoute<unknown>>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.headers['transfer-encoding'] !== undefined) return next();
    if ((req.headers['content-length'] ?? '0') !== '0') return next();
    const principal = keptUserPrincipal(req.headers.authorization, deps.auth);
    if (!principal) return next();
    const url = req.url;
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    for (const route of routes) {
      const taken = route.take(path, req, principal);
      if (taken === undefined) continue;
      applyHeaders(res, deps.securityHeaders);
      beginRequest(req, res, deps.logger, deps.observe, route.label);
      deps.cors(req, res);
      req.context.principal = principal;
      if (deps.limits.settings.enabled) {
        limitRequest(deps.limits, req, res, () => Promise.resolve(principal))
          .then((refused) => (refused ? next(refused) : route.answer(req, res, taken)))
          .catch(next);
        return;
      }
      try {
        route.answer(req, res, taken)?.catch(next);
      } catch (error) {
        next(error);
      }
      return;
    }
    next();
  };
}

/** Whatever `parse` makes of a request, or undefined when it throws (a bad request: the chain answers it). */
export function orUndefined<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}
