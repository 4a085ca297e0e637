// The REST error mapper: every failure leaves as {"error_code": <status>, "message": "<text>"}, as Apache
// Kafka Connect's ConnectExceptionMapper writes it. Callers' mistakes are logged at debug level; anything
// unexpected is a 500 carrying the error's message, logged with its stack.
import type { ErrorRequestHandler, Request, Response } from 'express';
import { redactSecrets } from '../config/secrets.ts';
import { WeirError } from '../errors.ts';
import { logger } from '../logging.ts';
import type { ErrorBody } from './types.ts';

const log = logger('weir.rest');

/** Errors raised by HTTP plumbing (body-parser, the router) carry a 4xx/5xx `status`. */
interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  message?: unknown;
}

export const routeNotFound = (): WeirError => new WeirError('WEIR_NOT_FOUND', 'HTTP 404 Not Found');

export const methodNotAllowed = (): WeirError =>
  new WeirError('WEIR_BAD_REQUEST', 'HTTP 405 Method Not Allowed', { httpStatus: 405 });

export const unsupportedMediaType = (contentType: string): WeirError =>
  new WeirError(
    'WEIR_BAD_REQUEST',
    `HTTP 415 Unsupported Media Type: the request body must be JSON, sent with 'Content-Type: application/json' (got '${contentType}')`,
    { httpStatus: 415 },
  );

export const requestTimedOut = (): WeirError => new WeirError('WEIR_TIMEOUT', 'Request timed out');

export const unauthorized = (): WeirError =>
  new WeirError('WEIR_UNAUTHORIZED', 'Authentication is required to access this resource');

/**
 * The status and body a thrown value maps to. `severity`: the caller's mistake (4xx), a known server-side
 * failure such as a timeout (a WeirError with a 5xx), or something nobody anticipated.
 */
export function toErrorResponse(error: unknown): {
  status: number;
  body: ErrorBody;
  severity: 'client' | 'server' | 'unexpected';
} {
  if (error instanceof WeirError) {
    const status = error.httpStatus;
    return {
      status,
      body: { error_code: status, message: error.message },
      severity: status < 500 ? 'client' : 'server',
    };
  }
  const http = (typeof error === 'object' && error !== null ? error : {}) as HttpLikeError;
  const status = Number(http.status ?? http.statusCode);
  if (Number.isInteger(status) && status >= 400 && status < 500) {
    const message = typeof http.message === 'string' ? http.message : `HTTP ${status}`;
    return { status, body: { error_code: status, message }, severity: 'client' };
  }
  const message =
    error instanceof Error
      ? error.message || error.name
      : typeof error === 'string'
        ? error
        : `Unexpected error: ${String(error)}`;
  return { status: 500, body: { error_code: 500, message }, severity: 'unexpected' };
}

export function sendError(req: Request, res: Response, error: unknown): void {
  const { status, body, severity } = toErrorResponse(error);
  const where = `${req.method} ${req.path}`;
  if (severity === 'client') log.debug({ status, message: body.message }, `REST request ${where} failed`);
  else if (severity === 'server') log.warn({ status, message: body.message }, `REST request ${where} failed`);
  else log.error({ err: error, status }, `Unexpected error in REST request ${where}`);
  if (res.headersSent) {
    // The response is already under way; all that is left is to end it.
    res.end();
    return;
  }
  // A connector's own error may quote a value a config provider resolved: never send it back.
  res.status(status).json({ ...body, message: redactSecrets(body.message) });
}

/** The last middleware of the app: nothing thrown by a route or by body parsing escapes it. */
export const errorMapper: ErrorRequestHandler = (error, req, res, _next) => {
  sendError(req, res, error);
};
