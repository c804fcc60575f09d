/**
 * Live progress of a campaign on a terminal: a bar with runs done/total, rate and ETA (cli-progress,
 * on stderr so stdout stays parseable). Rates and ETA come from the run counts observed since the
 * watch began (progress-rate.ts). Pipelines show the running stage as `stage 2/3 train`. Log lines
 * printed meanwhile go above the bar (infra/logger.ts `setLogSink`), never through it. Falls back
 * to a log line every few seconds when stderr is not a TTY, and to nothing with --json. Given the
 * Temporal client, the status also says what the running batch reports (`epoch 31/100, loss ...`,
 * engine/in-flight-work.ts), refreshed every few seconds.
 */
import type { Client } from '@temporalio/client';
import cliProgress from 'cli-progress';
import type { Database } from '../db/client.js';
import { getCampaign, type CampaignRow } from '../db/campaign-store.js';
import { setLogSink } from '../infra/logger.js';
import { declaredStages } from '../pipeline/summary.js';
import { describeProgress } from '../report/progress-text.js';
import { formatEta, formatRate, ProgressRate } from './progress-rate.js';

export interface ProgressDisplay {
  stop(): Promise<void>;
}

interface Observed {
  /** The campaign whose runs are counted (a pipeline's running stage). */
  row: CampaignRow;
  label: string;
}

async function observe(database: Database, id: string): Promise<Observed | null> {
  const row = await getCampaign(database, id).catch(() => null);
  if (!row) return null;
  if (row.kind !== 'pipeline') return { row, label: row.status };
  const stages = await database
    .query(`select id from campaigns where parent_id = $1 order by created_at, id`, [id])
    .catch(() => ({ rows: [] as Record<string, unknown>[] }));
  const n = Math.max(declaredStages(row.spec), stages.rows.length);
  const last = stages.rows.at(-1);
  const child = last ? await getCampaign(database, String(last.id)).catch(() => null) : null;
  if (!child) return { row, label: `stage 0/${n} starting` };
  return { row: child, label: `stage ${stages.rows.length}/${n} ${child.kind} ${child.status}${row.status === 'running' ? '' : ` (pipeline ${row.status})`}` };
}

/** What the first running activity of campaign `id` reports, or null (nothing running, no answer). */
async function nowReporting(client: Client, database: Database, id: string): Promise<string | null> {
  const { inFlightWork } = await import('../engine/in-flight-work.js');
  const work = await inFlightWork(client, database, id).catch(() => null);
  const started = work?.find((w) => w.state === 'started' && w.details !== null);
  return started ? describeProgress(started.details, id) : null;
}

export function showProgress(database: Database, id: string, opts: { quiet: boolean; client?: Client }): ProgressDisplay {
  if (opts.quiet) return { stop: async () => {} };
  const tty = Boolean(process.stderr.isTTY);
  const multi = tty
    ? new cliProgress.MultiBar(
        {
          stream: process.stderr,
          format: ' {bar} {percentage}% | {value}/{total} runs | {failed} failed | {rate} runs/s | ETA {eta_text} | {status}',
          hideCursor: true,
          clearOnComplete: false,
          stopOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let bar: cliProgress.SingleBar | null = null;
  let lastLog = 0;
  let stopped = false;
  let counted: string | null = null;
  const rate = new ProgressRate();
  let now: { id: string; text: string | null; at: number } = { id, text: null, at: 0 };
  const tick = async (): Promise<void> => {
    const seen = await observe(database, id);
    if (!seen) return;
    const { row } = seen;
    if (opts.client && row.status === 'running' && (now.id !== row.id || Date.now() - now.at > 3000)) {
      now = { id: row.id, text: await nowReporting(opts.client, database, row.id), at: Date.now() };
    }
    const label = now.text && now.id === row.id && row.status === 'running' ? `${seen.label} | ${now.text}` : seen.label;
    if (counted !== row.id) {
      counted = row.id;
      rate.reset();
    }
    const done = row.completedRuns + row.failedRuns + row.cancelledRuns;
    const r = rate.observe(done);
    const payload = { failed: row.failedRuns, rate: formatRate(r), eta_text: formatEta(row.totalRuns - done, r), status: label };
    if (multi) {
      // No bar until there are runs to count (a stage that is still preparing keeps the last one).
      if (row.totalRuns === 0) {
        bar?.update({ ...payload, rate: '–', eta_text: '–' });
        return;
      }
      if (!bar) {
        bar = multi.create(row.totalRuns, done, payload);
        setLogSink((text) => multi.log(text.endsWith('\n') ? text : `${text}\n`));
      } else {
        bar.setTotal(row.totalRuns);
        bar.update(done, payload);
      }
    } else if (Date.now() - lastLog > 5000 && row.totalRuns > 0) {
      lastLog = Date.now();
      process.stderr.write(
        `[plume] ${id}: ${done}/${row.totalRuns} runs (${row.failedRuns} failed), ${payload.rate} runs/s, ETA ${payload.eta_text}, ${label}\n`,
      );
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
      if (multi) {
        multi.stop();
        setLogSink(null);
      }
    },
  };
}
