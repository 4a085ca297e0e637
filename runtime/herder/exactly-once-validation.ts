// The exactly-once checks of a source connector's validation, as DistributedHerder's
// validateSourceConnectorExactlyOnceSupport and validateSourceConnectorTransactionBoundary:
// exactly.once.support=required needs a worker with exactly-once source support and a connector that
// says it supports it; transaction.boundary=connector needs a connector that can define boundaries.
import type { ConfigValue, SourceConnector } from '../api/index.ts';
import { logger } from '../logging.ts';

/** What the worker validating a connector offers for exactly-once sources. */
export type ExactlyOnceMode =
  { readonly mode: 'standalone' } | { readonly mode: 'distributed'; readonly sourceSupportEnabled: boolean };

const log = logger('org.apache.kafka.connect.runtime.distributed.DistributedHerder');

function unexpected(error: unknown, what: string): string {
  log.error({ err: error }, `Failed while validating connector support for ${what}`);
  const message = error instanceof Error ? error.message.trim() : '';
  return message
    ? `An unexpected error occurred during validation: ${message}`
    : 'An unexpected error occurred during validation; please see the worker logs for more details.';
}

/** Adds the exactly-once errors to the validated exactly.once.support and transaction.boundary values. */
export async function checkExactlyOnce(
  connector: SourceConnector,
  config: Record<string, string>,
  validated: ReadonlyMap<string, ConfigValue>,
  mode: ExactlyOnceMode,
): Promise<void> {
  const support = validated.get('exactly.once.support');
  if (support && support.errors.length === 0 && String(support.value).toLowerCase() === 'required') {
    if (mode.mode === 'standalone') {
      support.errors.push(
        'This worker does not have exactly-once source support enabled: standalone mode does not support ' +
          'exactly-once source connectors. Run the workers in distributed mode with ' +
          'exactly.once.source.support=enabled, or set exactly.once.support=requested.',
      );
    } else if (!mode.sourceSupportEnabled) {
      support.errors.push(
        'This worker does not have exactly-once source support enabled. Set exactly.once.source.support=enabled ' +
          "on every worker (first 'preparing' on all of them, then 'enabled'), or set exactly.once.support=requested.",
      );
    }
    try {
      const answer = await connector.exactlyOnceSupport(config);
      if (answer === null || answer === undefined) {
        support.errors.push(
          'The connector does not implement the API required for preflight validation of exactly-once source ' +
            'support. Please consult the documentation for the connector to determine whether it supports ' +
            'exactly-once semantics, and then consider reconfiguring the connector to use the value "requested" ' +
            'for this property (which will disable this preflight check and allow the connector to be created).',
        );
      } else if (answer !== 'SUPPORTED') {
        support.errors.push(
          'The connector does not support exactly-once semantics with the provided configuration.',
        );
      }
    } catch (error) {
      support.errors.push(unexpected(error, 'exactly-once semantics'));
    }
  }
  // Standalone Java does not look at transaction boundaries (it never runs transactions).
  if (mode.mode === 'standalone') return;
  const boundary = validated.get('transaction.boundary');
  if (!boundary || boundary.errors.length > 0 || String(boundary.value).toLowerCase() !== 'connector') return;
  try {
    const answer = await connector.canDefineTransactionBoundaries(config);
    if (answer === null || answer === undefined) {
      boundary.errors.push(
        'This connector has returned a null value from its canDefineTransactionBoundaries method, which is not ' +
          'permitted. The connector will be treated as if it cannot define its own transaction boundaries, and ' +
          "cannot be configured with 'transaction.boundary' set to 'connector'.",
      );
    } else if (answer !== 'SUPPORTED') {
      boundary.errors.push(
        'The connector does not support connector-defined transaction boundaries with the given configuration. ' +
          'Please reconfigure it to use a different transaction boundary definition.',
      );
    }
  } catch (error) {
    boundary.errors.push(unexpected(error, 'defining its own transaction boundaries'));
  }
}
