import { describe, expect, it } from 'vitest';
import { governingLogger, levelsFingerprint, loggerUpdates, type WorkerLoggers } from './log-levels.ts';

const worker = (levels: Record<string, string>): WorkerLoggers =>
  Object.fromEntries(Object.entries(levels).map(([n, level]) => [n, { level, last_modified: null }]));

/** What a worker's loggers look like after the PUTs, as runtime/logging.ts applies them. */
function applyAll(current: Record<string, string>, updates: { logger: string; level: string }[]) {
  const out = { ...current };
  for (const { logger, level } of updates) {
    for (const name of Object.keys(out)) {
      if (logger === 'root' || name === logger || name.startsWith(`${logger}.`)) out[name] = level;
    }
    out[logger] = level;
  }
  return out;
}

describe('governingLogger', () => {
  it('is the name itself, its closest named ancestor, or root', () => {
    const desired = { root: 'INFO', a: 'WARN', 'a.b': 'DEBUG' };
    expect(governingLogger(desired, 'a.b.c')).toBe('a.b');
    expect(governingLogger(desired, 'a.b')).toBe('a.b');
    expect(governingLogger(desired, 'a.bc')).toBe('a');
    expect(governingLogger(desired, 'ab')).toBe('root');
    expect(governingLogger(desired, 'root')).toBe('root');
  });
});

describe('loggerUpdates', () => {
  it('is empty when the worker already matches (idempotent)', () => {
    const desired = { root: 'INFO', 'weir.worker': 'DEBUG' };
    const current = worker({
      root: 'INFO',
      'weir.rest': 'INFO',
      'weir.worker': 'DEBUG',
      'weir.worker.x': 'DEBUG',
    });
    expect(loggerUpdates(desired, current)).toEqual([]);
  });

  it('compares levels without regard to case', () => {
    expect(loggerUpdates({ root: 'warn' }, worker({ root: 'WARN' }))).toEqual([]);
  });

  it('sets only the logger that differs when nothing below it is named', () => {
    const current = worker({ root: 'INFO', 'weir.rest': 'INFO', 'weir.worker': 'INFO' });
    expect(loggerUpdates({ root: 'INFO', 'weir.worker': 'DEBUG' }, current)).toEqual([
      { logger: 'weir.worker', level: 'DEBUG' },
    ]);
  });

  it('a root change goes first and the named loggers follow (root overwrites them)', () => {
    const desired = { root: 'WARN', 'weir.worker': 'DEBUG', weir: 'ERROR' };
    const current = worker({ root: 'INFO', weir: 'ERROR', 'weir.rest': 'ERROR', 'weir.worker': 'DEBUG' });
    const updates = loggerUpdates(desired, current);
    expect(updates).toEqual([
      { logger: 'root', level: 'WARN' },
      { logger: 'weir', level: 'ERROR' },
      { logger: 'weir.worker', level: 'DEBUG' },
    ]);
    expect(
      applyAll({ root: 'INFO', weir: 'ERROR', 'weir.rest': 'ERROR', 'weir.worker': 'DEBUG' }, updates),
    ).toEqual({
      root: 'WARN',
      weir: 'ERROR',
      'weir.rest': 'ERROR',
      'weir.worker': 'DEBUG',
    });
  });

  it('a logger removed from the spec falls back to its closest named ancestor', () => {
    const before = { root: 'INFO', weir: 'WARN', 'weir.worker': 'DEBUG', 'weir.worker.task': 'DEBUG' };
    const desired = { root: 'INFO', weir: 'WARN' };
    const updates = loggerUpdates(desired, worker(before));
    expect(updates).toEqual([{ logger: 'weir', level: 'WARN' }]);
    expect(applyAll(before, updates)).toEqual({
      root: 'INFO',
      weir: 'WARN',
      'weir.worker': 'WARN',
      'weir.worker.task': 'WARN',
    });
  });

  it('a spec logger the worker does not list yet is set (later loggers inherit only from set ones)', () => {
    expect(loggerUpdates({ root: 'INFO', 'org.example': 'TRACE' }, worker({ root: 'INFO' }))).toEqual([
      { logger: 'org.example', level: 'TRACE' },
    ]);
  });

  it('root defaults to INFO when the spec does not name it', () => {
    expect(loggerUpdates({}, worker({ root: 'DEBUG', x: 'DEBUG' }))).toEqual([
      { logger: 'root', level: 'INFO' },
    ]);
  });

  it('ends where the spec says, from any starting point', () => {
    const desired = { root: 'ERROR', a: 'DEBUG', 'a.b.c': 'TRACE', d: 'OFF' };
    const start = {
      root: 'INFO',
      a: 'INFO',
      'a.b': 'WARN',
      'a.b.c': 'INFO',
      'a.b.c.d': 'FATAL',
      d: 'OFF',
      e: 'TRACE',
    };
    const end = applyAll(start, loggerUpdates(desired, worker(start)));
    expect(end).toEqual({
      root: 'ERROR',
      a: 'DEBUG',
      'a.b': 'DEBUG',
      'a.b.c': 'TRACE',
      'a.b.c.d': 'TRACE',
      d: 'OFF',
      e: 'ERROR',
    });
    expect(loggerUpdates(desired, worker(end))).toEqual([]);
  });
});

describe('levelsFingerprint', () => {
  it('ignores order and case', () => {
    expect(levelsFingerprint({ b: 'debug', root: 'INFO' })).toBe(
      levelsFingerprint({ root: 'info', b: 'DEBUG' }),
    );
    expect(levelsFingerprint({ root: 'INFO' })).not.toBe(levelsFingerprint({ root: 'WARN' }));
  });
});
