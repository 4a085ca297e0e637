import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { restAuthenticator } from './auth.ts';

const request = (method: string, path: string, authorization?: string) =>
  ({
    method,
    path,
    get: (h: string) => (h.toLowerCase() === 'authorization' ? authorization : undefined),
  }) as unknown as Request;

describe('REST authentication', () => {
  it('is off without a token', () => {
    expect(restAuthenticator(null)).toBeUndefined();
  });

  it('lets probes through and wants the bearer token everywhere else', () => {
    const check = restAuthenticator('t0ken', 'adm1n') as (req: Request) => boolean;
    expect(check(request('GET', '/health'))).toBe(true);
    expect(check(request('GET', '/connectors'))).toBe(false);
    expect(check(request('GET', '/connectors', 'Bearer wrong'))).toBe(false);
    expect(check(request('GET', '/connectors', 'Bearer t0ken'))).toBe(true);
    expect(check(request('DELETE', '/admin/workers/x', 'bearer adm1n'))).toBe(true);
    expect(check(request('POST', '/health'))).toBe(false);
  });
});
