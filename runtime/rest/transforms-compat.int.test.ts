// Compatibility with Apache Kafka Connect for transforms and predicates: the plugin list with
// connectorsOnly=false, a transform's and a predicate's settings, and validate with transforms, sent to
// a Java ConnectStandalone and to `weir connect-standalone` on the same broker (the test bed of
// compat.int.test.ts). Java lists plugins Weir does not have yet (MirrorMaker, other transforms):
// those are left out of the comparison, the rest must agree in content and order.
//
// Where Weir differs on purpose: an unknown transform class names the closest plugins in its error
// (Java: "Class … could not be found."); a transform whose predicate is not in `predicates` is an
// error (Java accepts it and the task fails when it starts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJavaConnectStandalone, type JavaConnectProcess } from '../../tools/java-connect-process.ts';
import { kafkaBootstrap } from '../../tools/vitest/kafka.ts';
import { http, startWeirStandalone, type WeirProcess } from '../../tools/weir-process.ts';

type Side = 'java' | 'weir';
interface Plugin {
  class: string;
  type: string;
  version?: string;
}
interface ConfigInfo {
  definition: { name: string } & Record<string, unknown>;
  value: { name: string; errors: string[] } & Record<string, unknown>;
}
interface Validation {
  name: string;
  error_count: number;
  groups: string[];
  configs: ConfigInfo[];
}

const TRANSFORMS = 'org.apache.kafka.connect.transforms';

