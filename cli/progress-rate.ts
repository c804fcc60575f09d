/**
 * Rate and ETA from Plume's own run counts, measured since the watch began: runs finished before
 * the first observation do not count (a watch attached to a half-done campaign would otherwise
 * report thousands of runs per second). `reset` starts over (a pipeline's next stage).
 */
export class ProgressRate {
  private t0 = 0;
  private done0 = 0;
  private started = false;

  constructor(private readonly now: () => number = Date.now) {}

  reset(): void {
    this.started = false;
  }

  /** Runs per second since the first observation, or null until there is something to measure. */
  observe(done: number): number | null {
    const t = this.now();
    if (!this.started || done < this.done0) {
      this.started = true;
      this.t0 = t;
      this.done0 = done;
      return null;
    }
    const dt = (t - this.t0) / 1000;
    const dn = done - this.done0;
    return dt > 0 && dn > 0 ? dn / dt : null;
  }
}

/** `1m05s`-style ETA of the remaining runs at `rate`, or `–` when it cannot be known. */
export function formatEta(remaining: number, rate: number | null): string {
  if (remaining <= 0) return '0s';
  if (rate === null || !(rate > 0) || !Number.isFinite(rate)) return '–';
  const s = Math.round(remaining / rate);
  if (!Number.isFinite(s)) return '–';
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatRate(rate: number | null): string {
  if (rate === null) return '–';
  return rate >= 100 ? rate.toFixed(0) : rate >= 1 ? rate.toFixed(1) : rate.toPrecision(2);
}
