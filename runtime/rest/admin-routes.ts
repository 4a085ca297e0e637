// /admin/loggers: read and change log levels at run time, as Apache Kafka Connect's LoggingResource does.
import { badRequest, notFound } from '../errors.ts';
import { logger, loggerLevel, loggerLevels, setLoggerLevel } from '../logging.ts';
import { objectBody, pathParam, reply, stringQuery, type Route, type RouteContext } from './request.ts';

const log = logger('weir.rest');

/** The levels runtime/logging.ts understands, by their Java (log4j) names. */
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'OFF'];

export function adminRoutes({ setClusterLoggerLevel }: RouteContext): Route[] {
  return [
    {
      method: 'get',
      path: '/admin/loggers',
      handle: async () => reply(200, loggerLevels()),
    },
    {
      method: 'get',
      path: '/admin/loggers/:logger',
      handle: async (req) => {
        const name = pathParam(req, 'logger');
        const level = loggerLevel(name);
        if (!level) throw notFound(`Logger ${name} not found.`);
        return reply(200, level);
      },
    },
    {
      method: 'put',
      path: '/admin/loggers/:logger',
      body: true,
      handle: async (req) => {
        const name = pathParam(req, 'logger');
        const body = objectBody(req, 'a JSON object such as {"level": "DEBUG"}');
        const raw = body.level;
        if (raw === undefined || raw === null) {
          throw badRequest("Desired 'level' parameter was not specified in request.");
        }
        const level = String(raw);
        if (typeof raw === 'object' || !LEVELS.includes(level.toUpperCase())) {
          // Java answers an unknown level with 404.
          throw notFound(`invalid log level '${level}'. Valid levels: ${LEVELS.join(', ')}.`);
        }
        let scope = stringQuery(req, 'scope') ?? 'worker';
        if (scope.toLowerCase() !== 'worker' && scope.toLowerCase() !== 'cluster') {
          log.warn(
            `Received invalid scope '${scope}' in request to adjust logging level; will default to worker`,
          );
          scope = 'worker';
        }
        if (scope.toLowerCase() === 'cluster') {
          // Without a cluster to tell (standalone mode), this worker is the whole cluster.
          if (setClusterLoggerLevel) await setClusterLoggerLevel(name, level);
          else setLoggerLevel(name, level);
          return reply(204);
        }
        return reply(200, setLoggerLevel(name, level));
      },
    },
  ];
}
