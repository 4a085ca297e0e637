// `npm run soak [-- --minutes N --seed S --keep]`: the soak (./soak.ts) and its table; exits 1 when a
// record was lost or the REST fuzz got a 5xx.
import { parseArgs } from 'node:util';
import { MissingToolError } from '../kafka/testbed.ts';
import { formatSoakReport, passed } from './report.ts';
import { runSoak } from './soak.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '20' },
    kills: { type: 'string' },
    'broker-restarts': { type: 'string' },
    fuzz: { type: 'string' },
    rate: { type: 'string', default: '50' },
    'fuzz-examples': { type: 'string', default: '20' },
    'fuzz-seconds': { type: 'string', default: '180' },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0, not "${value}"`);
  return n;
}

try {
  const result = await runSoak({
    minutes: number('minutes', values.minutes) as number,
    kills: number('kills', values.kills),
    brokerRestarts: number('broker-restarts', values['broker-restarts']),
    fuzzRuns: number('fuzz', values.fuzz),
    rate: number('rate', values.rate) as number,
    fuzzExamples: number('fuzz-examples', values['fuzz-examples']) as number,
    fuzzSeconds: number('fuzz-seconds', values['fuzz-seconds']) as number,
    seed: number('seed', values.seed) ?? Math.floor(Math.random() * 1e9),
    keep: values.keep,
    log: (line) => console.error(line),
  });
  console.log(formatSoakReport(result));
  if (!passed(result)) process.exitCode = 1;
} catch (error) {
  console.error(error instanceof MissingToolError ? error.message : `soak: ${(error as Error).stack}`);
  process.exitCode = 1;
}
