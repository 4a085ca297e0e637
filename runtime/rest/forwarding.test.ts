import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotLeaderError, WeirError } from '../errors.ts';
import { forwardToLeader } from './forwarding.ts';

let server: Server;
let leaderUrl = '';
const received: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(req.url ?? '');
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  leaderUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function request(url: string): Request {
  const query = Object.fromEntries(new URL(url, 'http://x').searchParams);
  return {
    originalUrl: url,
    query,
    method: 'POST',
    body: undefined,
    get: () => undefined,
  } as unknown as Request;
}

describe('forwardToLeader (two hops at most, as Java)', () => {
  it("sends a client's request on with forward=true, a forwarded one with forward=false", async () => {
    await forwardToLeader(request('/connectors/c/tasks/0/restart'), new NotLeaderError(leaderUrl));
    await forwardToLeader(
      request('/connectors/c/tasks/0/restart?forward=true'),
      new NotLeaderError(leaderUrl),
    );
    expect(received).toEqual([
      '/connectors/c/tasks/0/restart?forward=true',
      '/connectors/c/tasks/0/restart?forward=false',
    ]);
  });

  it('answers 409 for a third hop, or when no leader is known', async () => {
    const third = forwardToLeader(request('/connectors/c?forward=false'), new NotLeaderError(leaderUrl));
    await expect(third).rejects.toThrow(WeirError);
    await expect(third).rejects.toMatchObject({ httpStatus: 409 });
    await expect(forwardToLeader(request('/connectors/c'), new NotLeaderError(null))).rejects.toMatchObject({
      httpStatus: 409,
    });
  });
});
