import type { NextFunction, Request, Response } from 'express';
import { AppError, badRequest, notFound } from '../errors';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/** Maps body-parser failures to our error model; other errors pass through. */
function fromBodyParser(error: BodyParserError): AppError | undefined {
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
    default:
      return undefined;
  }
}

export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(notFound(`Route ${req.method} ${req.path}`));
}

/** The one place errors become HTTP responses. Unknown errors are a generic 500; the stack goes to the log only. */
export function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const appError = error instanceof AppError ? error : fromBodyParser(error as BodyParserError);
  const requestId = req.context?.requestId;
  const logger = req.context?.logger;
  if (appError) {
    logger?.warn('request failed', { code: appError.code, status: appError.status });
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
