/**
 * The paper's calibration / prediction metrics: RMSE_all and R² of one run on an index set
 * (`fitOn`), and their mean ± std per (variant, method, NPC) as table groups and metric rows.
 */
import { describe, expect, it } from 'vitest';
import { fitGroups, fitMetricRows, type FitRun } from '../../../kinds/inversion/fit-table.js';
import { fitOn } from '../../../kinds/inversion/problem.js';

describe('fitOn (RMSE_all and R² on an index set)', () => {
  const truth = [0.1, 0.4, 0.2, 0.9, 0.5, 0.7];
  const all = [0, 1, 2, 3, 4, 5];

  it('identical fields give RMSE 0 and R² 1', () => {
    expect(fitOn(truth, truth, all)).toEqual({ rmse: 0, r2: 1 });
  });

  it('a constant offset c gives RMSE |c| and R² = 1 - c² / var(truth)', () => {
    const c = 0.05;
    const pred = truth.map((t) => t + c);
    const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
    const variance = truth.reduce((a, t) => a + (t - mean) ** 2, 0) / truth.length;
    const f = fitOn(pred, truth, all)!;
    expect(f.rmse).toBeCloseTo(c, 12);
    expect(f.r2!).toBeCloseTo(1 - (c * c) / variance, 12);
  });

  it('scores only the given entries (calibration vs prediction)', () => {
    const pred = truth.map((t, i) => (i < 3 ? t : t - 0.2));
    expect(fitOn(pred, truth, [0, 1, 2])!.rmse).toBe(0);
    expect(fitOn(pred, truth, [3, 4, 5])!.rmse).toBeCloseTo(0.2, 12);
    expect(fitOn(pred, truth, [])).toBeNull();
  });

  it('R² is null on a constant truth (no variance to explain)', () => {
    expect(fitOn([1, 1], [2, 2], [0, 1])).toEqual({ rmse: 1, r2: null });
  });
});

describe('fitGroups / fitMetricRows', () => {
  const run = (variant: string, method: string, calibRmse: number, validRmse: number): FitRun => ({
    variant,
    method,
    npc: method === 'TNNA' ? 1 : 20,
    calibRmse,
    calibR2: 1 - calibRmse,
    validRmse,
    validR2: 1 - validRmse,
  });
  const runs = [
    run('sigma=0.01', 'TNNA', 0.02, 0.01),
    run('sigma=0.01', 'TNNA', 0.04, 0.03),
    run('sigma=0.01', 'GA', 0.1, 0.2),
    run('sigma=0.1', 'TNNA', 0.06, 0.05),
  ];

  it('means and sample stds over scenarios per variant x method x NPC, in the given order', () => {
    const g = fitGroups(runs, ['sigma=0.01', 'sigma=0.1'], ['TNNA', 'GA']);
    expect(g.map((x) => `${x.variant}|${x.method}|${x.npc}|${x.n}`)).toEqual(['sigma=0.01|TNNA|1|2', 'sigma=0.01|GA|20|1', 'sigma=0.1|TNNA|1|1']);
    expect(g[0].calibRmse.mean).toBeCloseTo(0.03, 12);
    expect(g[0].calibRmse.std).toBeCloseTo(Math.SQRT2 * 0.01, 12);
    expect(g[0].predRmse.mean).toBeCloseTo(0.02, 12);
    expect(g[0].predR2.mean).toBeCloseTo(0.98, 12);
    expect(g[1].calibRmse.std).toBeNull();
  });

  it('writes one metric row per statistic and group, std only where there are two runs', () => {
    const rows = fitMetricRows(fitGroups(runs, ['sigma=0.01', 'sigma=0.1'], ['TNNA', 'GA']));
    const tnna = rows.filter((r) => r.split === 'sigma=0.01|TNNA|npc1');
    expect(tnna.map((r) => r.name).sort()).toEqual(
      ['fit_calib_r2_all', 'fit_calib_rmse_all', 'fit_pred_r2_all', 'fit_pred_rmse_all'].flatMap((n) => [n, `${n}_std`]).sort(),
    );
    expect(tnna.find((r) => r.name === 'fit_pred_rmse_all')!.value).toBeCloseTo(0.02, 12);
    expect(rows.filter((r) => r.split === 'sigma=0.01|GA|npc20')).toHaveLength(4);
    expect(rows.every((r) => r.step === -1)).toBe(true);
  });
});
