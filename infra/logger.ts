/**
 * Structured logging (pino) to stderr, so stdout stays clean for `--json` output.
 * `PLUME_LOG_LEVEL` sets the level (default info; tests use warn).
 */
import pino from 'pino';

export const logger = pino(
  { level: process.env.PLUME_LOG_LEVEL ?? 'info', base: { pid: process.pid } },
  pino.destination({ dest: 2, sync: false }),
);

export type Logger = typeof logger;
