// A worker pointed at an address where no broker listens says so at once, naming the address, the
// error and what to check, and again every few seconds while it retries: standalone and distributed.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, freePort } from '../../tools/kafka/testbed.ts';
import { toProperties } from '../../tools/weir-process.ts';

/** The worker's log lines that say it cannot reach `address`, with their time since the start. */
async function unreachableLines(
  command: string,
  props: Record<string, string>,
  address: string,
  wanted: number,
): Promise<{ at: number; msg: string }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-unreachable-'));
  const file = join(dir, 'worker.properties');
  writeFileSync(file, toProperties(props));
  const started = performance.now();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'weir.js'), command, file], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WEIR_LOG_FORMAT: 'json' },
  });
  const found: { at: number; msg: string }[] = [];
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${wanted} lines in 30 s; output:\n${output}`)),
        30_000,
      );
      let pending = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const msg = (JSON.parse(line) as { msg: string }).msg;
          if (msg.includes(`Cannot reach Kafka at`) && msg.includes(address)) {
            found.push({ at: performance.now() - started, msg });
            if (found.length >= wanted) {
              clearTimeout(timer);
              resolve();
            }
          }
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`weir exited (${code}) early; output:\n${output}`)));
    });
  } finally {
    child.kill('SIGKILL');
  }
  return found;
}

const converters = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
};

describe('a worker that cannot reach Kafka', () => {
  it.each(['connect-standalone', 'connect-distributed'])(
    '%s names the address at once and every few seconds while it retries',
    async (command) => {
      const closed = await freePort();
      const address = `127.0.0.1:${closed}`;
      const dir = mkdtempSync(join(tmpdir(), 'weir-unreachable-'));
      const lines = await unreachableLines(
        command,
        {
          ...converters,
          'bootstrap.servers': address,
          listeners: `http://127.0.0.1:${await freePort()}`,
          'offset.storage.file.filename': join(dir, 'offsets'),
          'group.id': 'unreachable',
          'config.storage.topic': 'unreachable-configs',
          'offset.storage.topic': 'unreachable-offsets',
          'status.storage.topic': 'unreachable-status',
        },
        address,
        2,
      );
      const [first, second] = lines as [{ at: number; msg: string }, { at: number; msg: string }];
      console.log(
        `${command}: first "Cannot reach Kafka" line after ${(first.at / 1000).toFixed(2)} s, the next ${((second.at - first.at) / 1000).toFixed(2)} s later`,
      );
      expect(first.msg).toContain('ECONNREFUSED');
      expect(first.msg).toContain('check that a broker runs there');
      // Generous bounds: the process itself takes a second or two to start on a busy machine.
      expect(first.at).toBeLessThan(10_000);
      expect(second.at - first.at).toBeLessThan(10_000);
    },
    60_000,
  );
});
