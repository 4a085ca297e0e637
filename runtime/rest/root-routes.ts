// GET / (server info), GET /health (readiness and liveness) and GET /openapi.json (this API's document).
import type { HealthInfo, ServerInfo } from './types.ts';
import { reply, type Route, type RouteContext } from './request.ts';
import openapi from './openapi.json' with { type: 'json' };
import { CONNECT_COMPATIBLE_COMMIT, CONNECT_COMPATIBLE_VERSION } from '../version.ts';

const HEALTH_STATUS: Record<HealthInfo['status'], number> = {
  healthy: 200,
  starting: 503,
  unhealthy: 500,
};

export function rootRoutes({ herder, version, commit }: RouteContext): Route[] {
  return [
    {
      method: 'get',
      path: '/',
      handle: async () => {
        const info: ServerInfo = {
          version: CONNECT_COMPATIBLE_VERSION,
          commit: CONNECT_COMPATIBLE_COMMIT,
          kafka_cluster_id: herder.kafkaClusterId(),
          weir_version: version,
          weir_commit: commit,
        };
        return reply(200, info);
      },
    },
    {
      method: 'get',
      path: '/health',
      handle: async () => {
        const health = herder.health();
        return reply(HEALTH_STATUS[health.status] ?? 500, health);
      },
    },
    {
      method: 'get',
      path: '/openapi.json',
      handle: async () => reply(200, openapi),
    },
  ];
}
