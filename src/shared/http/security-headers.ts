import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** A header name and value, as `ServerResponse.setHeader` takes them. */
export type HeaderPair = readonly [name: string, value: string | string[]];

/**
 * The headers helmet's defaults set, recorded once by running helmet against a response that only
 * records. With its defaults (no CSP nonces, no per-request option) helmet sets the same headers on
 * every request, so they are set from the record instead: one loop of `setHeader`, not a chain of
 * twelve middlewares each re-checking its directives (helmet's own cost showed in every profile of
 * the end-user routes). A test holds the record equal to what helmet sets on a live response.
 */
export function recordHelmetHeaders(options?: Parameters<typeof helmet>[0]): HeaderPair[] {
  const recorded = new Map<string, HeaderPair>();
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      recorded.set(name.toLowerCase(), [name, Array.isArray(value) ? [...(value as string[])] : String(value)]);
      return response;
    },
    removeHeader(name: string) {
      recorded.delete(name.toLowerCase());
    },
    getHeader: (name: string) => recorded.get(name.toLowerCase())?.[1],
  };
  let finished = false;
  const request = { method: 'GET', url: '/', headers: {} };
  helmet(options)(request as never, response as unknown as ServerResponse as never, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
    finished = true;
  });
  // NOTE: helmet's defaults answer synchronously; an option that made it asynchronous would need helmet itself.
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be recorded');
  return [...recorded.values()];
}

/** Sets recorded headers on a response (the app's middleware, and the prompts front door). */
export function applyHeaders(res: ServerResponse, headers: readonly HeaderPair[]): void {
  for (const [name, value] of headers) res.setHeader(name, value);
}

/** Middleware: helmet's default headers, from the record. */
export function securityHeaders(headers: readonly HeaderPair[]): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    applyHeaders(res, headers);
    next();
  };
}