describe('transforms and predicates: REST compatibility with Apache Kafka Connect', () => {
  let java: JavaConnectProcess | undefined;
  let weir: WeirProcess | undefined;
  const url = {} as Record<Side, string>;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-transforms-compat-'));
    [java, weir] = await Promise.all([
      startJavaConnectStandalone({ dir, bootstrap: kafkaBootstrap() }),
      startWeirStandalone({ dir, bootstrap: kafkaBootstrap() }),
    ]);
    url.java = java.url;
    url.weir = weir.url;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([java?.stop(), weir?.stop()]);
  });

  const both = async (method: string, path: string, body?: unknown) => {
    const [j, w] = await Promise.all([
      http(method, `${url.java}${path}`, body),
      http(method, `${url.weir}${path}`, body),
    ]);
    return { java: j, weir: w };
  };

  it('lists transformations and predicates as Java does, in its order', async () => {
    const answers = await both('GET', '/connector-plugins?connectorsOnly=false');
    expect(answers.weir.status).toBe(answers.java.status);
    const javaList = answers.java.body as Plugin[];
    const weirList = answers.weir.body as Plugin[];
    const key = (p: Plugin) => `${p.type} ${p.class}`;
    const weirKeys = new Set(weirList.map(key));
    const javaKeys = new Set(javaList.map(key));
    const ours = [
      'DropHeaders',
      'Filter',
      'InsertHeader',
      'RegexRouter',
      'TimestampConverter$Key',
      'TimestampConverter$Value',
      'TimestampRouter',
    ].map((name) => `transformation ${TRANSFORMS}.${name}`);
    ours.push(
      ...['HasHeaderKey', 'RecordIsTombstone', 'TopicNameMatches'].map(
        (name) => `predicate ${TRANSFORMS}.predicates.${name}`,
      ),
    );
    for (const plugin of ours) {
      expect(javaKeys.has(plugin), `Java lists ${plugin}`).toBe(true);
      expect(weirKeys.has(plugin), `Weir lists ${plugin}`).toBe(true);
    }
    // What both list: the same entries, in the same order; versions of Weir's own connectors and
    // converters are Weir's (compat.int.test.ts compares those by type only).
    const listed = (list: Plugin[], other: Set<string>) =>
      list
        .filter((p) => other.has(key(p)))
        .map((p) => (ours.includes(key(p)) ? p : { class: p.class, type: p.type }));
    expect(listed(weirList, javaKeys)).toEqual(listed(javaList, weirKeys));
  });

  it.each([
    `${TRANSFORMS}.RegexRouter`,
    `${TRANSFORMS}.TimestampConverter$Value`,
    'TimestampRouter',
    'InsertHeader',
    `${TRANSFORMS}.predicates.TopicNameMatches`,
    'HasHeaderKey',
    'DropHeaders',
    'Filter',
    `${TRANSFORMS}.TimestampConverter$Key`,
    'RecordIsTombstone',
  ])("GET /connector-plugins/%s/config answers Java's settings", async (plugin) => {
    const answers = await both('GET', `/connector-plugins/${encodeURIComponent(plugin)}/config`);
    expect(answers.weir.status).toBe(answers.java.status);
    expect(answers.weir.body).toEqual(answers.java.body);
  });

  it("validate reports each transform's and predicate's settings and errors as Java does", async () => {
    const config = {
      'connector.class': 'FileStreamSink',
      name: 'v',
      topics: 't',
      transforms: 'route,stamp,drop,headers',
      // Kafka drops repeated list elements when it configures DropHeaders, not in validate.
      'transforms.headers.type': 'DropHeaders',
      'transforms.headers.headers': 'a,a',
      'transforms.route.type': `${TRANSFORMS}.RegexRouter`,
      'transforms.route.regex': '(a',
      'transforms.stamp.type': `${TRANSFORMS}.TimestampConverter$Value`,
      'transforms.stamp.target.type': 'date',
      'transforms.drop.type': 'Filter',
      'transforms.drop.predicate': 'byTopic',
      'transforms.drop.negate': 'true',
      predicates: 'byTopic,hasHeader',
      'predicates.byTopic.type': `${TRANSFORMS}.predicates.TopicNameMatches`,
      'predicates.byTopic.pattern': '[a-',
      'predicates.hasHeader.type': 'HasHeaderKey',
    };
    const answers = await both('PUT', '/connector-plugins/FileStreamSink/config/validate', config);
    expect(answers.weir.status).toBe(answers.java.status);
    const [javaBody, weirBody] = [answers.java.body as Validation, answers.weir.body as Validation];
    // Java recommends every transform it has; Weir's other transforms arrive on another branch.
    const weirClasses = new Set(
      ((await http('GET', `${url.weir}/connector-plugins?connectorsOnly=false`)).body as Plugin[]).map(
        (p) => p.class,
      ),
    );
    const aliasSettings = (v: Validation) =>
      v.configs
        .filter((c) => /^(transforms|predicates)\./.test(c.value.name))
        .map((c) => ({
          ...c,
          value: {
            ...c.value,
            recommended_values: (c.value['recommended_values'] as string[]).filter((r) => weirClasses.has(r)),
          },
        }));
    expect(aliasSettings(weirBody)).toEqual(aliasSettings(javaBody));
    expect(weirBody.error_count).toBe(javaBody.error_count);
    const aliasGroups = (v: Validation) => v.groups.filter((g) => g.includes(': '));
    expect(aliasGroups(weirBody)).toEqual(aliasGroups(javaBody));
  });

  it('validate with an unknown transform class: both refuse it by its key', async () => {
    const config = {
      'connector.class': 'FileStreamSink',
      name: 'v',
      topics: 't',
      transforms: 'x',
      'transforms.x.type': 'com.example.NoSuchTransform',
    };
    const answers = await both('PUT', '/connector-plugins/FileStreamSink/config/validate', config);
    expect(answers.weir.status).toBe(answers.java.status);
    const [javaBody, weirBody] = [answers.java.body as Validation, answers.weir.body as Validation];
    expect(weirBody.error_count).toBe(javaBody.error_count);
    const withErrors = (v: Validation) =>
      v.configs.filter((c) => c.value.errors.length > 0).map((c) => c.value.name);
    expect(withErrors(weirBody)).toEqual(withErrors(javaBody));
    const names = (v: Validation) =>
      v.configs.map((c) => c.value.name).filter((n) => n.startsWith('transforms.'));
    expect(names(weirBody)).toEqual(names(javaBody));
  });
});
