/** Log format by terminal and PLUME_LOG_FORMAT; log lines go to the sink the progress bar sets. */
import { describe, expect, it } from 'vitest';
import { createLogger, defaultLogLevel, logFormat, setLogSink } from '../../infra/logger.js';

describe('logger', () => {
  it('is pretty on a terminal and JSON otherwise, unless PLUME_LOG_FORMAT says', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ PLUME_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ PLUME_LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(defaultLogLevel({}, true)).toBe('warn');
    expect(defaultLogLevel({ PLUME_LOG_LEVEL: 'debug' }, true)).toBe('debug');
  });

  it('writes pretty lines (no JSON) through the sink, filtered by level', () => {
    const out: string[] = [];
    setLogSink((t) => out.push(t));
    try {
      const log = createLogger('pretty', 'warn');
      log.info('hidden');
      log.warn({ campaign: 'c1' }, 'visible warning');
      const json = createLogger('json', 'info');
      json.info('as json');
    } finally {
      setLogSink(null);
    }
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/WARN.*visible warning/);
    expect(out[0]).not.toMatch(/"level"/);
    expect(JSON.parse(out[1])).toMatchObject({ level: 30, msg: 'as json' });
  });
});
