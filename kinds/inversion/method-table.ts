/**
 * `campaigns.results` of an inversion campaign from its `inversion_results` rows: per method and
 * NPC (per variant when the campaign has several) the mean and spread of the final log10
 * objective, forward calls (mean, min, max: they are exact, so min = max for a fixed budget), wall
 * time, forward-model calibration / validation RMSE and R^2 (all outputs, heads, concentrations),
 * field RMSE, per-parameter error statistics; and the mean log10 best-so-far curve per
 * (method, NPC, variant) for convergence plots.
 */
import { log10, log10At, meanLog10Curve, sharedBudget } from './curves.js';
import { finite, finiteMean, finiteMedian, finiteSampleStd } from '../../numerics/statistics.js';

export interface ResultRow {
  scenario: number;
  method: string;
  npc: number;
  repeat: number;
  variant: string;
  forwardCalls: number;
  wallMs: number;
  finalObjective: number;
  curve: number[];
  estimate: number[];
  truth: number[];
  calibRmse: number | null;
  calibR2: number | null;
  validRmse: number | null;
  validR2: number | null;
  detail: {
    heads?: { calibRmse: number | null; calibR2: number | null; validRmse: number | null; validR2: number | null };
    conc?: { calibRmse: number | null; calibR2: number | null; validRmse: number | null; validR2: number | null };
    fieldRmse?: number;
    faciesAccuracy?: number;
    paramError?: number[];
    speculativeCalls?: number;
  } | null;
}

export interface GroupSummary {
  n: number;
  log10ObjectiveMean: number | null;
  log10ObjectiveStd: number | null;
  log10ObjectiveMedian: number | null;
  forwardCalls: number | null;
  forwardCallsMin: number;
  forwardCallsMax: number;
  /** SA with speculative batching: mean evaluations discarded at acceptances (not in forwardCalls). */
  speculativeCalls?: number | null;
  wallMs: number | null;
  calibRmse: number | null;
  validRmse: number | null;
  calibR2: number | null;
  validR2: number | null;
  /** Sample std over the group's runs (scenarios) of the four fit columns above. */
  calibRmseStd: number | null;
  validRmseStd: number | null;
  calibR2Std: number | null;
  validR2Std: number | null;
  heads: { calibRmse: number | null; validRmse: number | null; calibR2: number | null; validR2: number | null };
  conc: { calibRmse: number | null; validRmse: number | null; calibR2: number | null; validR2: number | null };
  fieldRmse?: number | null;
  fieldRmseStd?: number | null;
  faciesAccuracy?: number | null;
  /**
   * TNNA run for more epochs than the other methods' iterations: log10 J after that shared budget
   * (read off the best-so-far curves; TNNA's forward calls there = the budget).
   */
  atBudget?: { iterations: number; log10ObjectiveMean: number | null; log10ObjectiveStd: number | null };
  /** Mean |estimate - truth| over parameters and runs (normalised units). */
  paramErrorMean: number | null;
  /** Per parameter: mean, std and mean absolute error of (estimate - truth), normalised units. */
  paramErrors: { mean: number | null; std: number | null; meanAbs: number | null }[];
}

