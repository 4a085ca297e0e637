import { describe, expect, it } from 'vitest';
import { ALL_OVERRIDES } from '../config/client-overrides.ts';
import { builtinPlugins } from '../plugins/builtin.ts';
import { pluginInfos, validateConnectorConfig } from './validation.ts';

const plugins = builtinPlugins();
const sink = { name: 'files', 'connector.class': 'FileStreamSink', topics: 'lines', file: '/tmp/out.txt' };
const validate = async (config: Record<string, string>) => {
  const infos = await validateConnectorConfig(plugins, { ...sink, ...config }, ALL_OVERRIDES);
  const byName = new Map(infos.configs.map((c) => [c.value.name, c]));
  return { infos, byName, errors: (name: string) => byName.get(name)?.value.errors ?? [] };
};

describe('validate with transforms and predicates (ConnectorConfig.enrich)', () => {
  it("lists each alias' type, version and settings in its group, in Java's order", async () => {
    const { infos } = await validate({
      transforms: 'route',
      'transforms.route.type': 'RegexRouter',
      'transforms.route.regex': '(.*)',
      'transforms.route.replacement': 'x-$1',
      predicates: 'tomb',
      'predicates.tomb.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
    });
    expect(infos.error_count).toBe(0);
    expect(infos.groups).toEqual(expect.arrayContaining(['Transforms: route', 'Predicates: tomb']));
    const route = infos.configs.filter((c) => c.value.name.startsWith('transforms.route.'));
    expect(route.map((c) => [c.definition.name, c.definition.group, c.definition.order_in_group])).toEqual([
      ['transforms.route.type', 'Transforms: route', 0],
      ['transforms.route.plugin.version', 'Transforms: route', 1],
      ['transforms.route.regex', 'Transforms: route', 2],
      ['transforms.route.replacement', 'Transforms: route', 3],
      ['transforms.route.negate', 'Transforms: route', 4],
      ['transforms.route.predicate', 'Transforms: route', 5],
    ]);
    expect(route[0]?.definition.display_name).toBe('Transformation type for route');
    expect(route[1]?.value.value).toBe('4.3.1');
    const tomb = infos.configs.filter((c) => c.value.name.startsWith('predicates.tomb.'));
    expect(tomb.map((c) => c.definition.name)).toEqual([
      'predicates.tomb.type',
      'predicates.tomb.plugin.version',
    ]);
  });

  it("reports a transform's bad setting by its key, with Kafka's message for the bare name", async () => {
    const { infos, errors } = await validate({
      transforms: 'route',
      'transforms.route.type': 'RegexRouter',
      'transforms.route.regex': '(a',
    });
    expect(errors('transforms.route.regex')).toEqual([
      'Invalid value (a for configuration regex: Invalid regex: Unclosed group near index 2\n(a',
    ]);
    expect(errors('transforms.route.replacement')).toEqual([
      'Missing required configuration "transforms.route.replacement" which has no default value.',
    ]);
    expect(infos.error_count).toBe(2);
  });

  it('names the closest plugins for an unknown class, and the missing type', async () => {
    const { errors } = await validate({
      transforms: 'a,b',
      'transforms.a.type': 'RegexRoutr',
      predicates: 'p',
    });
    expect(errors('transforms.a.type')[0]).toMatch(
      /^Invalid value RegexRoutr for configuration transforms.a.type: .*Did you mean: RegexRouter/,
    );
    expect(errors('transforms.b.type')).toEqual([
      'Missing required configuration "transforms.b.type" which has no default value.',
    ]);
    expect(errors('predicates.p.type')).toEqual([
      'Missing required configuration "predicates.p.type" which has no default value.',
    ]);
  });

  it('refuses a predicate alias that predicates does not list, and negate without a predicate', async () => {
    const { errors } = await validate({
      transforms: 'drop,keep',
      'transforms.drop.type': 'Filter',
      'transforms.drop.predicate': 'nope',
      'transforms.keep.type': 'Filter',
      'transforms.keep.negate': 'true',
    });
    expect(errors('transforms.drop.predicate')[0]).toMatch(/"nope" is not an alias in "predicates"/);
    expect(errors('transforms.keep.type')).toEqual([
      "Config 'transforms.keep.negate' was provided but there is no config 'transforms.keep.predicate' defining a predicate to be negated.",
    ]);
  });

  it('refuses a plugin.version Weir does not have, saying which it has', async () => {
    const { errors } = await validate({
      transforms: 'f',
      'transforms.f.type': 'Filter',
      'transforms.f.plugin.version': '3.9.0',
    });
    expect(errors('transforms.f.plugin.version')).toEqual([
      'Invalid value 3.9.0 for configuration transforms.f.plugin.version: Weir has version 4.3.1 of ' +
        'org.apache.kafka.connect.transforms.Filter only; set transforms.f.plugin.version=4.3.1 or remove it',
    ]);
  });
});

describe('GET /connector-plugins', () => {
  it('lists sinks, sources, transformations, predicates, converters, header converters, each by class', () => {
    const listed = pluginInfos(plugins, false);
    const kinds = [...new Set(listed.map((p) => p.type))];
    expect(kinds).toEqual(['sink', 'source', 'transformation', 'predicate', 'converter', 'header_converter']);
    const transforms = listed.filter((p) => p.type === 'transformation').map((p) => p.class);
    expect(transforms).toEqual([...transforms].sort());
    expect(listed).toContainEqual({
      class: 'org.apache.kafka.connect.transforms.TimestampConverter$Key',
      type: 'transformation',
      version: '4.3.1',
    });
    expect(pluginInfos(plugins, true).every((p) => p.type === 'sink' || p.type === 'source')).toBe(true);
  });
});
