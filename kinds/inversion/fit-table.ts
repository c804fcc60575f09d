/**
 * The paper's calibration / prediction metrics of an inversion campaign: per (variant, method, NPC)
 * the mean and sample std over scenarios of RMSE_all and R² on the calibration entries and on the
 * prediction (validation) entries — the forward model run at each estimate, scored against the
 * noise-free true observations (`fitOn` in problem.ts, per run, in the invert-run task) — as table
 * rows, as `metrics` rows, and beside the paper's values where shared/science/inversion.md gives them.
 */
import { finiteMean, finiteSampleStd } from '../../numerics/statistics.js';

/** The per-run fit columns of an `inversion_results` row (drizzle row or finalize's ResultRow). */
export interface FitRun {
  variant: string;
  method: string;
  npc: number;
  calibRmse: number | null;
  calibR2: number | null;
  validRmse: number | null;
  validR2: number | null;
}

interface MeanStd {
  mean: number | null;
  std: number | null;
}

export interface FitGroup {
  variant: string;
  method: string;
  npc: number;
  /** Runs (scenarios x repeats) in the group. */
  n: number;
  calibRmse: MeanStd;
  calibR2: MeanStd;
  predRmse: MeanStd;
  predR2: MeanStd;
}

const meanStd = (xs: (number | null)[]): MeanStd => ({ mean: finiteMean(xs), std: finiteSampleStd(xs) });

/** Groups in the order variants, then methods, then NPC appear in `variantOrder` / `methodOrder`. */
export function fitGroups(runs: readonly FitRun[], variantOrder: readonly string[], methodOrder: readonly string[]): FitGroup[] {
  const out: FitGroup[] = [];
  for (const variant of variantOrder) {
    for (const method of methodOrder) {
      const mine = runs.filter((r) => r.variant === variant && r.method === method);
      for (const npc of [...new Set(mine.map((r) => r.npc))].sort((a, b) => a - b)) {
        const g = mine.filter((r) => r.npc === npc);
        out.push({
          variant,
          method,
          npc,
          n: g.length,
          calibRmse: meanStd(g.map((r) => r.calibRmse)),
          calibR2: meanStd(g.map((r) => r.calibR2)),
          predRmse: meanStd(g.map((r) => r.validRmse)),
          predR2: meanStd(g.map((r) => r.validR2)),
        });
      }
    }
  }
  return out;
}

/**
 * `metrics` rows (owner: the campaign) of the groups: names `fit_{calib|pred}_{rmse|r2}_all` and
 * `..._std`, split `${variant}|${method}|npc${npc}` (variant '' for a campaign without variants).
 */
export function fitMetricRows(groups: readonly FitGroup[]): { name: string; split: string; step: number; value: number }[] {
  const rows: { name: string; split: string; step: number; value: number }[] = [];
  for (const g of groups) {
    const split = `${g.variant}|${g.method}|npc${g.npc}`;
    for (const [name, v] of [
      ['fit_calib_rmse_all', g.calibRmse],
      ['fit_calib_r2_all', g.calibR2],
      ['fit_pred_rmse_all', g.predRmse],
      ['fit_pred_r2_all', g.predR2],
    ] as const) {
      if (v.mean !== null) rows.push({ name, split, step: -1, value: v.mean });
      if (v.std !== null) rows.push({ name: `${name}_std`, split, step: -1, value: v.std });
    }
  }
  return rows;
}

/** The paper's values (shared/science/inversion.md §5), at 1 % noise, per case and method. */
export interface PaperFit {
  calibRmse?: number;
  calibR2?: number;
  predRmse?: number;
  predR2?: number;
}

export const PAPER_FIT: Record<string, Record<string, PaperFit>> = {
  case3: {
    TNNA: { calibRmse: 0.021, calibR2: 0.996, predRmse: 0.018, predR2: 0.994 },
    GA: { calibRmse: 0.027 },
    SA: { calibRmse: 0.029 },
  },
};
