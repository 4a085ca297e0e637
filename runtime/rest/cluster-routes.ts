// Distributed mode's own endpoints: the internal task-config submission between workers (signed with
// the session key) and Weir's admin endpoints for the operator (listing workers, declaring one gone so
// its work moves at once instead of after scheduled.rebalance.max.delay.ms).
import type { Request } from 'express';
import { WeirError } from '../errors.ts';
import type { Herder } from '../herder/herder.ts';
import { ALGORITHM_HEADER, SIGNATURE_HEADER } from '../distributed/session-keys.ts';
import { pathParam, reply, type Route, type RouteContext } from './request.ts';

function distributedOnly<K extends 'putTaskConfigs' | 'workers' | 'removeWorker'>(
  herder: Herder,
  method: K,
): NonNullable<Herder[K]> {
  const fn = herder[method];
  if (!fn)
    throw new WeirError(
      'WEIR_NOT_FOUND',
      'This endpoint exists only in distributed mode (weir connect-distributed)',
    );
  return fn.bind(herder) as NonNullable<Herder[K]>;
}

function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization') ?? '';
  return /^Bearer\s+(.+)$/i.exec(header)?.[1];
}

export function clusterRoutes({ herder }: RouteContext): Route[] {
  return [
    {
      method: 'post',
      path: '/connectors/:name/tasks',
      body: true,
      handle: async (req) => {
        await distributedOnly(herder, 'putTaskConfigs')(
          pathParam(req, 'name'),
          JSON.stringify(req.body ?? null),
          req.get(SIGNATURE_HEADER),
          req.get(ALGORITHM_HEADER),
        );
        return reply(204);
      },
    },
    {
      method: 'get',
      path: '/admin/workers',
      handle: async () => reply(200, await distributedOnly(herder, 'workers')()),
    },
    {
      method: 'delete',
      path: '/admin/workers/:worker',
      handle: async (req) => {
        await distributedOnly(herder, 'removeWorker')(pathParam(req, 'worker'), bearerToken(req));
        return reply(202);
      },
    },
  ];
}
