// Integration tests keep worker output in files; a failed test shows the end of each, so the output of
// passing runs stays readable.
import { existsSync, readFileSync } from 'node:fs';
import { onTestFailed } from 'vitest';

/** The last `lines` lines of a file, or a note that it does not exist. */
export function tail(file: string, lines = 80): string {
  if (!existsSync(file)) return `(no ${file})`;
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Call inside a test: if it fails, the ends of the files `files()` names are printed. */
export function showLogsOnFailure(files: () => string[], lines = 80): void {
  onTestFailed(() => {
    for (const file of files()) console.error(`---- ${file} (last ${lines} lines)\n${tail(file, lines)}`);
  });
}
