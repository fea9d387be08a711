/**
 * One error hierarchy for the whole service. The HTTP error handler maps it to
 * `{ error: { type, code, message, param, request_id } }` in exactly one place.
 */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found'
  | 'conflict'
  | 'rate_limit_error'
  | 'payment_error'
  | 'api_error';

export interface AppErrorOptions {
  type: ErrorType;
  status: number;
  code: string;
  message: string;
  param?: string;
  /** Extra machine-readable fields returned beside the standard ones. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly type: ErrorType;
  readonly status: number;
  readonly code: string;
  readonly param?: string;
  readonly details?: Record<string, unknown>;

  constructor(options: AppErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = 'AppError';
    this.type = options.type;
    this.status = options.status;
    this.code = options.code;
    this.param = options.param;
    this.details = options.details;
  }
}

export const badRequest = (code: string, message: string, param?: string, details?: Record<string, unknown>) =>
  new AppError({ type: 'invalid_request_error', status: 400, code, message, param, details });

export const unprocessable = (code: string, message: string, param?: string, details?: Record<string, unknown>) =>
  new AppError({ type: 'invalid_request_error', status: 422, code, message, param, details });

export const unauthenticated = (message = 'Authentication required.', code = 'unauthenticated') =>
  new AppError({ type: 'authentication_error', status: 401, code, message });

export const forbidden = (message: string, code = 'forbidden') =>
  new AppError({ type: 'permission_error', status: 403, code, message });

export const notFound = (what: string, param?: string) =>
  new AppError({ type: 'not_found', status: 404, code: 'resource_missing', message: `${what} not found.`, param });

export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError({ type: 'conflict', status: 409, code, message, details });

export const paymentError = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError({ type: 'payment_error', status: 402, code, message, details });

export const tooManyRequests = (message: string, code = 'rate_limited') =>
  new AppError({ type: 'rate_limit_error', status: 429, code, message });

export const serviceUnavailable = (code: string, message: string) =>
  new AppError({ type: 'api_error', status: 503, code, message });
