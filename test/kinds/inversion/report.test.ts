/** Inversion reports from inserted rows: convergence (Fig. 7), parameter errors (Fig. 9), RMSE tables (Tables 2-3), forward calls, fields. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inversionResults, metrics } from '../../../db/schema.js';
import { SERIES_COLORS } from '../../../report/figures/palette.js';
import { writeCampaignReport } from '../../../kinds/index.js';
import { countAttr, expectFigures, insertCampaign, openReportFixture, tableRow, type ReportFixture } from '../../support/report-fixture.js';

const NY = 4;
const NX = 6;

/** A two-scenario campaign of one method's rows on a case-2 spec, with the fits every row carries; `row` gives the rest. */
async function insertTwoScenarioRuns(
  fx: ReportFixture,
  id: string,
  method: string,
  row: (scenario: number) => Pick<typeof inversionResults.$inferInsert, 'forwardCalls' | 'finalObjective' | 'objectiveCurve' | 'detail'>,
) {
  await insertCampaign(fx.database, { id, kind: 'inversion', name: `case2-${id}`, spec: { kind: 'inversion', case: 'case2' }, results: {} });
  await fx.database.db.insert(inversionResults).values(
    [0, 1].map((scenario) => ({
      campaignId: id,
      scenario,
      method,
      npc: 1,
      wallMs: 60_000,
      estimate: [0.5, 0.5, 0.5],
      truth: [0.4, 0.6, 0.5],
      calibRmse: 0.001,
      calibR2: 0.9999,
      validRmse: 0.002,
      validR2: 0.9998,
      ...row(scenario),
    })),
  );
}

