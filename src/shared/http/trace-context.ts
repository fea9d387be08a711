/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` header,
 * `version-traceid-parentid-flags`. A request carries on the caller's trace, or starts one.
 *
 * NOTE: a parser, not @opentelemetry/api: without an SDK and an exporter the API only does this
 * propagation (its no-op tracer records nothing), and the SDK with an exporter is a dependency
 * tree of its own for a deployment that asks for it. Logs carry trace_id and span_id, so any
 * log pipeline joins them to the caller's spans.
 */
export interface TraceContext {
  traceId: string;
  /** This request's own span. */
  spanId: string;
  /** The caller's span, when the request came with a valid traceparent. */
  parentSpanId?: string;
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZEROS = /^0+$/;

/** The caller's trace from `traceparent`, or undefined when the header is missing or invalid. */
export function parseTraceparent(header: string | undefined): Omit<TraceContext, 'spanId'> | undefined {
  if (!header) return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentSpanId, flags, rest] = match;
  // NOTE: version ff is invalid; version 00 has exactly four fields; later versions may add fields.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (!traceId || !parentSpanId || !flags || ZEROS.test(traceId) || ZEROS.test(parentSpanId)) return undefined;
  return { traceId, parentSpanId, flags };
}

/** This request's trace: the caller's carried on with a new span, or a new one (not sampled). */
export function traceContextOf(header: string | undefined, randomHex: (bytes: number) => string): TraceContext {
  const parent = parseTraceparent(header);
  return parent ? { ...parent, spanId: randomHex(8) } : { traceId: randomHex(16), spanId: randomHex(8), flags: '00' };
}

export const formatTraceparent = (trace: TraceContext) => `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
