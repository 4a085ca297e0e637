// The metrics of a `weir connect-*` process: always recorded (a few field increments per batch), served
// only when weir.metrics.port is set — like Java, which has JMX but no HTTP metrics of its own.
import type { Logger } from 'pino';
import type { WorkerConfig } from '../config/worker-config.ts';
import { WeirError } from '../errors.ts';
import { ConnectMetrics } from './connect-metrics.ts';
import { startMetricsServer } from './metrics-server.ts';

export interface WorkerMetrics {
  readonly metrics: ConnectMetrics;
  /** The port GET /metrics answers on, or null when not served. */
  readonly port: number | null;
  close(): Promise<void>;
}

export async function startWorkerMetrics(config: WorkerConfig, log: Logger): Promise<WorkerMetrics> {
  const port = config.metricsPort;
  // Process metrics (CPU, memory, event loop, GC) sample on timers: only when someone can scrape them.
  const metrics = new ConnectMetrics({ defaultMetrics: port !== null });
  if (port === null) return { metrics, port: null, close: async () => {} };
  try {
    const server = await startMetricsServer(metrics.registry, port);
    log.info(`Prometheus metrics at http://:${server.port}/metrics`);
    return { metrics, port: server.port, close: () => server.close() };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new WeirError(
      'WEIR_INVALID_CONFIG',
      `weir.metrics.port=${port}: cannot serve metrics there (${code ?? (error as Error).message}). ` +
        'Choose a free port, or remove the setting to serve no metrics.',
      { cause: error },
    );
  }
}
