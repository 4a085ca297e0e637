// SIGTERM / SIGINT for a worker: run `stop` once, exit 0 when it finishes, 1 when it fails or takes
// longer than `timeoutMs` (a stuck task must not keep a pod from terminating).
import type { Logger } from 'pino';

export function exitOnSignals(stop: () => Promise<void>, timeoutMs: number, log: Logger): void {
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info(`Received ${signal}; stopping connectors and tasks`);
    const forceExit = setTimeout(() => {
      log.error('Shutdown took too long; exiting');
      process.exit(1);
    }, timeoutMs);
    forceExit.unref();
    try {
      await stop();
      log.info('Weir worker stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'Error while stopping');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
