/**
 * Installs the Temporal SDK runtime once per process, with its Prometheus exporter on a loopback
 * port (seconds for durations, `_total` on counters). Plume's own `/metrics` appends that output,
 * so one scrape gets both.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { freePort } from '../infra/free-port.js';
import { logger } from '../infra/logger.js';

let sdkMetricsUrl: string | null = null;
let installing: Promise<string | null> | null = null;

export function installTemporalRuntime(): Promise<string | null> {
  if (installing) return installing;
  installing = (async () => {
    const port = await freePort();
    try {
      const sdkLevel = (process.env.PLUME_TEMPORAL_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN';
      Runtime.install({
        // Through Plume's logger: same format, on stderr, and above the progress bar.
        logger: new DefaultLogger(sdkLevel, (entry) => {
          const level =
            entry.level === 'TRACE' ? 'trace' : entry.level === 'DEBUG' ? 'debug' : entry.level === 'INFO' ? 'info' : entry.level === 'WARN' ? 'warn' : 'error';
          logger[level]({ ...entry.meta, source: 'temporal' }, entry.message);
        }),
        telemetryOptions: {
          // The SDK core's own (Rust) messages too, which would otherwise go to stdout and break `--json` output.
          logging: { filter: { core: sdkLevel, other: sdkLevel }, forward: {} },
          metrics: {
            metricPrefix: 'temporal_',
            prometheus: { bindAddress: `127.0.0.1:${port}`, useSecondsForDurations: true, countersTotalSuffix: true },
          },
        },
      });
      sdkMetricsUrl = `http://127.0.0.1:${port}/metrics`;
    } catch {
      // Already installed by someone else in this process (e.g. a test harness): no SDK metrics.
      sdkMetricsUrl = null;
    }
    return sdkMetricsUrl;
  })();
  return installing;
}

export function temporalSdkMetricsUrl(): string | null {
  return sdkMetricsUrl;
}
