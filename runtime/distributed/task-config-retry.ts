// Task configs a connector generated must reach the config topic, even when the first try fails (the
// leader changed in a rebalance, or could not be reached): as Java's reconfigureConnectorTasksWithRetry,
// the worker asks the connector again after a back-off, 250 ms doubling up to 60 s, until a
// submission succeeds. Asking again (rather than resending) lets a newer config or a stop win.
import type { Logger } from 'pino';

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 60_000;

export class TaskConfigRetry {
  readonly #reconfigure: (connector: string) => void;
  readonly #log: Logger;
  readonly #attempts = new Map<string, number>();
  readonly #timers = new Map<string, NodeJS.Timeout>();

  /** `reconfigure` asks the connector for its task configs again (and submits them if they changed). */
  constructor(reconfigure: (connector: string) => void, log: Logger) {
    this.#reconfigure = reconfigure;
    this.#log = log;
  }

  /** Runs `submit`; on failure, logs it and schedules the connector's reconfiguration. Never throws. */
  async submit(connector: string, submit: () => Promise<void>): Promise<void> {
    clearTimeout(this.#timers.get(connector));
    this.#timers.delete(connector);
    try {
      await submit();
      this.#attempts.delete(connector);
    } catch (error) {
      const attempt = (this.#attempts.get(connector) ?? 0) + 1;
      this.#attempts.set(connector, attempt);
      const delay = Math.min(FIRST_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS);
      this.#log.warn(
        { err: error, connector },
        `Could not submit the task configs of connector ${connector}; asking it again in ${delay} ms`,
      );
      this.#timers.set(
        connector,
        setTimeout(() => {
          this.#timers.delete(connector);
          this.#reconfigure(connector);
        }, delay),
      );
    }
  }

  /** Cancels every scheduled retry (the worker stops). */
  stop(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
