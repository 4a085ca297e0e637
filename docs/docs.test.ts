// The user documentation stays usable: every relative link in docs/*.md points at a file that exists
// (and at a heading that exists, for links into Markdown files), and every condition reason and
// event reason the operator writes is explained in troubleshooting.md.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOCS = import.meta.dirname;
const ROOT = join(DOCS, '..');

/** The text outside fenced code blocks and inline code spans, where links count. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const body = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, heading] of body.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = heading!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

export function relativeLinks(markdown: string): string[] {
  const links = [...prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
  return links.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l));
}

const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md'));

describe('docs/*.md links', () => {
  it('finds the pages', () => {
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'resources.md', 'troubleshooting.md']));
  });

  it.each(pages)('%s: every relative link and anchor resolves', (page) => {
    const text = readFileSync(join(DOCS, page), 'utf8');
    const broken: string[] = [];
    for (const link of relativeLinks(text)) {
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path === '' ? join(DOCS, page) : join(DOCS, path);
      if (!existsSync(target)) {
        broken.push(`${link}: no file ${relative(ROOT, target)}`);
        continue;
      }
      if (anchor && statSync(target).isFile() && target.endsWith('.md')) {
        if (!anchors(readFileSync(target, 'utf8')).has(anchor))
          broken.push(`${link}: no heading #${anchor} in ${relative(ROOT, target)}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('computes anchors as GitHub does', () => {
    expect([...anchors('# A, b (c)\n## `x.y` z\n## A, b (c)\n```\n# not a heading\n```\n')]).toEqual([
      'a-b-c',
      'xy-z',
      'a-b-c-1',
    ]);
    expect(relativeLinks('[a](x.md#y) `[b](no.md)` [c](https://e.com) [d](#z)')).toEqual(['x.md#y', '#z']);
  });
});

/** Reasons the operator writes in conditions and events, read from its source. */
function operatorReasons(): Set<string> {
  const files = [
    'operator/model/conditions.ts',
    ...readdirSync(join(ROOT, 'operator/controllers'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => `operator/controllers/${f}`),
  ];
  const reasons = new Set<string>();
  const patterns = [
    /\.(?:normal|warning)\(\s*[\w.]+,\s*'([A-Z]\w+)',\s*'([A-Z]\w+)'/g, // event reason, action
    /\.(?:normal|warning)\(\s*[\w.]+,\s*'([A-Z]\w+)'/g,
    /retryable\(\s*'([A-Z]\w+)'/g,
    /outcomeConditions\(\s*'\w+',\s*'([A-Z]\w+)'/g,
    /reason: '([A-Z]\w+)'/g,
    /(?<=\? |' : )'([A-Z][a-z]\w*)'/g, // a ternary's CamelCase results
  ];
  const notReasons = new Set(['True', 'False', 'Unknown', 'Ready', 'Reconciling', 'Stalled', 'Evicted']);
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const pattern of patterns)
      for (const m of text.matchAll(pattern))
        for (const r of m.slice(1)) if (r && !notReasons.has(r)) reasons.add(r);
  }
  return reasons;
}

describe('troubleshooting.md', () => {
  it('explains every condition reason, event reason and event action the operator writes', () => {
    const text = readFileSync(join(DOCS, 'troubleshooting.md'), 'utf8');
    const reasons = operatorReasons();
    for (const known of [
      'Available',
      'ConnectRejected',
      'NamespaceNotAllowed',
      'RestartScheduled',
      'WorkerRemoved',
    ])
      expect([...reasons], known).toContain(known);
    const missing = [...reasons].filter((r) => !text.includes(`\`${r}\``)).sort();
    expect(missing, 'add these to docs/troubleshooting.md').toEqual([]);
  });
});
