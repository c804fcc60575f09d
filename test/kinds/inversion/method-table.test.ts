/** The inversion summary's method x NPC table: TNNA run past the shared iteration budget is also read at that budget. */
import { describe, expect, it } from 'vitest';
import { summariseRows, type ResultRow } from '../../../kinds/inversion/method-table.js';

function row(method: string, npc: number, scenario: number, curve: number[]): ResultRow {
  return {
    scenario,
    method,
    npc,
    repeat: 0,
    variant: '',
    forwardCalls: method === 'TNNA' ? curve.length : npc * curve.length,
    wallMs: 1,
    finalObjective: curve[curve.length - 1],
    curve,
    estimate: [0.5],
    truth: [0.5],
    calibRmse: null,
    calibR2: null,
    validRmse: null,
    validR2: null,
    detail: null,
  };
}

describe('inversion method table', () => {
  it('gives TNNA its log10 J after the metaheuristics iterations when it ran more epochs', () => {
    const rows = [
      row('TNNA', 1, 0, [1, 1e-2, 1e-3, 1e-5, 1e-6]),
      row('TNNA', 1, 1, [1, 1e-2, 1e-5, 1e-5, 1e-6]),
      row('GA', 4, 0, [1, 0.1, 0.01]),
      row('GA', 4, 1, [1, 0.1, 0.01]),
    ];
    const t = summariseRows(rows, ['TNNA', 'GA'], ['']).methods;
    expect(t.TNNA['1'].log10ObjectiveMean).toBeCloseTo(-6, 12);
    // After 3 epochs (GA's 3 iterations): log10 1e-3 and 1e-5.
    expect(t.TNNA['1'].atBudget?.iterations).toBe(3);
    expect(t.TNNA['1'].atBudget?.log10ObjectiveMean).toBeCloseTo(-4, 12);
    expect(t.TNNA['1'].atBudget?.log10ObjectiveStd).toBeCloseTo(Math.SQRT2, 12);
    expect(t.GA['4'].atBudget).toBeUndefined();
    // Same length as the others: nothing extra.
    const same = summariseRows([row('TNNA', 1, 0, [1, 0.1, 0.01]), ...rows.slice(2)], ['TNNA', 'GA'], ['']).methods;
    expect(same.TNNA['1'].atBudget).toBeUndefined();
  });

  it("averages SA's discarded speculative evaluations apart from its forward calls", () => {
    const sa = [row('SA', 4, 0, [1, 0.5]), row('SA', 4, 1, [1, 0.5])];
    sa[0].detail = { speculativeCalls: 3 };
    sa[1].detail = { speculativeCalls: 5 };
    const t = summariseRows(sa, ['SA'], ['']).methods;
    expect(t.SA['4'].speculativeCalls).toBe(4);
    expect(t.SA['4'].forwardCalls).toBe(8);
    expect(summariseRows([row('SA', 4, 0, [1])], ['SA'], ['']).methods.SA['4'].speculativeCalls).toBeUndefined();
  });
});
