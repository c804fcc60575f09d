/**
 * Live progress of a campaign on a terminal: a bar with runs done/total, rate and ETA (cli-progress,
 * on stderr so stdout stays parseable). Falls back to a log line every few seconds when stderr is
 * not a TTY, and to nothing with --json.
 */
import cliProgress from 'cli-progress';
import type { Database } from '../db/client.js';
import { getCampaign } from '../db/campaign-store.js';

export interface ProgressDisplay {
  stop(): Promise<void>;
}

export function showProgress(database: Database, id: string, opts: { quiet: boolean }): ProgressDisplay {
  if (opts.quiet) return { stop: async () => {} };
  const tty = Boolean(process.stderr.isTTY);
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: ' {bar} {percentage}% | {value}/{total} runs | {failed} failed | {rate} runs/s | ETA {eta_formatted} | {status}',
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  let lastLog = 0;
  const t0 = Date.now();
  let stopped = false;
  const tick = async (): Promise<void> => {
    let row = await getCampaign(database, id).catch(() => null);
    if (!row) return;
    let label = row.status;
    if (row.kind === 'pipeline') {
      // Show the stage campaign that is running now.
      const stage = await database
        .query(`select id from campaigns where parent_id = $1 order by created_at desc limit 1`, [id])
        .catch(() => ({ rows: [] as Record<string, unknown>[] }));
      const child = stage.rows[0] ? await getCampaign(database, String(stage.rows[0].id)).catch(() => null) : null;
      if (child && row.status === 'running') {
        label = `stage ${child.kind} (${child.id}) ${child.status}`;
        row = child;
      }
    }
    const done = row.completedRuns + row.failedRuns + row.cancelledRuns;
    const rate = done / Math.max(0.001, (Date.now() - t0) / 1000);
    const payload = { failed: row.failedRuns, rate: rate.toFixed(1), status: label };
    if (bar) {
      if (!started && row.totalRuns > 0) {
        bar.start(row.totalRuns, done, payload);
        started = true;
      } else if (started) {
        bar.setTotal(row.totalRuns);
        bar.update(done, payload);
      }
    } else if (Date.now() - lastLog > 5000 && row.totalRuns > 0) {
      lastLog = Date.now();
      process.stderr.write(`[plume] ${id}: ${done}/${row.totalRuns} runs (${row.failedRuns} failed), ${rate.toFixed(1)} runs/s, ${label}\n`);
    }
  };
  let timer: NodeJS.Timeout | null = null;
  const loop = async (): Promise<void> => {
    if (stopped) return;
    await tick();
    if (!stopped) timer = setTimeout(() => void loop(), 500);
  };
  void loop();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await tick();
      if (bar && started) bar.stop();
    },
  };
}