describe('inversion report', () => {
  let fx: ReportFixture;
  beforeAll(async () => {
    fx = await openReportFixture();
    await insertCampaign(fx.database, {
      id: 'inv',
      kind: 'inversion',
      name: 'case2-small',
      spec: { kind: 'inversion', case: 'case2' },
      results: { surrogate: { arch: 'resnet', testRmse: 0.0123 } },
    });
    await fx.database.db.insert(metrics).values([
      { ownerType: 'campaign', ownerId: 'inv', name: 'surrogate_test_rmse', split: 'heads', step: -1, value: 0.0021 },
      { ownerType: 'campaign', ownerId: 'inv', name: 'surrogate_test_rmse', split: 'conc', step: -1, value: 0.015 },
      { ownerType: 'campaign', ownerId: 'inv', name: 'surrogate_test_r2', split: 'all', step: -1, value: 0.998 },
    ]);
    const truth = await fx.store.putTensor(
      'true-field',
      Float32Array.from({ length: NY * NX }, (_, k) => k / 10),
      [NY, NX],
    );
    const rows: (typeof inversionResults.$inferInsert)[] = [];
    const groups: [string, number, number, number][] = [
      // method, npc, forward calls, calibration RMSE of all outputs (scenario 0; scenario 1 adds 0.002)
      ['TNNA', 1, 200, 0.001],
      ['GA', 20, 4000, 0.004],
      ['GA', 40, 8000, 0.003],
      ['PSO', 20, 4000, 0.006],
      ['PSO', 40, 8000, 0.005],
    ];
    for (const [method, npc, calls, rmse] of groups) {
      for (const scenario of [0, 1]) {
        // Final objective 1e-3 (scenario 0) and 1e-4 (scenario 1): mean log10 -3.5, std 0.7071.
        const final = scenario === 0 ? 1e-3 : 1e-4;
        const est = await fx.store.putTensor(
          'est',
          Float32Array.from({ length: NY * NX }, (_, k) => k / 10 + (method === 'GA' ? 0.5 : 0.25)),
          [NY, NX],
        );
        rows.push({
          campaignId: 'inv',
          scenario,
          method,
          npc,
          forwardCalls: calls,
          wallMs: method === 'TNNA' ? 500 : 1500,
          finalObjective: final,
          // TNNA runs 2 epochs past the others' 4 iterations (as the paper's 1,000 epochs vs 200).
          objectiveCurve: method === 'TNNA' ? [1, 0.1, 0.01, 0.01, 0.01, final] : [1, 0.1, 0.01, final],
          estimate: [0.5, 0.5, 0.5],
          truth: [0.4, 0.6, 0.5],
          calibRmse: rmse + 0.002 * scenario,
          calibR2: 0.99,
          validRmse: 2 * rmse,
          validR2: 0.98,
          detail: {
            heads: { calibRmse: rmse / 2, calibR2: 0.995, validRmse: rmse, validR2: 0.99 },
            conc: { calibRmse: rmse * 2, calibR2: 0.97, validRmse: rmse * 3, validR2: 0.96 },
            fieldRmse: method === 'GA' ? 0.5 : 0.25,
            fieldQuantity: 'Y = ln k - ln 2e-13',
            paramError: [0.1 * (scenario + 1), -0.1, 0],
            estimatedFieldArtifactId: est.id,
            // TNNA's estimate after the others' 4 iterations (it ran 6 epochs), scored like its final one.
            ...(method === 'TNNA'
              ? {
                  atBudget: { epochs: 4, finalObjective: 0.01, calib: { rmse: 0.003 }, heads: { calibRmse: 0.002 }, fieldRmse: 0.4 },
                  // Two output-bias corrections (tnna.corrections: 2): the shift's RMS per correction.
                  corrections: { simulations: 2, shiftRms: [0.05 + 0.01 * scenario, 0.03] },
                }
              : {}),
            // Only SA's speculative batching discards evaluations; the report shows them for any row that has them.
            ...(method === 'GA' && npc === 40 ? { speculativeCalls: 1500 + 100 * scenario } : {}),
            ...(scenario === 0 ? { trueFieldArtifactId: truth.id } : {}),
          },
        });
      }
    }
    await fx.database.db.insert(inversionResults).values(rows);
  });
  afterAll(async () => fx?.close());

  it('tabulates convergence and cost, calibration / validation fit, field RMSE and parameter errors', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'inv', fx.outDir('inv'));
    const md = readFileSync(out.markdownPath, 'utf8');
    expect(md).toContain('Case `case2`: 2 scenarios, methods TNNA, GA, PSO, NPC 1, 20, 40, 10 inversion runs.');
    expect(tableRow(md, 'surrogate_test_rmse')).toEqual([['surrogate_test_rmse', '0.0021', '0.015', 'n/a']]);
    expect(tableRow(md, 'arch')).toEqual([['arch', 'resnet']]);
    const ga = tableRow(md, 'GA');
    // Convergence and cost: n, log10 J mean ± std, forward calls, wall time.
    expect(ga[0]).toEqual(['GA', '20', '2', '-3.5 ± 0.707', '4000', '1.5 s']);
    expect(ga[1]).toEqual(['GA', '40', '2', '-3.5 ± 0.707', '8000 (+1550 discarded)', '1.5 s']);
    expect(tableRow(md, 'TNNA')[0]).toEqual(['TNNA', '1', '2', '-3.5 ± 0.707', '200', '500 ms']);
    // ... and again after the shared budget of 4 iterations, read off its best-so-far curves.
    expect(tableRow(md, 'TNNA (first 4 epochs)')).toEqual([['TNNA (first 4 epochs)', '1', '2', '-2 ± 0', '4', '']]);
    expect(md).toContain('TNNA after 4 and 6 epochs');
    expect(tableRow(md, '4')).toEqual([['4', '-2 ± 0', '0.4', '0.002', '0.003']]);
    expect(tableRow(md, '6')).toEqual([['6', '-3.5 ± 0.707', '0.25', '5.000e-4', '0.002']]);
    expect(md).toContain('## TNNA output-bias corrections');
    expect(md).toContain('TNNA ran 3 times per scenario');
    expect(md).toContain('RMS of the shift per correction (mean over 2 runs): 0.055, 0.03.');
    // Calibration: heads rmse/2, conc 2 rmse, all mean(rmse, rmse + 0.002), R² 0.99.
    expect(ga[2]).toEqual(['GA', '20', '0.002', '0.008', '0.005', '0.99']);
    // Validation: heads rmse, conc 3 rmse, all 2 rmse.
    expect(ga[4]).toEqual(['GA', '20', '0.004', '0.012', '0.008', '0.98']);
    expect(md).toContain('| NPC | TNNA | GA | PSO |');
    expect(tableRow(md, '20')[0]).toEqual(['20', 'n/a', '0.5', '0.25']);
    expect(tableRow(md, '1')[0]).toEqual(['1', '0.25', 'n/a', 'n/a']);
    expect(md).toContain('(Y = ln k - ln 2e-13)');
    // Parameter errors: p1 = 0.1, 0.2 (mean 0.15 ± 0.071), p2 = -0.1, p3 = 0; mean |error| = (0.3 + 0.2 + 0) / 6.
    expect(ga[6]).toEqual(['GA', '20', '0.08333', '0.15 ± 0.071', '-0.1 ± 0', '0 ± 0']);
    // The paper's metrics: variant x method x NPC, calibration / prediction RMSE_all and R², mean ± std over scenarios.
    expect(tableRow(md, '(default)')[1]).toEqual(['(default)', 'GA', '20', '2', '0.005 ± 0.0014', '0.99 ± 0', '0.008 ± 0', '0.98 ± 0']);
  });

  it('draws Fig. 7 curves per NPC, Fig. 9 box plots, and true / estimated / error fields', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'inv', fx.outDir('inv-figs'));
    const svgs = expectFigures(out.markdownPath, out.figures);
    expect([...svgs.keys()].sort()).toEqual([
      'inversion-convergence-npc20',
      'inversion-convergence-npc40',
      'inversion-field-errors-s0',
      'inversion-fields-s0',
      'inversion-param-errors-npc20',
      'inversion-param-errors-npc40',
    ]);
    const conv = svgs.get('inversion-convergence-npc20')!;
    // TNNA (colour 0, drawn in every panel), GA (1), PSO (2): a line + legend line + legend symbol each.
    for (let k = 0; k < 3; k++) expect(countAttr(conv, 'stroke', SERIES_COLORS[k])).toBe(3);
    expect(conv).toContain('>TNNA (no population)<');
    expect(conv).toContain('>mean log10 J<');
    const box = svgs.get('inversion-param-errors-npc40')!;
    // 3 parameters: one box per (parameter, method).
    for (let k = 0; k < 3; k++) expect(countAttr(box, 'fill', `${SERIES_COLORS[k]}55`)).toBe(3);
    const fields = svgs.get('inversion-fields-s0')!;
    for (const t of ['true field', 'TNNA (NPC 1)', 'GA (NPC 40)', 'PSO (NPC 40)']) expect(fields).toContain(`>${t}<`);
    const errors = svgs.get('inversion-field-errors-s0')!;
    // GA's estimate is the truth + 0.5 everywhere: its error panel's symmetric colour bar ends at ±0.5.
    expect(errors).toContain('>GA (NPC 40) − true<');
    expect(errors).toContain('>-0.5<');
  });

  it('summarises first-order corrections: rounds kept and J on the forward model before and after', async () => {
    await insertTwoScenarioRuns(fx, 'inv-fo', 'TNNA', (scenario) => ({
      forwardCalls: 1000,
      finalObjective: 1e-4,
      objectiveCurve: [1e-2, 1e-3, 1e-4],
      detail: {
        fieldRmse: 0.1,
        paramError: [0.1, -0.1, 0],
        // Scenario 0 keeps rounds 1 and 2 (J 1e-3 -> 1e-4 -> 1e-5), scenario 1 only round 1 (1e-2 -> 1e-3).
        corrections: {
          order: 1,
          simulations: scenario === 0 ? 10 : 7,
          surrogateCalls: 8,
          shiftRms: [0.05],
          slopeRms: [0.2],
          startObjective: scenario === 0 ? 1e-3 : 1e-2,
          rounds:
            scenario === 0
              ? [
                  { objective: 1e-4, accepted: true, radius: 0.1 },
                  { objective: 1e-5, accepted: true, radius: 0.2 },
                  { objective: 2e-5, accepted: false, radius: 0.4 },
                ]
              : [
                  { objective: 1e-3, accepted: true, radius: 0.1 },
                  { objective: 2e-3, accepted: false, radius: 0.2 },
                  { objective: 3e-3, accepted: false, radius: 0.05 },
                ],
        },
      },
    }));
    const md = readFileSync((await writeCampaignReport(fx.database, fx.store, 'inv-fo', fx.outDir('inv-fo'))).markdownPath, 'utf8');
    expect(md).toContain('## TNNA first-order corrections');
    expect(md).not.toContain('## TNNA output-bias corrections');
    expect(md).toContain('TNNA ran 4 times per scenario');
    // Kept rounds 2 and 1 (mean 1.5), simulations 10 and 7; log10 J -3 and -2 at the start, -5 and -3 at the end.
    expect(md).toContain('Mean over 2 runs: 1.5 of 3 rounds kept, 8.5 simulations and 4 runs of surrogate calls');
    expect(md).toContain('log10 J on the forward model -2.5 ± 0.707 after the first run and -4 ± 1.41 at the kept estimate.');
  });

  it('shows where LM started when it polished a TNNA estimate (lm.start: tnna)', async () => {
    await insertTwoScenarioRuns(fx, 'inv-lm', 'LM', (scenario) => ({
      forwardCalls: 1200,
      finalObjective: scenario === 0 ? 1e-5 : 1e-4,
      objectiveCurve: [1e-3, 1e-4, scenario === 0 ? 1e-5 : 1e-4],
      detail: {
        fieldRmse: 0.05 + 0.01 * scenario,
        paramError: [0.1, -0.1, 0],
        start: { method: 'TNNA', surrogateCalls: 200, objective: 1e-3, fieldRmse: 0.4 + 0.1 * scenario },
      },
    }));
    const md = readFileSync((await writeCampaignReport(fx.database, fx.store, 'inv-lm', fx.outDir('inv-lm'))).markdownPath, 'utf8');
    expect(md).toContain('## LM from a TNNA start');
    expect(md).toContain('Each LM run started from the estimate of a TNNA run on the surrogate (200 surrogate calls');
    expect(tableRow(md, 'TNNA start')).toEqual([['TNNA start', '-3 ± 0', '0.45']]);
    // The start table's LM row (the cost table has an LM row too: method, NPC, runs, J, calls, time).
    expect(tableRow(md, 'LM')).toContainEqual(['LM', '-4.5 ± 0.707', '0.055']);
    expect(tableRow(md, 'LM')).toContainEqual(['LM', '1', '2', '-4.5 ± 0.707', '1200', '60 s']);
  });
});
