// The soak's short form: one minute of lines through a 3-worker cluster with one kill -9, one broker
// restart and a small REST fuzz. It runs its own broker (it restarts it), not the run's shared one.
import { describe, expect, it } from 'vitest';
import { formatSoakReport } from './report.ts';
import { runSoak } from './soak.ts';

describe('npm run soak, short form', () => {
  it('loses no record and answers no 5xx through a kill, a broker restart and a REST fuzz', async () => {
    const lines: string[] = [];
    const result = await runSoak({
      minutes: 1,
      kills: 1,
      brokerRestarts: 1,
      fuzzRuns: 1,
      rate: 50,
      fuzzExamples: 3,
      fuzzSeconds: 60,
      seed: 1,
      keep: false,
      log: (line) => lines.push(line),
    });
    const report = formatSoakReport(result);
    console.log(report);
    // The progress lines (and where the kept worker logs are) only when it failed.
    const context = `${report}\n\n${lines.join('\n')}`;
    expect(result.produced, context).toBeGreaterThan(0);
    expect(result.fuzzRequests, context).toBeGreaterThan(0);
    expect(result.kills.length, context).toBe(1);
    expect(result.brokerRestarts.length, context).toBe(1);
    expect({ lost: result.lost, missing: result.missing }, context).toEqual({ lost: 0, missing: [] });
    expect(result.serverErrors, context).toEqual([]);
  }, 300_000);
});
