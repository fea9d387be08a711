import type { NextFunction, Request, Response } from 'express';
import { isDatabaseUnavailable, isUnstorableText } from '../database/database-errors';
import { AppError, badRequest, notFound, serviceUnavailable } from '../errors';

interface HttpLibraryError extends Error {
  type?: string;
  status?: number;
  statusCode?: number;
  limit?: number;
  code?: string;
}

/** Seconds a client should wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** zlib's codes for a body that is not what its Content-Encoding says. */
const CORRUPT_ENCODING = /^(Z_DATA_ERROR|Z_BUF_ERROR|Z_NEED_DICT|ERR_BROTLI|ERR__ERROR_FORMAT|ERR_ZSTD)/;

/** Maps body-parser failures to our error model; other errors pass through. */
function fromBodyParser(error: HttpLibraryError): AppError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return badRequest('invalid_json', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new AppError({
        type: 'invalid_request_error',
        status: 413,
        code: 'body_too_large',
        message: `The request body exceeds the limit of ${error.limit ?? '?'} bytes.`,
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError({
        type: 'invalid_request_error',
        status: 415,
        code: 'unsupported_encoding',
        message: error.message,
      });
    case 'request.aborted':
      return badRequest('request_aborted', 'The request was aborted by the client.');
    case 'request.size.invalid':
      return badRequest('invalid_content_length', 'The body is not as long as its Content-Length says.');
    default:
      return undefined;
  }
}

/**
 * Errors of the HTTP libraries (body-parser, the router) that carry a 4xx status: the request's fault.
 * NOTE: a corrupt gzip body reaches us as zlib's error wrapped in a 400 without a `type`, a malformed
 * `%` escape in a path parameter as the router's URIError with status 400 (router, lib/layer.js).
 */
function fromHttpLibrary(error: HttpLibraryError & { expose?: unknown }): AppError | undefined {
  const status = error.status ?? error.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  // NOTE: only http-errors' own (expose: true) and the router's URIError: a 4xx statusCode on another
  // error (a Stripe SDK error that escaped its gateway) is our fault, and stays a 500.
  if (!(error instanceof URIError) && error.expose !== true) return undefined;
  if (error instanceof URIError || /^Failed to decode param/.test(error.message)) {
    return badRequest('invalid_path', 'A path parameter has a malformed % escape; percent-encode it as UTF-8.');
  }
  if (
    CORRUPT_ENCODING.test(error.code ?? '') ||
    /incorrect header check|invalid (block|stored|distance)/.test(error.message)
  ) {
    return badRequest('invalid_encoding', 'The request body could not be decoded with its Content-Encoding.');
  }
  return new AppError({
    type: 'invalid_request_error',
    status,
    code: 'bad_request',
    message: 'The request could not be read.',
  });
}

/** Failures of the platform the request did not cause but can retry: the database being unreachable. */
function fromPlatform(error: unknown, res: Response): AppError | undefined {
  if (isUnstorableText(error)) {
    return badRequest('invalid_characters', 'The request contains characters that cannot be stored (such as NUL).');
  }
  if (isDatabaseUnavailable(error)) {
    res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    return serviceUnavailable('database_unavailable', 'The database is unavailable; retry in a few seconds.');
  }
  return undefined;
}

function toAppError(error: unknown, res: Response): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof Error) {
    const known = fromBodyParser(error as HttpLibraryError) ?? fromHttpLibrary(error as HttpLibraryError);
    if (known) return known;
  }
  return fromPlatform(error, res);
}

export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(notFound(`Route ${req.method} ${req.path}`));
}

/** The one place errors become HTTP responses. Unknown errors are a generic 500; the stack goes to the log only. */
export function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const appError = toAppError(error, res);
  const requestId = req.context?.requestId;
  const logger = req.context?.logger;
  if (appError) {
    const detail = appError.status >= 500 ? { error: String(error) } : {};
    logger?.warn('request failed', { code: appError.code, status: appError.status, ...detail });
    if (res.headersSent) return;
    res.status(appError.status).json({
      error: {
        type: appError.type,
        code: appError.code,
        message: appError.message,
        ...(appError.param ? { param: appError.param } : {}),
        ...(appError.details ?? {}),
        request_id: requestId,
      },
    });
    return;
  }
  logger?.error('unhandled error', {
    error: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
  });
  if (res.headersSent) return;
  res.status(500).json({
    error: {
      type: 'api_error',
      code: 'internal_error',
      message: 'Something went wrong on our side.',
      request_id: requestId,
    },
  });
}
