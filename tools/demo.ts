// `npm run demo`: the seed walkthrough, live. A Kafka broker, a file source started from the
// command line, a file sink created over REST, a line appended and seen arriving, then a clean stop.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startBroker, stopBroker } from './kafka/testbed.ts';
import { http, startWeirStandalone, toProperties, waitFor, type WeirProcess } from './weir-process.ts';

const dir = join(REPO_ROOT, '.weir', 'demo');
const kafkaDir = join(dir, 'kafka');
const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
let stepNumber = 0;
const step = (text: string) => console.log(`\n${bold(`${++stepNumber}. ${text}`)}`);
const show = (text: string) => console.log(text.replace(/^/gm, '   '));
const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

async function main(): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const source = join(dir, 'test.txt');
  const sink = join(dir, 'test.sink.txt');
  let worker: WeirProcess | undefined;

  try {
    step('Start a Kafka broker (single-node KRaft, Apache Kafka from Maven Central)');
    const broker = await startBroker({ dir: kafkaDir, log: show });
    show(`bootstrap.servers=${broker.bootstrap}`);

    step('Write test.txt with three messages');
    writeFileSync(source, 'hello-1\nhello-2\nhello-3\n');
    show(`$ cat ${source}\n${readFileSync(source, 'utf8').trimEnd()}`);

    step('Start weir connect-standalone with the file source connector');
    const sourceConfig = {
      name: 'local-file-source',
      'connector.class': 'FileStreamSource',
      'tasks.max': '1',
      file: source,
      topic: 'connect-test',
    };
    show(`connect-file-source.properties:\n${toProperties(sourceConfig).trimEnd()}`);
    worker = await startWeirStandalone({ dir, bootstrap: broker.bootstrap, connectors: [sourceConfig] });
    show(`worker REST API: ${worker.url} (log: ${join(dir, 'weir.log')})`);

    step('Check it: GET /connectors/local-file-source');
    const info = await waitFor('the source connector', async () => {
      const r = await http('GET', `${worker?.url}/connectors/local-file-source`);
      return r.status === 200 ? r.body : undefined;
    });
    show(JSON.stringify(info, null, 2));
    const status = await waitFor('the source task to run', async () => {
      const r = await http('GET', `${worker?.url}/connectors/local-file-source/status`);
      const body = r.body as { tasks?: { state: string }[] };
      return body.tasks?.[0]?.state === 'RUNNING' ? body : undefined;
    });
    show(`status: ${JSON.stringify(status)}`);

    step('Create the file sink over REST: PUT /connectors/local-file-sink/config');
    const sinkConfig = {
      'connector.class': 'FileStreamSink',
      'tasks.max': '1',
      file: sink,
      topics: 'connect-test',
    };
    show(JSON.stringify(sinkConfig, null, 2));
    const created = await http('PUT', `${worker.url}/connectors/local-file-sink/config`, sinkConfig);
    show(`HTTP ${created.status}\n${JSON.stringify(created.body, null, 2)}`);

    step('Watch the messages arrive in test.sink.txt');
    await waitFor('three lines in test.sink.txt', () => lines(sink).length >= 3, 60_000);
    show(`$ cat ${sink}\n${lines(sink).join('\n')}`);

    step('Append hello-4 to test.txt and see it arrive');
    appendFileSync(source, 'hello-4\n');
    await waitFor('hello-4 in test.sink.txt', () => lines(sink).includes('hello-4'), 30_000);
    show(`$ cat ${sink}\n${lines(sink).join('\n')}`);

    step('Stop everything cleanly (SIGTERM to the worker, then the broker)');
    const code = await worker.stop('SIGTERM');
    worker = undefined;
    show(`worker exited with code ${code}`);
    await stopBroker(kafkaDir);
    show('broker stopped');
    console.log(`\n${bold('Done.')} Files are in ${dir}.`);
  } catch (error) {
    console.error(`\ndemo failed: ${(error as Error).message}`);
    const log = join(dir, 'weir.log');
    if (existsSync(log))
      console.error(`last lines of ${log}:\n${readFileSync(log, 'utf8').split('\n').slice(-20).join('\n')}`);
    process.exitCode = 1;
  } finally {
    await worker?.stop('SIGKILL');
    await stopBroker(kafkaDir);
  }
}

await main();
