// /connector-plugins: installed plugins, a plugin's configuration definition, and config validation.
import { badRequest } from '../errors.ts';
import {
  booleanQuery,
  objectBody,
  pathParam,
  reply,
  stringMap,
  type Route,
  type RouteContext,
} from './request.ts';

const ALIAS_SUFFIX = 'Connector';

/** Works for fully qualified and simple class names; a simple name becomes its alias. */
function normalizedPluginName(name: string): string {
  return name.endsWith(ALIAS_SUFFIX) && name.length > ALIAS_SUFFIX.length
    ? name.slice(0, -ALIAS_SUFFIX.length)
    : name;
}

export function pluginRoutes({ herder }: RouteContext): Route[] {
  return [
    {
      method: 'get',
      path: '/connector-plugins',
      handle: async (req) => reply(200, herder.plugins(booleanQuery(req, 'connectorsOnly', true))),
    },
    {
      method: 'get',
      path: '/connector-plugins/:plugin/config',
      handle: async (req) => reply(200, herder.pluginConfig(pathParam(req, 'plugin'))),
    },
    {
      method: 'put',
      path: '/connector-plugins/:plugin/config/validate',
      body: true,
      handle: async (req) => {
        const plugin = pathParam(req, 'plugin');
        const withNulls = stringMap(
          objectBody(req, "a JSON object with the connector's configuration"),
          '',
          true,
        );
        // A null value is an unset one.
        const config = Object.fromEntries(
          Object.entries(withNulls).filter((entry): entry is [string, string] => entry[1] !== null),
        );
        const included = config['connector.class'];
        if (
          included !== undefined &&
          !normalizedPluginName(included).endsWith(normalizedPluginName(plugin))
        ) {
          throw badRequest(`Included connector type ${included} does not match request type ${plugin}`);
        }
        return reply(200, await herder.validateConnectorConfig(plugin, config));
      },
    },
  ];
}
