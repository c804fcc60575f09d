/**
 * One line for what an in-flight activity reported in its last heartbeat (engine/in-flight-work.ts):
 * what it works on, then its counters and values, e.g.
 * `mlp_eca:B:r0: epoch 31/100, loss 0.01534, val loss 0.01177, ~3.5 min left` or
 * `invert run 12 GA: iteration 40, best J 1.200e-4, 2,001 calls`. Every kind posts its own shape
 * (an activity's `details` next to the compute task's `progress` message); the known keys are
 * rendered in a fixed order and unknown ones are left out, so a new kind's line degrades to its
 * labels rather than failing.
 */
import type { InFlightWork } from '../engine/in-flight-work.js';
import { isRecord } from '../infra/plain-record.js';
import { formatNumber, formatSeconds } from './number-format.js';

type Fields = Record<string, unknown>;

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const label = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : finite(v) !== null ? String(v) : null);
const count = (v: number): string => Math.round(v).toLocaleString('en-US');

/** `n/of` (or `n`) with its unit, when n is a number. */
function counter(unit: string, n: unknown, of?: unknown): string | null {
  const a = finite(n);
  if (a === null) return null;
  const b = finite(of);
  return `${unit}${unit ? ' ' : ''}${count(a)}${b !== null ? `/${count(b)}` : ''}`;
}

/** The line for one heartbeat's details; `campaignId` is stripped from model ids. */
export function describeProgress(details: unknown, campaignId?: string): string {
  if (!isRecord(details)) return 'no progress reported yet';
  const inner = isRecord(details.progress) ? details.progress : {};
  const f: Fields = { ...details, ...inner };
  const what: string[] = [];
  const add = (s: string | null): void => {
    if (s && !what.includes(s)) what.push(s);
  };
  for (const v of [details.step, details.stage, inner.step, inner.stage]) add(label(v));
  const model = label(details.modelId);
  if (model) add(campaignId && model.startsWith(`${campaignId}:`) ? model.slice(campaignId.length + 1) : model);
  if (finite(f.runIndex) !== null) add(`run ${count(f.runIndex as number)}`);
  add(label(f.method));
  add(label(f.variable));

  const parts = [
    counter('epoch', f.epoch, f.epochs),
    counter('batch', f.batch, f.batches),
    counter('iteration', f.iteration),
    counter('fit', f.fit, f.fits),
    counter('', f.done, f.of),
    finite(f.planned) !== null ? `${count(f.planned as number)} runs planned` : null,
    finite(f.runs) !== null ? `${count(f.runs as number)} runs` : null,
    finite(f.n) !== null ? `${count(f.n as number)} samples` : null,
    finite(f.loss) !== null ? `loss ${formatNumber(f.loss)}` : null,
    finite(f.valLoss) !== null ? `val loss ${formatNumber(f.valLoss)}` : null,
    finite(f.reconstruction) !== null ? `reconstruction ${formatNumber(f.reconstruction)}` : null,
    finite(f.best) !== null ? `best J ${formatNumber(f.best)}` : null,
    finite(f.calls) !== null ? `${count(f.calls as number)} calls` : null,
    finite(f.etaSeconds) !== null ? `~${formatSeconds(f.etaSeconds)} left` : null,
  ].filter((p): p is string => p !== null);
  const head = what.length > 0 ? what.join(' ') : 'working';
  return parts.length > 0 ? `${head}: ${parts.join(', ')}` : head;
}

/** The line of one in-flight activity, e.g. `runBatch: mlp_eca:B:r0: epoch 31/100, loss 0.0153 (heartbeat 4 s ago)`. */
export function inFlightText(w: InFlightWork, campaignId: string, now = Date.now()): string {
  if (w.state === 'scheduled') return `${w.activity}: waiting for a worker${w.attempt > 1 ? ` (attempt ${w.attempt})` : ''}`;
  const notes: string[] = [];
  if (w.attempt > 1) notes.push(`attempt ${w.attempt}`);
  if (w.lastHeartbeatAt) notes.push(`heartbeat ${Math.max(0, Math.round((now - Date.parse(w.lastHeartbeatAt)) / 1000))} s ago`);
  return `${w.activity}: ${describeProgress(w.details, campaignId)}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}
