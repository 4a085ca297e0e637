// bin/weir.js under a Node too old for Weir's TypeScript sources (this machine's /usr/bin/node, when it
// is older than 22.18): it runs the compiled build when there is one, and otherwise says in one line
// which Node it needs and how to get it, never with a stack trace. A copy of bin/weir.js in a temporary
// checkout, with stand-ins for the sources and the build, shows which one runs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const WEIR_JS = new URL('../../bin/weir.js', import.meta.url).pathname;
const OLD_NODE = '/usr/bin/node';

function majorOf(node: string): number | undefined {
  if (!existsSync(node)) return undefined;
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return Number(/^v(\d+)/.exec(version)?.[1]);
}
const oldMajor = majorOf(OLD_NODE);
const hasOldNode = oldMajor !== undefined && oldMajor < 22;

/** A checkout with bin/weir.js and, as asked, stand-ins for the sources and the compiled build. */
function checkout(files: { sources?: string; compiled?: string }): string {
  const root = mkdtempSync(join(tmpdir(), 'weir-bin-'));
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  put('package.json', '{"type":"module"}\n');
  mkdirSync(join(root, 'bin'));
  copyFileSync(WEIR_JS, join(root, 'bin', 'weir.js'));
  if (files.sources !== undefined) put('runtime/cli/main.ts', files.sources);
  if (files.compiled !== undefined) put('dist/runtime/cli/main.js', files.compiled);
  return root;
}

const run = (node: string, root: string) =>
  spawnSync(node, [join(root, 'bin', 'weir.js'), 'version'], { encoding: 'utf8' });

describe('bin/weir.js', () => {
  const sources = "const text: string = 'sources ran';\nconsole.log(text);\n";
  const compiled = "console.log('build ran', process.argv.slice(2).join(' '));\n";

  it('runs the TypeScript sources on the pinned Node', () => {
    const result = run(process.execPath, checkout({ sources, compiled }));
    expect(result.stdout).toBe('sources ran\n');
  });

  it.skipIf(!hasOldNode)(`on an old Node (${OLD_NODE}): stays parseable`, () => {
    expect(spawnSync(OLD_NODE, ['--check', WEIR_JS], { encoding: 'utf8' }).status).toBe(0);
  });

  it.skipIf(!hasOldNode)('on an old Node: runs the compiled build when there is one', () => {
    const result = run(OLD_NODE, checkout({ sources, compiled }));
    expect([result.status, result.stdout]).toEqual([0, 'build ran version\n']);
  });

  it.skipIf(!hasOldNode)('on an old Node: says in one line which Node it needs, without a build', () => {
    for (const files of [{ sources }, { sources, compiled: 'throw new SyntaxError("too new");\n' }]) {
      const result = run(OLD_NODE, checkout(files));
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^weir: .*Node v\d+.*needs Node\.js 24.*`npx weir …`.*`npm ci`/);
    }
  });
});
