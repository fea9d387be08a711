/**
 * PostgreSQL SQLSTATEs that mean "the database cannot serve us right now", not "this query is wrong":
 * class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now),
 * 53300 (too many connections) and 3D000 (the database is gone, e.g. renamed during maintenance).
 * See https://www.postgresql.org/docs/current/errcodes-appendix.html.
 */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[123]|53300|3D000)$/;

/** Node socket errors met while connecting or mid-query. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** What pg and pg-pool say, without a code, when a connection dies or cannot be had in time. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|the database system is (starting up|shutting down|in recovery mode)/i;

/** SQLSTATEs caused by the caller's own input: text PostgreSQL cannot store (a NUL character, bad UTF-8). */
const INPUT_ENCODING_SQLSTATES = new Set(['22021', '22P05']);

interface MaybeDriverError {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The error and what it wraps (TypeORM's driverError, an AggregateError's errors, a cause), a few levels deep. */
function* chain(error: unknown, depth = 0): Generator<MaybeDriverError> {
  if (depth > 4 || typeof error !== 'object' || error === null) return;
  const e = error as MaybeDriverError;
  yield e;
  yield* chain(e.driverError, depth + 1);
  yield* chain(e.cause, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* chain(inner, depth + 1);
}

/** True when the error says the database is unreachable or refusing connections (a 503, worth a retry). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of chain(error)) {
    if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATES.test(e.code) || UNAVAILABLE_SOCKET_CODES.has(e.code)))
      return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** True when PostgreSQL refused text of the request as unstorable (a NUL character): the caller's fault. */
export function isUnstorableText(error: unknown): boolean {
  for (const e of chain(error)) if (typeof e.code === 'string' && INPUT_ENCODING_SQLSTATES.has(e.code)) return true;
  return false;
}
