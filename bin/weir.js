#!/usr/bin/env -S node --max-semi-space-size=8
// The `weir` command. A small young generation keeps memory low at no cost to throughput (the image
// sets the same flag in NODE_OPTIONS). In a checkout it runs the TypeScript sources, which Node 24 runs
// directly, so a stale dist/ never shadows them; the image ships only the compiled dist/.
import { existsSync } from 'node:fs';

const sources = new URL('../runtime/cli/main.ts', import.meta.url);
await import(
  existsSync(sources) ? sources.href : new URL('../dist/runtime/cli/main.js', import.meta.url).href
);
