// `npm run bench -- <name> [options]`: Weir's benchmarks against Apache Kafka Connect on the same broker.
// Benchmarks print tables; they are never part of `npm test` (tests do not assert timings).
import { parseArgs } from 'node:util';
import { MissingToolError } from '../tools/kafka/testbed.ts';
import { runExactlyOnceBench } from './exactly-once.ts';
import { runFailoverBench } from './failover.ts';
import { runFileBench } from './file.ts';
import { runOperatorBench } from './operator.ts';
import { runTransformsBench } from './transforms.ts';

const USAGE = `usage: npm run bench -- file [--lines N] [--runs N] [--only weir,java,raw] [--keep]

  file   N lines of 100 bytes through FileStreamSource into a topic and FileStreamSink back out,
         for Weir and Apache Kafka Connect (same broker, StringConverter, same flush settings),
         plus Kafka's ProducerPerformance as the raw producer limit.
  --lines N   lines (records) per run, default 1000000
  --runs N    runs; the table shows medians, default 1
  --only …    only these systems
  --weir-from build|source
              run Weir compiled, as shipped (default), or from its TypeScript sources
  --weir-node-options="<flags>"
              node flags for the Weir worker; default "--max-semi-space-size=8", as the image sets them
  --keep      keep the temporary folder (worker logs, files)

usage: npm run bench -- transforms [--lines N] [--runs N] [--only weir,java] [--keep]

  transforms  N lines of 100 bytes through FileStreamSource and three transforms (HoistField$Value,
              InsertField$Value with a static field, RegexRouter) into a topic, values written by
              JsonConverter without schemas, for Weir and Apache Kafka Connect: records/s, start-up,
              peak RSS. --lines, --runs, --weir-from and --weir-node-options as for file.

usage: npm run bench -- exactly-once [--lines N] [--runs N] [--only weir,java] [--keep]

  exactly-once  N lines of 100 bytes through FileStreamSource into a topic on one distributed worker,
                without exactly-once and with exactly.once.source.support=enabled (transaction.boundary
                poll, then interval), for Weir and Apache Kafka Connect: records/s until the last record
                is committed, transactions, and the cost of exactly-once in percent of throughput.
                --lines, --runs and --weir-node-options as for file.

usage: npm run bench -- failover [--runs N] [--full] [--only weir,java] [--keep]

  failover  time until a 3-worker cluster's tasks run again after kill -9 (declared gone through
            Weir's admin endpoint, or not), SIGTERM, and until a new worker receives work, for Weir
            and Apache Kafka Connect. --runs defaults to 3 here; --full adds the scenarios that wait
            the default scheduled.rebalance.max.delay.ms (5 minutes each).

usage: npm run bench -- operator [--runs N] [--connectors N] [--scale-connectors N]
                                 [--scale-clusters N] [--steady-seconds N] [--only …] [--keep]

  operator  the operator on the local cluster (started if it does not run) with a broker reachable
            from pods; each KafkaConnector a VerifiableSource of 1 task. (a) apply --connectors
            (default 20) at once on a KafkaConnect of 2 workers → Ready, p50/p95, and the lag of
            status.topics; (b) delete the pod running most tasks → every task RUNNING again; a
            spec.logging change → level on every worker; (c) --scale-connectors (200) over
            --scale-clusters (5) KafkaConnects of 1 worker: operator RSS, reconciles/s, time until
            all Ready, REST calls per poll, steady for --steady-seconds (60).
  --runs N    rounds of (a), pod deletions, logging changes; default 3
  --only …    apply, kill, logging, scale
  --keep      keep the namespaces and the operators' logs`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      lines: { type: 'string', default: '1000000' },
      connectors: { type: 'string', default: '20' },
      'scale-connectors': { type: 'string', default: '200' },
      'scale-clusters': { type: 'string', default: '5' },
      'steady-seconds': { type: 'string', default: '60' },
      runs: { type: 'string' },
      full: { type: 'boolean', default: false },
      only: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'weir-from': { type: 'string', default: 'build' },
      // What the image sets (Dockerfile NODE_OPTIONS): Weir runs as shipped.
      'weir-node-options': { type: 'string', default: '--max-semi-space-size=8' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const lines = Number(values.lines);
  const threeRuns = positionals[0] === 'failover' || positionals[0] === 'operator';
  const runs = Number(values.runs ?? (threeRuns ? 3 : 1));
  if (positionals[0] === 'operator' && !values.help) {
    const count = (name: 'connectors' | 'scale-connectors' | 'scale-clusters' | 'steady-seconds') => {
      const n = Number(values[name]);
      if (!Number.isInteger(n) || n < 1)
        throw new UsageError(`--${name}: a whole number ≥ 1, not "${values[name]}"`);
      return n;
    };
    if (!Number.isInteger(runs) || runs < 1)
      throw new UsageError(`--runs: a whole number ≥ 1, not "${values.runs}"`);
    const table = await runOperatorBench({
      runs,
      connectors: count('connectors'),
      scaleConnectors: count('scale-connectors'),
      scaleClusters: count('scale-clusters'),
      steadyMs: count('steady-seconds') * 1000,
      keep: values.keep,
      only: values.only?.split(',').map((s) => s.trim()),
      log: (line) => console.error(line),
    });
    console.log(`\n${table}`);
    return 0;
  }
  if (positionals[0] === 'failover' && runs > 0 && !values.help) {
    const table = await runFailoverBench({
      runs: Math.floor(runs),
      full: values.full,
      keep: values.keep,
      only: values.only?.split(',').map((s) => s.trim()),
      log: (line) => console.error(line),
    });
    console.log(`\n${table}`);
    return 0;
  }
  if (positionals[0] === 'exactly-once' && !values.help) {
    if (!Number.isInteger(lines) || lines < 1)
      throw new UsageError(`--lines: a whole number ≥ 1, not "${values.lines}"`);
    if (!Number.isInteger(runs) || runs < 1)
      throw new UsageError(`--runs: a whole number ≥ 1, not "${values.runs}"`);
    const table = await runExactlyOnceBench({
      lines,
      runs,
      keep: values.keep,
      only: values.only?.split(',').map((s) => s.trim()),
      weirNodeOptions: values['weir-node-options'].split(/\s+/).filter(Boolean),
      log: (line) => console.error(line),
    });
    console.log(`\n${table}`);
    return 0;
  }
  const weirFrom = values['weir-from'];
  if (
    values.help ||
    (positionals[0] !== 'file' && positionals[0] !== 'transforms') ||
    !(lines > 0) ||
    !(runs > 0) ||
    (weirFrom !== 'build' && weirFrom !== 'source')
  ) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const run = positionals[0] === 'transforms' ? runTransformsBench : runFileBench;
  const table = await run({
    lines: Math.floor(lines),
    runs: Math.floor(runs),
    keep: values.keep,
    weirFrom,
    weirNodeOptions: values['weir-node-options'].split(/\s+/).filter(Boolean),
    only: values.only?.split(',').map((s) => s.trim()),
    log: (line) => console.error(line),
  });
  console.log(`\n${table}`);
  return 0;
}

/** A bad option: the message and the usage, exit 2. */
class UsageError extends Error {}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(error instanceof MissingToolError ? error.message : (error as Error).stack);
    process.exitCode = 1;
  }
}
