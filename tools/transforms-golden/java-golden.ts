// The Java side of the golden test: TransformsGolden.java, compiled with Maven into the cache (one
// build per hash of its source and pom.xml, so an edit rebuilds), run once over every case with
// Apache Kafka's own jars. Maven's and Java's output go to files, shown only when they fail.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, checkJava, ensureKafkaJars, KAFKA_VERSION, MissingToolError } from '../kafka/testbed.ts';
import type { GoldenResult } from './compare.ts';
import type { GoldenCase } from './corpus.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const SOURCES = ['pom.xml', 'java/dev/weir/golden/TransformsGolden.java'];
const MAIN_CLASS = 'dev.weir.golden.TransformsGolden';
const LOG4J_CONFIG = join(HERE, '..', 'kafka', 'log4j2.properties');

function tail(file: string, lines = 60): string {
  if (!existsSync(file)) return '(no output)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** The harness's compiled classes, built once per version of its source. */
export function ensureGoldenHarness(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES) hash.update(file).update(readFileSync(join(HERE, file)));
  const dir = join(cacheDir(), 'transforms-golden', `${KAFKA_VERSION}-${hash.digest('hex').slice(0, 16)}`);
  const classes = join(dir, 'classes');
  if (existsSync(join(dir, '.complete'))) return classes;
  checkJava();
  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    throw new MissingToolError('mvn is needed to build the transforms golden harness: install Apache Maven.');
  }
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const log = join(staging, 'maven.log');
  const result = spawnSync(
    'mvn',
    [
      '-B',
      '-f',
      join(HERE, 'pom.xml'),
      `-Dmaven.repo.local=${join(cacheDir(), 'maven')}`,
      `-Dweir.build.dir=${staging}`,
      'compile',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(log, `${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.status !== 0) {
    const output = tail(log);
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `Maven could not build the transforms golden harness (exit ${result.status}):\n${output}`,
    );
  }
  writeFileSync(join(staging, '.complete'), `${KAFKA_VERSION}\n`);
  try {
    renameSync(staging, dir);
  } catch {
    // Another process built the same source first; its classes are as good as ours.
    rmSync(staging, { recursive: true, force: true });
  }
  return classes;
}

/** Runs every case through Apache Kafka's transforms; the results by case name. */
export function runJavaGolden(cases: GoldenCase[], workDir: string): Map<string, GoldenResult> {
  const classes = ensureGoldenHarness();
  const libs = ensureKafkaJars();
  mkdirSync(workDir, { recursive: true });
  const input = join(workDir, 'cases.jsonl');
  const output = join(workDir, 'java-results.jsonl');
  const log = join(workDir, 'java.log');
  writeFileSync(input, cases.map((c) => `${JSON.stringify(c)}\n`).join(''));
  rmSync(output, { force: true });
  const result = spawnSync(
    'java',
    [
      '-Xmx512m',
      '-XX:TieredStopAtLevel=1',
      // Date.toString and SimpleDateFormat depend on them; Weir's transforms write as Java does in UTC.
      '-Duser.timezone=UTC',
      '-Duser.language=en',
      '-Duser.country=US',
      `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
      '-cp',
      `${classes}:${libs}/*`,
      MAIN_CLASS,
      input,
      output,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(log, `${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.status !== 0 || !existsSync(output)) {
    throw new Error(`the Java golden harness failed (exit ${result.status}); ${log}:\n${tail(log)}`);
  }
  const results = new Map<string, GoldenResult>();
  for (const line of readFileSync(output, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const parsed = JSON.parse(line) as GoldenResult;
    results.set(parsed.name, parsed);
  }
  return results;
}
