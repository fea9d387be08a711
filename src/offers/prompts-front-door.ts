import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { keptUserPrincipal, type AuthSettings } from '../shared/http/authenticate';
import type { UserPrincipal } from '../shared/http/principal';
import { limitRequest, type RateLimits } from '../shared/http/rate-limit';
import { beginRequest, type ObserveRequest } from '../shared/http/request-context';
import { applyHeaders, type HeaderPair } from '../shared/http/security-headers';
import { parseInput } from '../shared/http/validate';
import type { Logger } from '../shared/logger';
import type { OffersService } from './offers.service';
import { promptsQuerySchema } from './offers.validators';
import type { PromptView } from './prompt.view';
import { sendPrompts } from './prompts-answer';

export interface PromptsFrontDoorDeps {
  auth: AuthSettings;
  /** Asked on every request through the instance (metrics may wrap its methods after this is built). */
  offers: Pick<OffersService, 'keptPrompts' | 'promptsFor'>;
  logger: Logger;
  observe?: ObserveRequest;
  /** The app's security headers (helmet's, recorded) and end-user CORS: the chain's own. */
  securityHeaders: readonly HeaderPair[];
  cors: (req: Request, res: Response) => boolean;
  /** The chain's own limits (the same buckets and refused addresses). */
  limits: RateLimits;
}

/** The route it answers, as the access log and the metrics label it. */
export const PROMPTS_ROUTE = '/v1/prompts';

interface FrontDoorRequest {
  principal: UserPrincipal;
  request: Parameters<OffersService['promptsFor']>[0];
}

/**
 * GET /v1/prompts answered ahead of the middleware chain, for end users whose token is already
 * verified.
 *
 * A SaaS asks for prompts on every page view, and most views repeat a decision made moments before
 * (the decision cache): such an answer needs no read and no decision, and through the chain its cost
 * was the chain: a dozen layers (security headers, context, CORS, the webhook router, limits, the
 * body gate, two JSON parsers, the audit hook, two routers, authentication), each a call and a
 * `next()`, most doing nothing for a GET. The front door does what those layers do for this one
 * request, through the same functions, in one step: the recorded security headers, the request
 * context with its access line and metric, CORS, the rate limit (when on), then the route's own
 * call and answer (ETag and 304 included); a kept decision is answered without waiting on anything.
 *
 * It takes only what it can answer exactly as the route would: a GET of exactly `/v1/prompts`
 * without a body, from an end-user token already verified and kept (authentication's own cache),
 * with a valid query. Anything else goes down the chain untouched, which answers it in full
 * (verification, 4xx); the next request with that token then finds it kept.
 */
export function promptsFrontDoor(deps: PromptsFrontDoorDeps): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const taken = frontDoorRequest(req, deps);
    if (!taken) return next();
    applyHeaders(res, deps.securityHeaders);
    beginRequest(req, res, deps.logger, deps.observe, PROMPTS_ROUTE);
    deps.cors(req, res);
    req.context.principal = taken.principal;
    const { request } = taken;
    const answer = (prompts: readonly PromptView[]) => sendPrompts(req, res, prompts, request.placement);
    if (deps.limits.settings.enabled) {
      limitRequest(deps.limits, req, res, () => Promise.resolve(taken.principal))
        .then(async (refused) => (refused ? next(refused) : answer(await deps.offers.promptsFor(request))))
        .catch(next);
      return;
    }
    const kept = deps.offers.keptPrompts(request);
    if (kept) return answer(kept);
    deps.offers.promptsFor(request).then(answer, next);
  };
}

/** The request the front door takes, or undefined when it is not one it may answer. */
function frontDoorRequest(req: Request, deps: PromptsFrontDoorDeps): FrontDoorRequest | undefined {
  if (req.method !== 'GET') return undefined;
  const url = req.url;
  const queryAt = url.indexOf('?');
  // NOTE: exactly the path: the router's looser matches (a trailing slash, other case) go down the chain.
  if ((queryAt === -1 ? url : url.slice(0, queryAt)) !== PROMPTS_ROUTE) return undefined;
  if (req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0')
    return undefined;
  const principal = keptUserPrincipal(req.headers.authorization, deps.auth);
  if (!principal) return undefined;
  try {
    const query = parseInput(promptsQuerySchema, req.query, 'query');
    return { principal, request: { accountId: principal.accountId, role: principal.role, ...query } };
  } catch {
    return undefined;
  }
}
