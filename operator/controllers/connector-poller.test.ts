// The poller against a small HTTP worker: one GET per cluster per poll (status, info and topics in
// the same call), and only the connectors whose entry changed are reported.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectClient } from '../connect-client.ts';
import { ConnectorPoller } from './connector-poller.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(answer: () => unknown, seen: string[]): Promise<string> {
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer()));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const entry = (state: string, topics: string[]) => ({
  status: { name: 'x', type: 'source', connector: { state, worker_id: 'w' }, tasks: [] },
  info: { name: 'x', config: {}, tasks: [], type: 'source' },
  topics,
});

describe('ConnectorPoller', () => {
  it('asks once per poll and reports only the connectors whose status or topics changed', async () => {
    const seen: string[] = [];
    let connectors: Record<string, unknown> = { a: entry('RUNNING', []), b: entry('RUNNING', []) };
    const endpoint = await serve(() => connectors, seen);
    const changes: string[][] = [];
    const polls: string[] = [];
    const poller = new ConnectorPoller(
      { endpoints: () => [endpoint], rest: async () => new ConnectClient([endpoint]) },
      {
        clusters: () => ['ns/c'],
        onChange: (_cluster, changed) => changes.push(changed),
        onPolled: (cluster, result) => polls.push(`${cluster} ${result}`),
      },
    );
    await poller.refresh('ns/c');
    expect(changes).toEqual([['a', 'b']]);
    await poller.refresh('ns/c');
    expect(changes).toHaveLength(1); // nothing changed: nobody is told

    connectors = { a: entry('RUNNING', ['t1']), b: entry('RUNNING', []) };
    const snapshot = await poller.refresh('ns/c');
    expect(changes[1]).toEqual(['a']);
    expect(snapshot?.connectors.a?.topics).toEqual(['t1']);

    connectors = { a: entry('RUNNING', ['t1']) };
    await poller.refresh('ns/c');
    expect(changes[2]).toEqual(['b']); // gone

    expect(seen).toEqual(Array(4).fill('GET /connectors?expand=status&expand=info&expand=topics'));
    expect(polls).toEqual(Array(4).fill('ns/c success'));
  });

  it('joins a poll under way instead of sending a second request', async () => {
    const seen: string[] = [];
    const endpoint = await serve(() => ({}), seen);
    const poller = new ConnectorPoller(
      { endpoints: () => [endpoint], rest: async () => new ConnectClient([endpoint]) },
      { clusters: () => ['ns/c'], onChange: () => {} },
    );
    const since = Date.now();
    await Promise.all([poller.refresh('ns/c'), poller.refresh('ns/c'), poller.fresh('ns/c', since)]);
    expect(seen).toHaveLength(1);
  });
});
