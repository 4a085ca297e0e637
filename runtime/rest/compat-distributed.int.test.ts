// Compatibility with Apache Kafka Connect in distributed mode, side by side: one Java ConnectDistributed
// worker and one `weir connect-distributed` worker, each its own group on the same broker, get the same
// requests (GET / with the version Weir behaves as, plugin versions, unknown connectors' topics, task
// ids that are not integers, refused paths, OPTIONS, bad bodies) and their answers are compared as in
// compat.int.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JavaConnectCluster } from '../../tools/java-connect-cluster.ts';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { WeirCluster } from '../../tools/weir-cluster.ts';
import { waitFor } from '../../tools/weir-process.ts';
import { SideBySide, type Side } from './testing/side-by-side.ts';

const JAVA_500 = 'Java answers 500 with its exception message; Weir 400 naming what is wrong';

describe('REST compatibility with Apache Kafka Connect (distributed)', () => {
  let java: JavaConnectCluster | undefined;
  let weir: WeirCluster | undefined;
  const sides = new SideBySide();
  const { problems } = sides;
  const both = sides.both.bind(sides);

  beforeAll(async () => {
    const run = uniqueName('compat-dist');
    java = new JavaConnectCluster({ bootstrap: kafkaBootstrap(), groupId: `${run}-java`, heap: '384m' });
    weir = new WeirCluster({ bootstrap: kafkaBootstrap(), groupId: `${run}-weir` });
    const [[j], [w]] = await Promise.all([java.add(1), weir.add(1)]);
    for (const [side, url] of [
      ['java', j?.url],
      ['weir', w?.url],
    ] as const) {
      sides.workers[side] = {
        url: url as string,
        vars: [
          ['{TOPIC}', `${run}-${side}`],
          ['{SRC}', `${run}-source-${side}`],
        ],
      };
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all([java?.stop(), weir?.stop()]);
  });

  async function sequence(): Promise<void> {
    await both('GET', '/');
    // A connector with a plugin version range that takes in 4.3.1; its status reports 4.3.1.
    const config = {
      'connector.class': 'FileStreamSource',
      topic: '{TOPIC}',
      file: '/nonexistent/weir-compat.txt',
      'connector.plugin.version': '[4.0,5.0)',
    };
    await both('PUT', '/connectors/{SRC}/config', { ...config, 'connector.plugin.version': '5.0' });
    await both('PUT', '/connectors/{SRC}/config', config, { location: true });
    await Promise.all(
      (['java', 'weir'] as Side[]).map((side) =>
        waitFor(`{SRC} running on ${side}`, async () => {
          const status = (await sides.ask(side, 'GET', '/connectors/{SRC}/status')).body as {
            tasks?: { state: string }[];
          };
          return status.tasks?.length === 1 && status.tasks[0]?.state === 'RUNNING';
        }),
      ),
    );
    await both('GET', '/connectors/{SRC}/status');
    await both('GET', '/connectors/{SRC}/topics');
    await both('GET', '/connectors/nope/topics');
    await both('PUT', '/connectors/nope/topics/reset');
    for (const task of ['abc', '2147483648', '1.5'])
      await both('GET', `/connectors/{SRC}/tasks/${task}/status`, undefined, { body: 'types' });
    await both('GET', '/connectors/{SRC}/tasks/00/status', undefined, { body: 'types' });
    await both('PATCH', '/connectors/nope/config', undefined, { raw: '' });
    await both('PUT', '/connectors/{SRC}/pause', undefined, { raw: '{' });
    await both('GET', '/connectors/a%2Fb', undefined, { body: 'none' });
    await both('GET', '/connectors/a%01b/status', undefined, { body: 'none' });
    await both('OPTIONS', '/connectors/{SRC}/config');
    await both('POST', '/connectors', undefined, {
      raw: '['.repeat(5000),
      weirStatus: 400,
      because: JAVA_500,
    });
    await both('DELETE', '/connectors/{SRC}');
  }

  it('answers as a Java worker of the same version does', async () => {
    let failed = true;
    try {
      await sequence();
      failed = problems.length > 0;
    } finally {
      sides.report(failed);
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
