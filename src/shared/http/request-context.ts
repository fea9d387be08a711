import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';
import type { Principal } from './principal';
import { formatTraceparent, traceContextOf, type TraceContext } from './trace-context';

export interface RequestContext {
  requestId: string;
  /** W3C trace context: the caller's trace carried on, or a new one. */
  trace: TraceContext;
  logger: Logger;
  principal?: Principal;
  /** Set by `idempotent()`: the request's key, and whether an earlier attempt with it never answered. */
  idempotency?: { key: string; rerun: boolean };
  /** The route's label when no Express route matched it (a front door answered it). */
  route?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    context: RequestContext;
  }
}

const INCOMING_ID = /^[A-Za-z0-9_.:-]{8,64}$/;

// NOTE: random bytes drawn 4 kB at a time: one system call serves about 340 request ids.
let randomPool: Buffer = Buffer.alloc(0);
let randomOffset = 0;
function randomHex(bytes: number): string {
  if (randomOffset + bytes > randomPool.length) {
    randomPool = crypto.randomBytes(4096);
    randomOffset = 0;
  }
  randomOffset += bytes;
  return randomPool.toString('hex', randomOffset - bytes, randomOffset);
}

/**
 * A request's context; its child logger is built on first use: most requests never log but their
 * access line.
 * NOTE: a class, not an object literal with a getter (a new getter function for every request):
 * with the literal, 7 kB of every request outlived two scavenges and was promoted to old space;
 * with the class, none (measured with node --trace-gc-nvp; see benchmarks/README.md).
 */
class LazyContext implements RequestContext {
  principal?: Principal = undefined;
  idempotency?: { key: string; rerun: boolean } = undefined;
  route?: string = undefined;
  private child?: Logger = undefined;

  constructor(
    readonly requestId: string,
    readonly trace: TraceContext,
    private readonly root: Logger,
  ) {}

  get logger(): Logger {
    return (this.child ??= this.root.child({
      request_id: this.requestId,
      trace_id: this.trace.traceId,
      span_id: this.trace.spanId,
    }));
  }
}

/**
 * Gives every request an id (the caller's `X-Request-Id` or `Request-Id` when well formed, else a
 * new one; echoed as both), its trace (`traceparent` carried on and echoed with this request's
 * span) and a child logger carrying both; logs one access line at `info` when it ends (5xx at `error`).
 */
export function requestContext(logger: Logger, observe?: ObserveRequest) {
  return (req: Request, res: Response, next: NextFunction) => {
    beginRequest(req, res, logger, observe);
    next();
  };
}

export type ObserveRequest = (route: string, method: string, status: number, seconds: number) => void;

/**
 * What `requestContext` does for each request, for a handler that answers before the middleware
 * chain (the prompts front door): the id, the trace, the context, and the access line and metric
 * when the answer is finished. `route` labels a request no Express route will match.
 */
export function beginRequest(req: Request, res: Response, logger: Logger, observe?: ObserveRequest, route?: string) {
  const incoming = req.headers['x-request-id'] ?? req.headers['request-id'];
  const requestId = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : `req_${randomHex(12)}`;
  const traceparent = req.headers.traceparent;
  const trace = traceContextOf(typeof traceparent === 'string' ? traceparent : undefined, randomHex);
  const context = new LazyContext(requestId, trace, logger);
  context.route = route;
  req.context = context;
  res.setHeader('Request-Id', requestId);
  res.setHeader('X-Request-Id', requestId);
  res.setHeader('traceparent', formatTraceparent(trace));
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const label = routeLabel(req);
    observe?.(label, req.method, res.statusCode, seconds);
    const level = res.statusCode >= 500 ? 'error' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    req.context.logger.log(level, 'request', {
      method: req.method,
      route: label,
      status: res.statusCode,
      duration_ms: Math.round(seconds * 1000 * 10) / 10,
      ...(trace.parentSpanId ? { parent_span_id: trace.parentSpanId } : {}),
    });
  });
}

/** The matched route pattern (never the raw path, which would carry ids and explode metric labels). */
export function routeLabel(req: Request): string {
  if (req.context?.route !== undefined) return req.context.route;
  const routePath = (req.route as { path?: string } | undefined)?.path;
  if (routePath === undefined) return 'unmatched';
  return `${req.baseUrl}${routePath}`;
}
