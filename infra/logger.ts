/**
 * Structured logging (pino) to stderr, so stdout stays clean for `--json` output.
 *
 * - Format: `PLUME_LOG_FORMAT=pretty|json`; default pretty (pino-pretty, one readable line per
 *   entry) when stderr is a terminal, JSON lines otherwise (files, pipes, log collectors).
 * - Level: `PLUME_LOG_LEVEL` (default `warn` on a terminal, where the progress bar shows what is
 *   happening, `info` otherwise; tests use warn).
 * - While a progress bar is on screen (cli/progress-display.ts) log lines go through
 *   `setLogSink`, which prints them above the bar instead of through it.
 */
import pino from 'pino';
import { prettyFactory } from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';

export function logFormat(env: NodeJS.ProcessEnv = process.env, tty = Boolean(process.stderr.isTTY)): LogFormat {
  const f = env.PLUME_LOG_FORMAT;
  if (f === 'pretty' || f === 'json') return f;
  return tty ? 'pretty' : 'json';
}

export function defaultLogLevel(env: NodeJS.ProcessEnv = process.env, tty = Boolean(process.stderr.isTTY)): string {
  return env.PLUME_LOG_LEVEL ?? (tty ? 'warn' : 'info');
}

type Sink = (text: string) => void;
let sink: Sink | null = null;

/** Route log output to `to` (e.g. "print above the progress bar"); `null` restores stderr. */
export function setLogSink(to: Sink | null): void {
  sink = to;
}

const stderrLines = {
  write(text: string): boolean {
    if (sink) sink(text);
    else process.stderr.write(text);
    return true;
  },
};

function destination(format: LogFormat): { write(text: string): boolean } {
  if (format === 'json') return stderrLines;
  const prettify = prettyFactory({ colorize: Boolean(process.stderr.isTTY), ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' });
  return { write: (line: string) => stderrLines.write(prettify(line)) };
}

export function createLogger(format: LogFormat = logFormat(), level = defaultLogLevel()) {
  return pino({ level, base: { pid: process.pid } }, destination(format));
}

export const logger = createLogger();

export type Logger = typeof logger;
