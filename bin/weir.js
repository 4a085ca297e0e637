#!/usr/bin/env -S node --max-semi-space-size=8
// The `weir` command. A small young generation keeps memory low at no cost to throughput (the image
// sets the same flag in NODE_OPTIONS). In a checkout it runs the TypeScript sources, which Node 24 runs
// directly, so a stale dist/ never shadows them; the image ships only the compiled dist/. A Node that
// cannot run TypeScript (older than 22.18) runs the compiled build (`npm run build`) when there is one,
// and otherwise says in one line which Node it needs. Written for old Nodes too: no newer syntax here.
import { existsSync } from 'node:fs';

const NEEDED = 'Node.js 24 (22.18 or newer at least)';
const sources = new URL('../runtime/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/runtime/cli/main.js', import.meta.url);
const runsTypeScript = Boolean(process.features && process.features.typescript);

function stop(reason) {
  process.stderr.write(
    `weir: ${reason}. Run it with the project's Node: \`npx weir …\` in the checkout (\`npm ci\` installs Node 24), ` +
      'or build it once with `npm run build`.\n',
  );
  process.exit(1);
}

if (runsTypeScript && existsSync(sources)) {
  await import(sources.href);
} else if (existsSync(compiled)) {
  try {
    await import(compiled.href);
  } catch (error) {
    stop(
      `the compiled build in dist/ does not run on Node ${process.version} (${error && error.message}); it needs ${NEEDED}`,
    );
  }
} else {
  stop(`this is Node ${process.version}, which cannot run Weir's TypeScript sources; it needs ${NEEDED}`);
}
