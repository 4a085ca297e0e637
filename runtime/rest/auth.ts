// REST authentication: with a token configured (weir.rest.token or WEIR_REST_TOKEN), every request
// but GET /health must carry "Authorization: Bearer <token>". Probes stay open; nothing else does.
// The admin token (distributed mode) is accepted too: its holder, the operator, may also call the API.
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

export function restAuthenticator(
  token: string | null,
  adminToken: string | null = null,
): ((req: Request) => boolean) | undefined {
  if (!token) return undefined;
  const accepted = [token, adminToken].filter((t): t is string => !!t).map((t) => Buffer.from(t));
  return (req) => {
    if (req.method === 'GET' && req.path === '/health') return true;
    const presented = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!presented) return false;
    const actual = Buffer.from(presented);
    return accepted.some(
      (expected) => actual.length === expected.length && timingSafeEqual(actual, expected),
    );
  };
}

export function authorizationHeader(token: string | null): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}
