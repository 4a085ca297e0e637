// The `weir` command. Subcommands: connect-standalone, connect-distributed, version.
import { ConfigException } from '../api/index.ts';
import { WeirError } from '../errors.ts';
import { WEIR_VERSION } from '../version.ts';
import { runDistributed } from './distributed.ts';
import { runStandalone } from './standalone.ts';

const USAGE = `Usage:
  weir connect-standalone <worker.properties> [<connector.properties|connector.json>…]
  weir connect-distributed <worker.properties>
  weir operator [--kubeconfig FILE] [--namespace NS,…] [--metrics-port 8080]
  weir version

Weir is Kafka Connect on Kubernetes: https://weir.dev`;

/** Prints a problem the user can fix, without a stack trace, and sets a failing exit code. */
export function reportStartupError(error: unknown): void {
  if (error instanceof ConfigException) {
    const [only, ...more] = error.problems;
    console.error(
      only && more.length === 0
        ? `weir: invalid configuration: ${only.message}`
        : `weir: invalid configuration:\n${error.problems.map((p) => `  - ${p.message}`).join('\n')}`,
    );
  } else if (error instanceof WeirError) {
    console.error(`weir: ${error.message}`);
  } else {
    console.error('weir: unexpected error:', error);
  }
  process.exitCode = 1;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'connect-standalone':
      await runStandalone(args);
      return;
    case 'connect-distributed':
      await runDistributed(args);
      return;
    case 'operator': // the operator talks to workers only over REST; the CLI is the one shared entry
      await (await import('../../operator/main.ts')).runOperator(args);
      return;
    case 'version':
    case '--version':
      console.log(WEIR_VERSION);
      return;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      console.error(`weir: unknown command "${command}".\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

await main(process.argv.slice(2)).catch((error: unknown) => {
  reportStartupError(error);
  // What a failed start left open (the metrics listener, client sockets) must not keep the process
  // alive: the worker exits with its one line, and a pod shows the failure at once.
  process.exit();
});
