// `weir operator`: loads the kubeconfig, serves /metrics, /healthz and /readyz, campaigns for the
// Lease `weir-operator` and, while it leads, runs the controllers (operator/controllers/manager.ts).
// SIGTERM or SIGINT: stop the controllers, release the Lease, exit 0.
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { KubeClient } from './kube/client.ts';
import { EventRecorder } from './kube/events.ts';
import { LeaderElector } from './kube/leader-election.ts';
import { loadKubeConfig } from './runtime/kubeconfig.ts';
import { OperatorMetrics, startMetricsServer } from './runtime/metrics-server.ts';
import { createManager, type Manager } from './controllers/manager.ts';
import { logger } from '../runtime/logging.ts';
import { WEIR_VERSION } from '../runtime/version.ts';

const log = logger('weir.operator');

export const OPERATOR_USAGE = `Usage: weir operator [--kubeconfig FILE] [--namespace NS[,NS…]] [--metrics-port 8080]
                     [--lease-namespace NS] [--worker-image IMAGE] [--identity ID]`;

export interface OperatorArgs {
  kubeconfig?: string;
  namespaces?: string[];
  metricsPort: number;
  leaseNamespace: string;
  workerImage: string;
  identity: string;
}

export function parseOperatorArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): OperatorArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      namespace: { type: 'string', multiple: true },
      'metrics-port': { type: 'string' },
      'lease-namespace': { type: 'string' },
      'worker-image': { type: 'string' },
      identity: { type: 'string' },
    },
    strict: true,
  });
  const namespaces = (values.namespace ?? [])
    .flatMap((n) => n.split(','))
    .map((n) => n.trim())
    .filter((n) => n);
  const port = Number(values['metrics-port'] ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--metrics-port: not a port: ${values['metrics-port']}`);
  return {
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    ...(namespaces.length > 0 ? { namespaces } : {}),
    metricsPort: port,
    leaseNamespace: values['lease-namespace'] ?? env.POD_NAMESPACE ?? 'default',
    workerImage: values['worker-image'] ?? env.WEIR_WORKER_IMAGE ?? `weir:${WEIR_VERSION}`,
    identity: values.identity ?? `${env.HOSTNAME ?? hostname()}-${process.pid}`,
  };
}

export async function runOperator(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(OPERATOR_USAGE);
    return;
  }
  let args: OperatorArgs;
  try {
    args = parseOperatorArgs(argv);
  } catch (error) {
    console.error(
      `weir operator: ${error instanceof Error ? error.message : String(error)}\n\n${OPERATOR_USAGE}`,
    );
    process.exitCode = 2;
    return;
  }
  const { kubeConfig, source } = loadKubeConfig(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {});
  const client = new KubeClient(kubeConfig);
  const metrics = new OperatorMetrics();
  const events = new EventRecorder(client, { reportingInstance: args.identity });
  const settings = {
    namespace: args.leaseNamespace,
    podLabels: { 'app.kubernetes.io/name': 'weir-operator' },
    defaultImage: args.workerImage,
  };
  let manager: Manager | undefined;
  log.info(
    { kubeconfig: source, namespaces: args.namespaces ?? 'all', identity: args.identity },
    'operator starting',
  );

  const elector = new LeaderElector(client, {
    namespace: args.leaseNamespace,
    name: 'weir-operator',
    identity: args.identity,
    onStartedLeading: async (signal) => {
      metrics.setLeader(true);
      const m = createManager({
        client,
        events,
        metrics,
        settings,
        ...(args.namespaces ? { namespaces: args.namespaces } : {}),
      });
      manager = m;
      signal.addEventListener('abort', () => void m.stop(), { once: true });
      await m.start();
      log.info('controllers running');
    },
    onStoppedLeading: () => {
      metrics.setLeader(false);
      const m = manager;
      manager = undefined;
      void m?.stop();
    },
  });
  const server = await startMetricsServer({
    metrics,
    port: args.metricsPort,
    checks: { leader: () => (elector.leader ? undefined : 'no leader known yet') },
  });
  elector.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'operator stopping');
    const hardStop = setTimeout(() => process.exit(0), 20_000);
    hardStop.unref();
    try {
      await manager?.stop();
      await elector.stop({ release: true });
      await server.close();
    } catch (error) {
      log.warn({ err: error }, 'error while stopping');
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
