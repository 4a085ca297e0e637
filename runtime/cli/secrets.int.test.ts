// Secrets stay secret, on a worker run as users run it: the file and directory config providers read
// only under their allowed.paths (a placeholder elsewhere is refused with Kafka's message), and a
// value a provider resolved never shows in validate answers, status traces or the worker's log.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { http, startWeirStandalone, waitFor, type WeirProcess } from '../../tools/weir-process.ts';

const SECRET = 'TopSecret-4e1f9a';
const TOKEN = 'env-token-77c2d0';

describe('secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-secrets-'));
  const allowed = join(dir, 'secrets');
  const outside = join(dir, 'elsewhere');
  let worker: WeirProcess | undefined;
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    delete process.env.WEIR_SECRETS_TEST_TOKEN;
  });

  async function taskTrace(name: string): Promise<string> {
    return waitFor(`${name}'s task FAILED`, async () => {
      const { body } = await http('GET', `${worker!.url}/connectors/${name}/status`);
      const task = (body as { tasks: { state: string; trace?: string }[] }).tasks[0];
      return task?.state === 'FAILED' ? (task.trace ?? '') : undefined;
    });
  }

  async function connectorTrace(name: string): Promise<string> {
    return waitFor(`${name} FAILED`, async () => {
      const { body } = await http('GET', `${worker!.url}/connectors/${name}/status`);
      const connector = (body as { connector: { state: string; trace?: string } }).connector;
      return connector.state === 'FAILED' ? (connector.trace ?? '') : undefined;
    });
  }

  it('are read only under allowed.paths and never shown in validate, status or logs', async () => {
    mkdirSync(allowed);
    mkdirSync(outside);
    // A sink file in a folder that does not exist: the task fails, and its error quotes the path.
    writeFileSync(
      join(allowed, 'sink.properties'),
      `file=/nonexistent-${SECRET}/out.txt\npassword=${SECRET}\n`,
    );
    writeFileSync(join(outside, 'sink.properties'), `file=${join(dir, 'out.txt')}\n`);
    process.env.WEIR_SECRETS_TEST_TOKEN = TOKEN;
    const log = join(dir, 'weir.log');
    worker = await startWeirStandalone({
      dir,
      bootstrap: kafkaBootstrap(),
      worker: {
        'config.providers': 'file,directory',
        'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
        'config.providers.file.param.allowed.paths': allowed,
        'config.providers.directory.class': 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
        'config.providers.directory.param.allowed.paths': allowed,
      },
    });
    const topic = uniqueName('secrets');
    const sink = { 'connector.class': 'FileStreamSink', topics: topic, 'tasks.max': '1' };

    // Outside allowed.paths: refused with Kafka's message, naming the setting that allows it.
    for (const [name, placeholder] of [
      ['outside', `\${file:${join(outside, 'sink.properties')}:file}`],
      ['climbing', `\${file:${allowed}/../elsewhere/sink.properties:file}`],
      ['environ', '${directory:/proc/self:environ}'],
    ] as const) {
      expect(
        (await http('PUT', `${worker.url}/connectors/${name}/config`, { ...sink, file: placeholder })).status,
      ).toBe(201);
      const trace = await connectorTrace(name);
      expect(trace).toMatch(
        /is not allowed to be accessed \(config\.providers\.(file|directory)\.param\.allowed\.paths=/,
      );
      expect(trace).toContain(`file: ${placeholder} could not be read`);
      expect(trace).not.toContain(TOKEN);
    }

    // Inside: resolved for the task, which fails on it; the trace shows the placeholder instead.
    const placeholder = `\${file:${join(allowed, 'sink.properties')}:file}`;
    expect(
      (await http('PUT', `${worker.url}/connectors/inside/config`, { ...sink, file: placeholder })).status,
    ).toBe(201);
    const trace = await taskTrace('inside');
    expect(trace).toContain(placeholder);
    expect(trace).not.toContain(SECRET);

    const validated = await http('PUT', `${worker.url}/connector-plugins/FileStreamSink/config/validate`, {
      ...sink,
      name: 'v',
      file: placeholder,
      'consumer.override.ssl.key.password': `\${file:${join(allowed, 'sink.properties')}:password}`,
      'errors.tolerance': `\${file:${join(allowed, 'sink.properties')}:password}`,
    });
    expect(validated.status).toBe(200);
    const answer = JSON.stringify(validated.body);
    expect(answer).not.toContain(SECRET);
    const values = (
      validated.body as { configs: { value: { name: string; value: string; errors: string[] } }[] }
    ).configs;
    expect(values.find((c) => c.value.name === 'file')?.value.value).toBe(placeholder);
    // An invalid value's error names the placeholder, not what it resolved to.
    expect(values.find((c) => c.value.name === 'errors.tolerance')?.value.errors.join()).toContain('${file:');

    const statuses = JSON.stringify((await http('GET', `${worker.url}/connectors?expand=status`)).body);
    expect(statuses).not.toContain(SECRET);
    expect(statuses).not.toContain(TOKEN);
    await worker.stop();
    worker = undefined;
    const logged = existsSync(log) ? readFileSync(log, 'utf8') : '';
    expect(logged).toContain(placeholder);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(TOKEN);
  });
});
