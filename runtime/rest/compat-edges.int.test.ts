// Compatibility with Apache Kafka Connect for unusual requests, side by side with a Java ConnectStandalone
// on the same broker (as compat.int.test.ts does for the usual ones): paths Jetty refuses (encoded
// slashes, control characters, …) and connector names with control characters, status codes for task
// ids that are not 32-bit integers, topics of unknown connectors, existence checked before bodies,
// bodies ignored where Java reads none, OPTIONS, and deeply nested JSON.
//
// Where Java answers 500 for a bad body (a Jackson or NullPointerException message), Weir answers 400
// naming what is wrong; those steps assert Weir's status and print the difference.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJavaConnectStandalone, type JavaConnectProcess } from '../../tools/java-connect-process.ts';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { startWeirStandalone, waitFor, type WeirProcess } from '../../tools/weir-process.ts';
import { SideBySide, type Side } from './testing/side-by-side.ts';

const JAVA_500 = 'Java answers 500 with its exception message; Weir 400 naming what is wrong';

describe('REST compatibility with Apache Kafka Connect: unusual requests', () => {
  let java: JavaConnectProcess | undefined;
  let weir: WeirProcess | undefined;
  const sides = new SideBySide();
  const { problems, differences } = sides;
  const both = sides.both.bind(sides);

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-compat-edges-'));
    const [j, w] = await Promise.all([
      startJavaConnectStandalone({ dir, bootstrap: kafkaBootstrap() }),
      startWeirStandalone({ dir, bootstrap: kafkaBootstrap() }),
    ]);
    java = j;
    weir = w;
    const run = uniqueName('edges');
    for (const [side, url] of [
      ['java', j.url],
      ['weir', w.url],
    ] as const) {
      sides.workers[side] = {
        url,
        vars: [
          ['{FILE}', join(dir, `${side}.missing.txt`)],
          ['{TOPIC}', `${run}-${side}`],
          ['{SRC}', `${run}-source-${side}`],
        ],
      };
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([java?.stop(), weir?.stop()]);
  });

  /** Jetty's reason, from the title of its HTML error page. */
  const jettyReason = (body: unknown): string | undefined =>
    typeof body === 'string' ? /<title>Error 400 ([^<]*)<\/title>/.exec(body)?.[1] : undefined;

  async function refusedPaths(): Promise<void> {
    for (const path of [
      '/connectors/a%2Fb',
      '/connectors/a%2fb/status',
      '/connectors/a%01b',
      '/connectors/a%09b/config',
      '/connectors/a%7Fb',
      '/connectors/a%5Cb',
      '/connectors/a%00b',
      '/connectors/a%25b',
      '/connectors/%2e%2e/status',
      '/connectors/a%FFb',
      '/connectors/a%zzb',
      '//connectors',
      '/connectors/a|b',
      '/connectors/a"b',
      '/connectors/a\\b',
    ]) {
      // Jetty may close the connection without an answer to a request with a body and a malformed path.
      for (const method of /%00|%zz/.test(path) ? ['GET'] : ['GET', 'PUT']) {
        const body = method === 'PUT' ? { 'connector.class': 'FileStreamSource', topic: 't' } : undefined;
        // Jetty's answer is an HTML page (GET) or empty; Weir's is the usual JSON error naming Jetty's reason.
        const answers = await both(method, path, body, { body: 'none' });
        const reason = jettyReason(answers.java.body);
        const message = (answers.weir.body as { message?: string } | null)?.message ?? '';
        if (reason && !message.startsWith(`${reason}: `))
          problems.push(`${method} ${path}: Java refuses it with '${reason}', Weir says '${message}'`);
      }
    }
    // Jersey drops matrix parameters; characters Jetty lets through reach the route.
    await both('GET', '/connectors;x=1');
    await both('GET', '/connectors/a%3Bb/status', undefined, { body: 'types' });
    await both('GET', '/connectors/a%2eb/status', undefined, { body: 'types' });
  }

  async function controlCharacterNames(): Promise<void> {
    const config = { 'connector.class': 'FileStreamSource', topic: '{TOPIC}', file: '{FILE}' };
    await both('POST', '/connectors', { name: 'a\u0001b', config });
    await both('POST', '/connectors', { name: 'a\tb\u007f', config });
    await both('PUT', '/connectors/a%C2%80b/config', config);
    // Java trims the name of a create request as String.trim does: leading control characters go.
    await both('POST', '/connectors', { name: '\u0001{SRC}-trimmed\u0002', config }, { location: true });
    await both('DELETE', '/connectors/{SRC}-trimmed');
  }

  async function statusCodes(): Promise<void> {
    const config = { 'connector.class': 'FileStreamSource', topic: '{TOPIC}', file: '{FILE}' };
    await both('PUT', '/connectors/{SRC}/config', config);
    await waitFor('the connector on both sides', async () => {
      const answers = await Promise.all(
        (['java', 'weir'] as Side[]).map((side) => sides.ask(side, 'GET', '/connectors/{SRC}/status')),
      );
      return answers.every((a) => (a.body as { tasks?: unknown[] }).tasks?.length === 1);
    });
    // Topics of a connector that does not exist: none (Java reads the status store without asking).
    await both('GET', '/connectors/nope/topics');
    await both('PUT', '/connectors/nope/topics/reset');
    // Task ids that are not 32-bit integers match no route in Java.
    for (const task of ['abc', '1.5', '0x1', '2147483648', '-2147483649', '99999999999']) {
      await both('GET', `/connectors/{SRC}/tasks/${task}/status`, undefined, { body: 'types' });
      await both('POST', `/connectors/{SRC}/tasks/${task}/restart`, undefined, { body: 'types' });
    }
    for (const task of ['+0', '00', '-1'])
      await both('GET', `/connectors/{SRC}/tasks/${task}/status`, undefined, { body: 'types' });
    // Existence before the body.
    await both('PATCH', '/connectors/nope/config', undefined, { raw: '' });
    await both('PATCH', '/connectors/nope/config', undefined, { raw: 'null' });
    await both('PATCH', '/connectors/{SRC}/config', undefined, {
      raw: 'null',
      weirStatus: 400,
      because: JAVA_500,
    });
    // Routes without a body ignore one, even malformed; the Content-Type is still checked.
    await both('GET', '/connectors/{SRC}/status', undefined, { raw: '{', body: 'types' });
    await both('PUT', '/connectors/{SRC}/pause', undefined, { raw: '{' });
    await both('PUT', '/connectors/{SRC}/resume', undefined, { raw: '{' });
    await both('PUT', '/connectors/{SRC}/resume', undefined, {
      raw: 'hi',
      contentType: 'text/plain',
      body: 'types',
    });
    await both('POST', '/connectors/{SRC}/restart', undefined, { raw: '{' });
    await both('DELETE', '/connectors/nope', undefined, { raw: '{' });
    // Bodies Java fails on with a 500.
    await both('POST', '/connectors', undefined, { raw: 'null', weirStatus: 400, because: JAVA_500 });
    await both('PUT', '/connectors/nope/config', undefined, { raw: '', weirStatus: 400, because: JAVA_500 });
    await both('PATCH', '/connectors/{SRC}/offsets', undefined, {
      raw: '',
      weirStatus: 400,
      because: JAVA_500,
    });
    await both('PUT', '/admin/loggers/x', undefined, { raw: '', weirStatus: 400, because: JAVA_500 });
    await both('PUT', '/connector-plugins/FileStreamSource/config/validate', undefined, {
      raw: '',
      weirStatus: 400,
      because: JAVA_500,
    });
    await both('POST', '/connectors/nope/restart', undefined, {
      weirStatus: 404,
      because: 'Java standalone answers 500 (a NullPointerException) for the restart of an unknown connector',
    });
    // Deeply nested JSON: Java's parser stops at depth 1000 (a 500); Weir refuses it with a 400.
    for (const raw of ['['.repeat(5000), '{"a":'.repeat(3000)])
      await both('POST', '/connectors', undefined, { raw, weirStatus: 400, because: JAVA_500 });
    await both('DELETE', '/connectors/{SRC}');
  }

  async function options(): Promise<void> {
    for (const path of [
      '/',
      '/connectors',
      '/connectors/x',
      '/connectors/x/config',
      '/connectors/x/offsets',
      '/connectors/x/restart',
      '/connectors/x/tasks/abc/status',
      '/connector-plugins/x/config/validate',
      '/admin/loggers/x',
      '/connectors/x/topics/reset',
      '/nope',
    ]) {
      const answers = await both('OPTIONS', path);
      if (answers.java.status !== 200) continue;
      for (const header of ['allow', 'content-type']) {
        const value = (side: Side) => String(answers[side].headers[header] ?? '').split(';')[0];
        if (value('java') !== value('weir'))
          problems.push(`OPTIONS ${path}: ${header} Java '${value('java')}', Weir '${value('weir')}'`);
      }
    }
    await both('OPTIONS', '/connectors', undefined, { headers: { accept: 'application/json' } });
  }

  it('answers unusual requests with the same status codes as Java', async () => {
    let failed = true;
    try {
      await refusedPaths();
      await controlCharacterNames();
      await statusCodes();
      await options();
      failed = problems.length > 0;
    } finally {
      sides.report(failed);
    }
    expect(problems).toEqual([]);
    expect(differences.length).toBeGreaterThan(0);
  }, 120_000);
});
