// `npm run kafka:start [-- --port N --dir D --host H]` and `npm run kafka:stop [-- --dir D]`.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MissingToolError, REPO_ROOT, startBroker, stopBroker } from './testbed.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    dir: { type: 'string' },
    host: { type: 'string' },
  },
});
const command = positionals[0];
const dir = values.dir ?? join(REPO_ROOT, '.weir', 'kafka');

try {
  if (command === 'start') {
    const port = Number(values.port ?? '9092');
    if (!Number.isInteger(port) || port <= 0 || port > 65535)
      throw new Error(`--port must be a TCP port, not "${values.port}"`);
    const state = await startBroker({ dir, port, host: values.host, log: (l) => console.error(l) });
    console.error(
      `Kafka broker running (pid ${state.pid}, data in ${dir}); stop it with: npm run kafka:stop`,
    );
    console.log(`bootstrap.servers=${state.bootstrap}`);
  } else if (command === 'stop') {
    const stopped = await stopBroker(dir);
    console.error(stopped ? `Kafka broker in ${dir} stopped.` : `No Kafka broker was running from ${dir}.`);
  } else {
    throw new Error(`unknown command "${command ?? ''}": use start or stop`);
  }
} catch (error) {
  console.error(
    error instanceof MissingToolError ? error.message : `kafka:${command}: ${(error as Error).message}`,
  );
  process.exitCode = 1;
}
