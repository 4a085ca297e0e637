// A worker whose file has a bad setting refuses to start, side by side with Apache Kafka Connect's
// ConnectStandalone and ConnectDistributed given the same file: Java logs the ConfigException (or the
// broker's reason) and exits (with 2); `weir` exits 1 with one line naming the setting, the value and
// what to do.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, javaArgs, REPO_ROOT } from '../../tools/kafka/testbed.ts';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { toProperties } from '../../tools/weir-process.ts';

interface Ended {
  code: number | null;
  output: string;
}

/** Runs a command to its end (killed after `timeoutMs`), its output kept in memory. */
function run(command: string, args: string[], timeoutMs = 90_000): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

type Mode = 'standalone' | 'distributed';

/** The same worker file (plus `settings`) for Java and Weir in `mode`; both run to their end. */
async function bothStart(
  mode: Mode,
  settings: Record<string, string>,
): Promise<{ java: Ended; weir: Ended }> {
  const dir = mkdtempSync(join(tmpdir(), `weir-start-${mode}-`));
  const group = uniqueName('start');
  const file = async (side: string) => {
    const path = join(dir, `${side}.properties`);
    const modeSettings: Record<string, string> =
      mode === 'standalone'
        ? { 'offset.storage.file.filename': join(dir, `${side}.offsets`) }
        : {
            'group.id': `${group}-${side}`,
            'config.storage.topic': `${group}-${side}-configs`,
            'offset.storage.topic': `${group}-${side}-offsets`,
            'status.storage.topic': `${group}-${side}-status`,
            'config.storage.replication.factor': '1',
            'offset.storage.replication.factor': '1',
            'status.storage.replication.factor': '1',
          };
    writeFileSync(
      path,
      toProperties({
        'bootstrap.servers': kafkaBootstrap(),
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'plugin.discovery': 'service_load',
        listeners: `http://127.0.0.1:${await freePort()}`,
        ...modeSettings,
        ...settings,
      }),
    );
    return path;
  };
  const mainClass = `org.apache.kafka.connect.cli.Connect${mode === 'standalone' ? 'Standalone' : 'Distributed'}`;
  const [java, weir] = await Promise.all([
    file('java').then((path) => run('java', javaArgs(mainClass, [path], { heap: '256m' }))),
    file('weir').then((path) =>
      run(process.execPath, [join(REPO_ROOT, 'bin', 'weir.js'), `connect-${mode}`, path]),
    ),
  ]);
  return { java, weir };
}

/** What a failed start printed, for the assertion messages. */
const shown = ({ code, output }: Ended) => `exit ${code}:\n${output.slice(-3000)}`;

describe('a worker with a bad setting refuses to start, as Java does', () => {
  const misspelt = 'org.apache.kafka.connect.json.json.JsonConverter';

  it.each(['standalone', 'distributed'] as const)(
    '%s: a misspelt converter class',
    async (mode) => {
      const { java, weir } = await bothStart(mode, { 'key.converter': misspelt });
      const javaSays = `Invalid value ${misspelt} for configuration key.converter: Class ${misspelt} could not be found.`;
      expect(java.code, shown(java)).not.toBe(0);
      expect(java.output, shown(java)).toContain(javaSays);
      expect(weir.code, shown(weir)).toBe(1);
      expect(weir.output.trim().split('\n'), shown(weir)).toEqual([
        `weir: invalid configuration: ${javaSays} Did you mean org.apache.kafka.connect.json.JsonConverter?`,
      ]);
    },
    120_000,
  );

  it.each(['standalone', 'distributed'] as const)(
    '%s: an unknown header converter, policy or plugin.discovery',
    async (mode) => {
      for (const [setting, value, javaSays, weirSays] of [
        [
          'header.converter',
          'org.apache.kafka.connect.storage.NoSuchConverter',
          'Invalid value org.apache.kafka.connect.storage.NoSuchConverter for configuration header.converter',
          'Invalid value org.apache.kafka.connect.storage.NoSuchConverter for configuration header.converter: ',
        ],
        [
          'connector.client.config.override.policy',
          'Nope',
          'OverridePolicy and which name matches Nope',
          'Invalid value Nope for configuration connector.client.config.override.policy: ',
        ],
        [
          'plugin.discovery',
          'bogus',
          'Invalid plugin.discovery value, must be one of [only_scan, hybrid_warn, hybrid_fail, service_load]',
          'Invalid value bogus for configuration plugin.discovery: String must be one of (case insensitive): ',
        ],
      ] as const) {
        const { java, weir } = await bothStart(mode, { [setting]: value });
        expect(java.code, shown(java)).not.toBe(0);
        expect(java.output, shown(java)).toContain(javaSays);
        expect(weir.code, shown(weir)).toBe(1);
        const lines = weir.output.trim().split('\n');
        expect(lines, shown(weir)).toHaveLength(1);
        expect(lines[0]?.startsWith(`weir: invalid configuration: ${weirSays}`), shown(weir)).toBe(true);
      }
    },
    360_000,
  );

  it("distributed: offset.storage.file.filename (a standalone setting) stops it with the broker's reason", async () => {
    const { java, weir } = await bothStart('distributed', {
      'offset.storage.file.filename': '/tmp/nope.offsets',
    });
    const reason = 'Unknown topic config name: file.filename';
    expect(java.code, shown(java)).not.toBe(0);
    expect(java.output, shown(java)).toContain(reason);
    expect(weir.code, shown(weir)).toBe(1);
    const lines = weir.output
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('weir: '));
    expect(lines, shown(weir)).toEqual([
      expect.stringContaining(`property: ${reason}. The worker setting 'offset.storage.file.filename'`),
    ]);
  }, 120_000);
});
