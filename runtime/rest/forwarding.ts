// Distributed mode: a write that reached a worker other than the leader is re-sent to the leader, as
// Apache Kafka Connect does it: `forward=true` added, only the Authorization header copied. A request
// that already was forwarded is not forwarded again (no second hop): its caller gets 409 and retries.
import type { Request } from 'express';
import type { NotLeaderError } from '../errors.ts';
import { WeirError } from '../errors.ts';
import type { Reply } from './request.ts';

const FORWARD_TIMEOUT_MS = 60_000;

export function wasForwarded(req: Request): boolean {
  return String(req.query['forward'] ?? '').toLowerCase() === 'true';
}

/** The leader's answer to the same request, or a 409 when it cannot be forwarded. */
export async function forwardToLeader(req: Request, error: NotLeaderError): Promise<Reply> {
  if (!error.leaderUrl || wasForwarded(req)) {
    throw new WeirError(
      'WEIR_CONFLICT',
      error.leaderUrl
        ? `Cannot complete request because of a conflicting operation (e.g. worker rebalance): it was forwarded here, but this worker is not the leader either; retry in a moment`
        : error.message,
    );
  }
  const url = new URL(req.originalUrl, error.leaderUrl);
  url.searchParams.set('forward', 'true');
  const headers: Record<string, string> = {};
  const authorization = req.get('authorization');
  if (authorization) headers['authorization'] = authorization;
  let body: string | undefined;
  if (req.body !== undefined && !['GET', 'DELETE'].includes(req.method)) {
    body = JSON.stringify(req.body);
    headers['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: req.method,
      headers,
      body,
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
  } catch (cause) {
    throw new WeirError(
      'WEIR_CONFLICT',
      `Cannot forward the request to the leader at ${error.leaderUrl}: ${(cause as Error).message}. Check that rest.advertised.host.name and rest.advertised.port of every worker are reachable from the others.`,
      { cause },
    );
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  const location = response.headers.get('location');
  const reply: Reply = { status: response.status, body: parsed };
  if (location) reply.location = new URL(location).pathname;
  return reply;
}
