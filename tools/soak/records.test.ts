import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LineAppender, SinkTally } from './records.ts';
import { formatSoakReport, passed, type SoakResult } from './report.ts';
import { planEvents } from './soak.ts';

const dir = mkdtempSync(join(tmpdir(), 'weir-soak-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SinkTally', () => {
  it('counts lost records, duplicates and half-written lines across reads', () => {
    const tally = new SinkTally(join(dir, 'none'));
    tally.add('soak-1\nsoak-2\nso');
    tally.add('ak-3\nsoak-2\nsoak-');
    // A task killed mid-write leaves half a line ("soak-" here, "soak-1" of soak-12 below) that the
    // next write continues: only the whole record counts.
    tally.add('soak-6\nsoak-1soak-8\nsoak-7');
    expect([tally.total, tally.distinct, tally.duplicates, tally.highest]).toEqual([6, 5, 1, 8]);
    expect(tally.lost(8)).toBe(3);
    expect(tally.missing(8)).toEqual(['4-5', '7']);
    tally.add('\n');
    expect(tally.missing(8)).toEqual(['4-5']);
    expect(tally.complete(3)).toBe(true);
  });
});

describe('LineAppender', () => {
  it('appends numbered lines at the rate asked', async () => {
    const file = join(dir, 'source.txt');
    const appender = new LineAppender(file, 100);
    appender.start();
    await new Promise((r) => setTimeout(r, 350));
    const produced = appender.stop();
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(produced).toBeGreaterThan(0);
    expect(lines).toEqual(Array.from({ length: produced }, (_, i) => `soak-${i + 1}`));
  });
});

describe('planEvents', () => {
  it('places each event between 10% and 80% of the run, in time order, one of each at least', () => {
    let x = 0;
    const events = planEvents({ minutes: 1 }, () => (x = (x + 0.37) % 1));
    expect(events.map((e) => e.kind).sort()).toEqual(['broker', 'fuzz', 'kill']);
    expect(events.every((e) => e.atMs >= 6_000 && e.atMs <= 48_000)).toBe(true);
    expect(events.map((e) => e.atMs)).toEqual([...events.map((e) => e.atMs)].sort((a, b) => a - b));
    expect(planEvents({ minutes: 20 }, Math.random).filter((e) => e.kind === 'kill')).toHaveLength(8);
  });
});

describe('formatSoakReport', () => {
  const result: SoakResult = {
    minutes: 1,
    produced: 3000,
    lost: 0,
    missing: [],
    duplicates: 12,
    kills: [{ worker: 'a', backMs: 4000 }, { worker: 'b', backMs: 2000 }, { worker: 'c' }],
    brokerRestarts: [{ downMs: 12000, flowingMs: 1500 }],
    fuzzRuns: 1,
    fuzzRequests: 500,
    serverErrors: [],
    failed: [],
    crashes: [],
    notRunningAtEnd: [],
  };

  it('passes with nothing lost and no 5xx, and shows min / median / max and kills never back', () => {
    const report = formatSoakReport(result);
    expect(passed(result)).toBe(true);
    expect(report).toContain('2,000 / 3,000 / 4,000 (1 never)');
    expect(report).toContain('Kills not back to RUNNING:\n  c');
    expect(report).toMatch(/soak: PASSED$/);
  });

  it('fails on a loss or a 5xx and lists the 5xx requests', () => {
    const failing = {
      ...result,
      serverErrors: [
        { method: 'PUT', url: 'http://127.0.0.1:1/connectors/x/config', status: 500, body: '{}' },
      ],
    };
    expect(passed(failing)).toBe(false);
    expect(passed({ ...result, lost: 1 })).toBe(false);
    expect(formatSoakReport(failing)).toContain('500 PUT http://127.0.0.1:1/connectors/x/config {}');
  });
});
