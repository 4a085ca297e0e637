#!/usr/bin/env node
// The `weir` command: the compiled CLI when `npm run build` has run, else the TypeScript sources
// (Node 24 runs them directly).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/runtime/cli/main.js', import.meta.url);
await import(existsSync(compiled) ? compiled.href : new URL('../runtime/cli/main.ts', import.meta.url).href);
