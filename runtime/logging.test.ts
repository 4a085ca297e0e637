import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLogConfig, logger, loggerLevel } from './logging.ts';

describe('applyLogConfig (WEIR_LOG_CONFIG)', () => {
  it('sets root and named loggers from a log4j-style file, parents before children', () => {
    logger('cfg.a.b'); // exists before: set by its parent's line, then by its own
    const file = join(mkdtempSync(join(tmpdir(), 'weir-log-')), 'log4j.properties');
    writeFileSync(
      file,
      [
        '# generated',
        'log4j.logger.cfg.a.b=TRACE',
        'log4j.rootLogger=WARN, stdout',
        'log4j.logger.cfg.a=ERROR',
        'log4j.logger.cfg.bad=LOUD',
        'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      ].join('\n'),
    );
    applyLogConfig(file);
    expect(loggerLevel('root')?.level).toBe('WARN');
    expect(loggerLevel('cfg.a')?.level).toBe('ERROR');
    expect(loggerLevel('cfg.a.b')?.level).toBe('TRACE');
    // A logger made later inherits from its closest configured ancestor.
    logger('cfg.a.c');
    expect(loggerLevel('cfg.a.c')?.level).toBe('ERROR');
    // A bad level is left out (with a warning), a missing file changes nothing.
    expect(loggerLevel('cfg.bad')).toBeUndefined();
    applyLogConfig(join(tmpdir(), 'no-such-weir-log4j.properties'));
    expect(loggerLevel('root')?.level).toBe('WARN');
  });
});
