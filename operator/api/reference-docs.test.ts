import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kafkaConnectCrd, kafkaConnectorCrd } from './crds.ts';
import {
  cell,
  fieldRows,
  policyFields,
  policyMessage,
  REGENERATE,
  resourcesMarkdown,
} from './reference-docs.ts';

const doc = join(import.meta.dirname, '..', '..', 'docs', 'resources.md');

describe('docs/resources.md', () => {
  it('is what operator/api/generate-docs.ts writes', () => {
    const committed = readFileSync(doc, 'utf8');
    // A plain toBe would print a 60 kB diff; say what to do first.
    if (committed !== resourcesMarkdown())
      expect.fail(`docs/resources.md is out of date with the CRDs: run ${REGENERATE} and commit the result`);
  });

  it('has a row for every field of both CRDs (scalar array items and map values fold into their parent)', () => {
    const text = resourcesMarkdown();
    for (const crd of [kafkaConnectCrd(), kafkaConnectorCrd()]) {
      const root = crd.spec.versions[0]!.schema.openAPIV3Schema;
      const rows = [
        ...fieldRows(root.properties!.spec!, 'spec'),
        ...fieldRows(root.properties!.status!, 'status'),
      ];
      expect(rows.length).toBeGreaterThan(10);
      for (const r of rows) expect(text, r.path).toContain(`| \`${r.path}\` |`);
    }
    expect(text).toContain('`spec.tls.trustedCertificates[].pattern`');
    expect(text).toContain('`spec.resources.requests` | map of string to quantity');
    expect(text).toContain('| `spec.replicas` | integer |  | `3` |');
  });

  it('lists the printer columns, the scale subresources, CEL rules and admission policies with their messages', () => {
    const text = resourcesMarkdown();
    expect(text).toContain('selector `.status.labelSelector`');
    expect(text).toContain(
      'spec `.spec.tasksMax`, status `.status.tasksMax`, selector `.status.labelSelector`',
    );
    expect(text).toContain('| Max Tasks | `.spec.tasksMax` |');
    expect(text).toContain('give exactly one of certificate and pattern');
    expect(text).toContain('names starting with WEIR_ are reserved for the operator');
    for (const key of [
      'weir.dev/cluster',
      'weir.dev/restart',
      'weir.dev/restart-task',
      'weir.dev/created-connector',
    ])
      expect(text).toContain(`| \`${key}\` |`);
  });
});

describe('Markdown helpers', () => {
  it('escapes table cells outside code spans, and pipes everywhere', () => {
    expect(cell('a | b <name> ssl.* `x || y`\nz')).toBe('a \\| b &lt;name&gt; ssl.\\* `x \\|\\| y` z');
  });

  it('names the fields a policy checks', () => {
    expect(policyFields("!has(object.spec.config) || object.spec.config.all(k, k != 'a')")).toEqual([
      'spec.config',
    ]);
    expect(
      policyFields(
        'has(object.spec.clusterRef) && has(object.metadata.labels) && has(object.spec.clusterRef.namespace)',
      ),
    ).toEqual(['spec.clusterRef', 'metadata.labels']);
  });

  it("shows a message expression's fixed start", () => {
    expect(
      policyMessage({ messageExpression: "'bad keys: ' + object.spec.config.filter(k, true).join(', ')" }),
    ).toBe('bad keys: <the offending keys>');
    expect(policyMessage({ message: 'plain' })).toBe('plain');
  });
});
