// The runtime's coded errors, in one place: REST error bodies ({"error_code", "message"}) and logs
// use them. Each code is stable; each message says what is wrong and how to fix it.

export type WeirErrorCode =
  | 'WEIR_NOT_FOUND'
  | 'WEIR_ALREADY_EXISTS'
  | 'WEIR_BAD_REQUEST'
  | 'WEIR_INVALID_CONFIG'
  | 'WEIR_CONFLICT'
  | 'WEIR_FORBIDDEN'
  | 'WEIR_UNAUTHORIZED'
  | 'WEIR_UNKNOWN_PLUGIN'
  | 'WEIR_NOT_READY'
  | 'WEIR_TIMEOUT'
  | 'WEIR_NOT_LEADER'
  | 'WEIR_INTERNAL';

const HTTP_STATUS: Record<WeirErrorCode, number> = {
  WEIR_NOT_FOUND: 404,
  WEIR_ALREADY_EXISTS: 409,
  WEIR_BAD_REQUEST: 400,
  WEIR_INVALID_CONFIG: 400,
  WEIR_CONFLICT: 409,
  WEIR_FORBIDDEN: 403,
  WEIR_UNAUTHORIZED: 401,
  WEIR_UNKNOWN_PLUGIN: 404,
  WEIR_NOT_READY: 503,
  WEIR_TIMEOUT: 500,
  WEIR_NOT_LEADER: 409,
  WEIR_INTERNAL: 500,
};

export class WeirError extends Error {
  readonly code: WeirErrorCode;
  readonly httpStatus: number;

  constructor(code: WeirErrorCode, message: string, options?: { cause?: unknown; httpStatus?: number }) {
    super(message, options);
    this.name = 'WeirError';
    this.code = code;
    this.httpStatus = options?.httpStatus ?? HTTP_STATUS[code];
  }
}

/**
 * A write that only the leader may make reached another worker. The REST layer forwards the request to
 * `leaderUrl`; with no leader known (a rebalance is under way) the caller gets 409 and retries.
 */
export class NotLeaderError extends WeirError {
  readonly leaderUrl: string | null;

  constructor(leaderUrl: string | null, what = 'This request') {
    super(
      'WEIR_NOT_LEADER',
      leaderUrl
        ? `${what} can only be handled by the leader (${leaderUrl})`
        : `Cannot complete the request because no leader is known yet (the cluster is rebalancing); retry in a moment`,
    );
    this.leaderUrl = leaderUrl;
  }
}

export const notFound = (message: string): WeirError => new WeirError('WEIR_NOT_FOUND', message);
export const alreadyExists = (message: string): WeirError => new WeirError('WEIR_ALREADY_EXISTS', message);
export const badRequest = (message: string): WeirError => new WeirError('WEIR_BAD_REQUEST', message);
export const conflict = (message: string): WeirError => new WeirError('WEIR_CONFLICT', message);

export function connectorNotFound(name: string): WeirError {
  return notFound(`Connector ${name} not found`);
}

/** Renders any thrown value as a stack trace string, as Connect's `trace` fields carry. */
export function traceOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const own = error.stack ?? `${error.name}: ${error.message}`;
  // The cause says what went wrong under a wrapper such as "Tolerance exceeded in error handler".
  return error.cause === undefined ? own : `${own}\nCaused by: ${traceOf(error.cause)}`;
}
