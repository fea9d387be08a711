import type { NextFunction, Request, Response } from 'express';
import { unauthenticated } from '../errors';

/** The end-user, backend and operator APIs: every route under them needs a bearer credential. */
const CREDENTIALED = /^\/(v1|admin\/v1)\//;
const BEARER = /^Bearer [^\s]+$/i;

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/**
 * Cheap checks before a body is parsed: a request with a body to a credentialed API but without a
 * bearer credential is refused before the JSON parser inflates or parses anything (an anonymous
 * gzip bomb or corrupt Content-Encoding costs nothing). NOTE: the credential itself is still
 * verified by each route's authentication; this only asks that one is there and well-formed,
 * answering as authentication would (`missing_credentials`, `malformed_credentials`).
 */
export function refuseUncredentialedBodies(req: Request, _res: Response, next: NextFunction): void {
  if (!hasBody(req) || !CREDENTIALED.test(req.path)) return next();
  const header = req.get('authorization');
  if (!header) {
    return next(unauthenticated('Missing Authorization header: send "Bearer <token>".', 'missing_credentials'));
  }
  if (!BEARER.test(header)) {
    return next(unauthenticated('Malformed Authorization header: send "Bearer <token>".', 'malformed_credentials'));
  }
  next();
}
