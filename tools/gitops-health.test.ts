// Weir's Argo CD health checks and kstatus, run for real (gopher-lua as Argo CD runs it, cli-utils'
// kstatus as Flux runs it) on every state the operator's model writes. Skipped, with one line
// saying why, where Go is missing.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARGOCD_HEALTH_DIR,
  ensureGitopsHealth,
  gitopsHealth,
  gitopsHealthUnavailable,
  KSTATUS_FOR_ARGOCD,
} from './gitops-health.ts';
import { healthScenarios, type HealthScenario } from './gitops-health/scenarios.ts';
import { REGENERATE, staleTestdata } from './gitops-health/testdata.ts';

const noGo = gitopsHealthUnavailable();
if (noGo) console.warn(noGo);

it('the Argo CD testdata is what the operator model writes today', async () => {
  const stale = await staleTestdata();
  expect(stale, `stale: run ${REGENERATE}`).toEqual([]);
});

describe.skipIf(noGo)('gitops-health', () => {
  const work = mkdtempSync(join(tmpdir(), 'gitops-health-'));
  let binary: string;
  beforeAll(async () => {
    binary = await ensureGitopsHealth(); // about 2 min the first time on a machine, then cached
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("runs Argo CD's health_test.yaml cases as Argo CD's own test does", async () => {
    const dir = join(ARGOCD_HEALTH_DIR, 'weir.dev');
    let cases = 0;
    for (const kind of readdirSync(dir)) {
      const spec = load(readFileSync(join(dir, kind, 'health_test.yaml'), 'utf8')) as {
        tests: { healthStatus: { status: string; message?: string }; inputPath: string }[];
      };
      const objects = spec.tests.map(
        (t) => load(readFileSync(join(dir, kind, t.inputPath), 'utf8')) as object,
      );
      const results = await gitopsHealth(objects);
      for (const [i, t] of spec.tests.entries()) {
        expect(results[i]!.argocdError, t.inputPath).toBeUndefined();
        expect(results[i]!.argocd, `${kind}/${t.inputPath}`).toEqual({ message: '', ...t.healthStatus });
      }
      cases += spec.tests.length;
    }
    expect(cases).toBeGreaterThanOrEqual(20);
  });

  for (const [kind, scenarios] of Object.entries(healthScenarios())) {
    it(`${kind}: Argo CD and kstatus say what the operator means, in every state`, async () => {
      const results = await gitopsHealth(scenarios.map((s) => s.object));
      for (const [i, s] of scenarios.entries()) {
        const r = results[i]!;
        expect({ name: s.name, argocd: r.argocd, kstatus: r.kstatus.status }).toEqual({
          name: s.name,
          argocd: s.argocd,
          kstatus: s.kstatus,
        });
        // Argo CD and Flux agree, except where kstatus cannot know: no status at all (the CRD's
        // default prevents that on a real API server) and deletion (Argo CD has no Terminating).
        if (s.name !== 'progressing_noStatus' && s.name !== 'terminating') {
          expect(KSTATUS_FOR_ARGOCD[r.argocd!.status], s.name).toBe(r.kstatus.status);
        }
      }
    });
  }

  it('behaves as Argo CD for scripts that fail, use libraries Argo CD leaves out, or return odd health', async () => {
    const script = (name: string, lua: string) => {
      mkdirSync(join(work, 'example.com', name), { recursive: true });
      writeFileSync(join(work, 'example.com', name, 'health.lua'), lua);
    };
    script('Broken', 'return obj.status.missing.field');
    script('Strings', 'return { status = string.format("%s", "Healthy") }');
    script('Odd', 'return { status = "Fine", message = "?" }');
    script('Nothing', 'return nil');
    const object = (kind: string) => ({
      apiVersion: 'example.com/v1',
      kind,
      metadata: { name: 'x' },
      status: {},
    });
    const results = await gitopsHealth(['Broken', 'Strings', 'Odd', 'Nothing', 'Other'].map(object), {
      healthDir: work,
    });
    expect(results.map((r) => r.argocd?.status ?? null)).toEqual(['Unknown', 'Unknown', 'Unknown', '', null]);
    expect(results[0]!.argocdError).toMatch(/attempt to index/);
    expect(results[1]!.argocdError).toMatch(/string/);
    expect(results[2]!.argocd!.message).toBe('Lua returned an invalid health status');
  });

  it('reads YAML files with several documents and prints a line per object', () => {
    const file = join(work, 'objects.yaml');
    const { KafkaConnect, KafkaConnector } = healthScenarios();
    const pick = (list: HealthScenario[], name: string) => list.find((s) => s.name === name)!.object;
    writeFileSync(
      file,
      [pick(KafkaConnect, 'healthy'), pick(KafkaConnector, 'suspended_paused')]
        .map((o) => JSON.stringify(o))
        .join('\n---\n'),
    );
    const run = spawnSync(binary, ['--health-dir', ARGOCD_HEALTH_DIR, '-o', 'text', file], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n')).toEqual([
      'KafkaConnect kafka/my-connect  argocd=Healthy (3/3 workers ready)  kstatus=Current (Resource is Ready)',
      'KafkaConnector kafka/my-source  argocd=Suspended (connector and 1 task(s) paused)  kstatus=Current (Resource is Ready)',
    ]);
  });
});
