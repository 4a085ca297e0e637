#!/usr/bin/env node
// The `weir` command. In a checkout it runs the TypeScript sources (Node 24 runs them directly), so a
// stale dist/ never shadows them; the image ships only the compiled dist/.
import { existsSync } from 'node:fs';

const sources = new URL('../runtime/cli/main.ts', import.meta.url);
await import(existsSync(sources) ? sources.href : new URL('../dist/runtime/cli/main.js', import.meta.url).href);
