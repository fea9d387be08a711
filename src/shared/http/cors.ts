import type { Request, RequestHandler, Response } from 'express';

const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Request-Id, traceparent';
/** What a browser may read: ids to quote to support, and how long to wait when throttled. */
const EXPOSED_HEADERS = 'Request-Id, X-Request-Id, traceparent, Retry-After, RateLimit, RateLimit-Policy';

/**
 * CORS for the end-user API (`/v1/...`), so a SaaS frontend on its own origin can run the prompt
 * widget or the typed client. Only the configured origins, matched exactly; credentials are
 * bearer tokens, never cookies, so `Allow-Credentials` stays off. Other paths get no CORS headers.
 */
export function corsForEndUsers(allowedOrigins: readonly string[]): RequestHandler {
  const cors = endUserCors(allowedOrigins);
  return (req, res, next) => {
    if (!req.path.startsWith('/v1/')) return next();
    if (cors(req, res)) {
      res.status(204).end();
      return;
    }
    next();
  };
}

/**
 * The CORS headers of one end-user API request; true when it is a preflight, to be answered 204
 * with nothing else. Shared by the middleware and the prompts front door.
 */
export function endUserCors(allowedOrigins: readonly string[]): (req: Request, res: Response) => boolean {
  const allowed = new Set(allowedOrigins);
  return (req, res) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    if (!origin || !allowed.has(origin)) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    return true;
  };
}