function summariseGroup(rows: ResultRow[], budget: number | null): GroupSummary {
  const calls = rows.map((r) => r.forwardCalls);
  const errs = rows.map((r) => r.detail?.paramError ?? []);
  const nParams = Math.max(0, ...errs.map((e) => e.length));
  const paramErrors = Array.from({ length: nParams }, (_, k) => {
    const e = errs.map((x) => x[k]);
    return { mean: finiteMean(e), std: finiteSampleStd(e), meanAbs: finiteMean(e.map((v) => (v === undefined ? undefined : Math.abs(v)))) };
  });
  const fields = rows.map((r) => r.detail?.fieldRmse);
  const g = (key: 'heads' | 'conc', f: 'calibRmse' | 'validRmse' | 'calibR2' | 'validR2') => finiteMean(rows.map((r) => r.detail?.[key]?.[f] ?? null));
  const out: GroupSummary = {
    n: rows.length,
    log10ObjectiveMean: finiteMean(rows.map((r) => log10(r.finalObjective))),
    log10ObjectiveStd: finiteSampleStd(rows.map((r) => log10(r.finalObjective))),
    log10ObjectiveMedian: finiteMedian(finite(rows.map((r) => log10(r.finalObjective)))),
    forwardCalls: finiteMean(calls),
    forwardCallsMin: Math.min(...calls),
    forwardCallsMax: Math.max(...calls),
    wallMs: finiteMean(rows.map((r) => r.wallMs)),
    calibRmse: finiteMean(rows.map((r) => r.calibRmse)),
    validRmse: finiteMean(rows.map((r) => r.validRmse)),
    calibR2: finiteMean(rows.map((r) => r.calibR2)),
    validR2: finiteMean(rows.map((r) => r.validR2)),
    calibRmseStd: finiteSampleStd(rows.map((r) => r.calibRmse)),
    validRmseStd: finiteSampleStd(rows.map((r) => r.validRmse)),
    calibR2Std: finiteSampleStd(rows.map((r) => r.calibR2)),
    validR2Std: finiteSampleStd(rows.map((r) => r.validR2)),
    heads: { calibRmse: g('heads', 'calibRmse'), validRmse: g('heads', 'validRmse'), calibR2: g('heads', 'calibR2'), validR2: g('heads', 'validR2') },
    conc: { calibRmse: g('conc', 'calibRmse'), validRmse: g('conc', 'validRmse'), calibR2: g('conc', 'calibR2'), validR2: g('conc', 'validR2') },
    paramErrorMean: finiteMean(errs.flat().map(Math.abs)),
    paramErrors,
  };
  if (finite(fields).length) {
    out.fieldRmse = finiteMean(fields);
    out.fieldRmseStd = finiteSampleStd(fields);
  }
  if (budget !== null && rows.every((r) => r.method === 'TNNA') && rows.some((r) => r.curve.length > budget)) {
    const at = log10At(
      rows.map((r) => r.curve),
      budget,
    );
    out.atBudget = { iterations: budget, log10ObjectiveMean: finiteMean(at), log10ObjectiveStd: finiteSampleStd(at) };
  }
  const discarded = rows.map((r) => r.detail?.speculativeCalls ?? 0);
  if (discarded.some((v) => v > 0)) out.speculativeCalls = finiteMean(discarded);
  const facies = rows.map((r) => r.detail?.faciesAccuracy);
  if (finite(facies).length) out.faciesAccuracy = finiteMean(facies);
  return out;
}

export type MethodTable = Record<string, Record<string, GroupSummary>>;

export function summariseRows(rows: ResultRow[], methodOrder: string[], variantOrder: string[]) {
  const budget = sharedBudget(
    methodOrder.map((m) => ({ method: m, curves: rows.filter((r) => r.method === m).map((r) => r.curve) })).filter((g) => g.curves.length),
  );
  const table = (subset: ResultRow[]): MethodTable => {
    const t: MethodTable = {};
    for (const m of methodOrder) {
      const mine = subset.filter((r) => r.method === m);
      if (!mine.length) continue;
      t[m] = {};
      for (const npc of [...new Set(mine.map((r) => r.npc))].sort((a, b) => a - b))
        t[m][String(npc)] = summariseGroup(
          mine.filter((r) => r.npc === npc),
          budget,
        );
    }
    return t;
  };
  const convergence: { method: string; npc: number; variant: string; n: number; log10Objective: number[] }[] = [];
  for (const v of variantOrder) {
    for (const m of methodOrder) {
      const mine = rows.filter((r) => r.variant === v && r.method === m);
      for (const npc of [...new Set(mine.map((r) => r.npc))].sort((a, b) => a - b)) {
        const c = mine.filter((r) => r.npc === npc).map((r) => r.curve);
        convergence.push({ method: m, npc, variant: v, n: c.length, log10Objective: meanLog10Curve(c) });
      }
    }
  }
  const first = variantOrder[0] ?? '';
  return {
    /** The first variant's table (the only one for case 1). */
    methods: table(rows.filter((r) => r.variant === first)),
    ...(variantOrder.length > 1 ? { byVariant: Object.fromEntries(variantOrder.map((v) => [v, table(rows.filter((r) => r.variant === v))])) } : {}),
    convergence,
  };
}
