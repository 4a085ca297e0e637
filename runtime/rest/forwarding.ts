// Distributed mode: a write that reached a worker other than the leader is re-sent to the leader (or a
// task's restart to the worker running it), as Apache Kafka Connect does it: only the Authorization
// header copied, at most two hops between workers. A client's request carries no `forward`; the first
// worker sends it on with forward=true, the second with forward=false (the leader passing a task's
// restart to its owner), and a third answers 409: the workers disagree, as during a rebalance.
import type { Request } from 'express';
import type { NotLeaderError } from '../errors.ts';
import { WeirError } from '../errors.ts';
import type { Reply } from './request.ts';

const FORWARD_TIMEOUT_MS = 60_000;

/** The request's `forward` parameter as Java reads it: absent (a client's request), true or false. */
function forwardParam(req: Request): boolean | undefined {
  const value = req.query['forward'];
  if (value === undefined) return undefined;
  return String(value).toLowerCase() === 'true';
}

/** The leader's (or owner's) answer to the same request, or a 409 when it cannot be forwarded. */
export async function forwardToLeader(req: Request, error: NotLeaderError): Promise<Reply> {
  const forward = forwardParam(req);
  if (!error.leaderUrl || forward === false) {
    throw new WeirError(
      'WEIR_CONFLICT',
      error.leaderUrl
        ? `Cannot complete request because of a conflicting operation (e.g. worker rebalance): it was forwarded twice and reached a worker that cannot handle it either; retry in a moment`
        : error.message,
    );
  }
  const url = new URL(req.originalUrl, error.leaderUrl);
  url.searchParams.set('forward', String(forward === undefined));
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
