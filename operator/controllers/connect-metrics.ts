// What the controllers ask of the workers, on the operator's /metrics: REST requests by method and
// route, and connector polls by result. The poller is meant to cost one request per cluster per
// poll; these two counters show it (requests for GET /connectors ÷ polls). The metrics are made
// once per registry: a replica that leads again builds new controllers on the same registry.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { HttpMethod } from '../connect-client.ts';

export interface ConnectMetrics {
  request(method: HttpMethod, route: string): void;
  polled(result: 'success' | 'error', durationMs: number): void;
}

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]) {
  return (
    (registry.getSingleMetric(name) as Counter<L> | undefined) ??
    new Counter({ name, help, labelNames, registers: [registry] })
  );
}

export function connectMetrics(registry: Registry): ConnectMetrics {
  const requests = counter(
    registry,
    'weir_operator_connect_requests_total',
    'Requests to the Connect REST API of the workers, by method and route',
    ['method', 'route'],
  );
  const polls = counter(
    registry,
    'weir_operator_connector_polls_total',
    'Polls (GET /connectors?expand=…) of the workers of a KafkaConnect, by result',
    ['result'],
  );
  const pollName = 'weir_operator_connector_poll_duration_seconds';
  const pollDuration =
    (registry.getSingleMetric(pollName) as Histogram | undefined) ??
    new Histogram({
      name: pollName,
      help: 'How long a poll of the connectors of one KafkaConnect took',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  return {
    request: (method, route) => requests.inc({ method, route }),
    polled: (result, durationMs) => {
      polls.inc({ result });
      pollDuration.observe(durationMs / 1000);
    },
  };
}
