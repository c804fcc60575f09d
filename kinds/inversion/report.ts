/**
 * `inversion` report, after the paper's Figs. 7-9 and Tables 2-3: log10 objective convergence
 * (mean over scenarios) per method and NPC, per-parameter error box plots, calibration /
 * validation RMSE and R² (heads, concentrations, all outputs; forward model), field RMSE, forward
 * calls and wall time, surrogate test accuracy, and estimated fields of one scenario.
 */
import { and, eq, like } from 'drizzle-orm';
import { inversionResults, metrics } from '../../db/schema.js';
import { boxPlot } from '../../report/figures/box-plot.js';
import { finiteRange, heatmap, type HeatmapPanel } from '../../report/figures/heatmap.js';
import { lineChart, type LineSeries } from '../../report/figures/line-chart.js';
import { markdownTable } from '../../report/markdown-table.js';
import { formatMeanStd, formatNumber, formatSeconds } from '../../report/number-format.js';
import type { KindReport, ReportContext, ReportedCampaign } from '../../report/report-context.js';
import type { InversionResults } from './results.js';
import { sliceAt, sliceDifference } from '../../report/tensor-slices.js';
import { log10, log10At, meanLog10Curve, sharedBudget } from './curves.js';
import { fitSection } from './fit-report.js';
import { finite, finiteMean, finiteSampleStd } from '../../numerics/statistics.js';

/** Parameters shown per box-plot figure (latent vectors can be long). */
const MAX_BOX_PARAMETERS = 12;

type Row = typeof inversionResults.$inferSelect;

interface GroupFit {
  calibRmse?: number | null;
  calibR2?: number | null;
  validRmse?: number | null;
  validR2?: number | null;
}

interface Detail {
  heads?: GroupFit;
  conc?: GroupFit;
  fieldRmse?: number;
  fieldQuantity?: string;
  estimatedFieldArtifactId?: string;
  trueFieldArtifactId?: string;
  paramError?: number[];
  speculativeCalls?: number;
  corrections?: {
    order?: 0 | 1;
    simulations: number;
    shiftRms: number[];
    startObjective?: number;
    rounds?: { objective: number; accepted: boolean; radius: number }[];
  };
  start?: { method: string; surrogateCalls: number; objective: number; fieldRmse?: number };
  atBudget?: { epochs: number; finalObjective: number; calib?: { rmse: number }; heads?: GroupFit; fieldRmse?: number };
}

const detailOf = (r: Row): Detail => r.detail ?? {};

/** Mean ± sample std of log10 J over runs, as the tables print it. */
const logJ = (v: number[]): string => formatMeanStd(finiteMean(v.map(log10)), finiteSampleStd(v.map(log10)));

const METHOD_ORDER = ['TNNA', 'GA', 'DE', 'PSO', 'SA', 'LM'];
const sortMethods = (ms: Iterable<string>): string[] => {
  const rank = (m: string) => (METHOD_ORDER.includes(m.toUpperCase()) ? METHOD_ORDER.indexOf(m.toUpperCase()) : METHOD_ORDER.length);
  return [...new Set(ms)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
};

interface Group {
  method: string;
  npc: number;
  rows: Row[];
}

function groups(rows: Row[]): Group[] {
  const out: Group[] = [];
  for (const m of sortMethods(rows.map((r) => r.method))) {
    const mine = rows.filter((r) => r.method === m);
    for (const npc of [...new Set(mine.map((r) => r.npc))].sort((a, b) => a - b)) out.push({ method: m, npc, rows: mine.filter((r) => r.npc === npc) });
  }
  return out;
}

/**
 * Forward calls of a group (the method's own evaluations), with SA's speculative evaluations that
 * were discarded at an acceptance (`sa.batching: speculative`) shown beside them.
 */
function forwardCallsCell(g: Group): string {
  const calls = formatNumber(finiteMean(g.rows.map((r) => r.forwardCalls)), 6);
  const discarded = finiteMean(g.rows.map((r) => detailOf(r).speculativeCalls ?? 0));
  return discarded ? `${calls} (+${formatNumber(discarded, 4)} discarded)` : calls;
}

/** TNNA and LM run without a population (recorded with npc 1): they appear in every NPC panel as a reference. */
const isPopulationFree = (g: Group, npcs: number[]): boolean => g.npc === 1 && !npcs.every((n) => n === 1);

async function variantSection(ctx: ReportContext, rows: Row[], variant: string, depth: number): Promise<string> {
  const out: string[] = [];
  const gs = groups(rows);
  const tag = variant ? `-${variant}` : '';
  const npcs = [...new Set(gs.filter((g) => g.npc !== 1).map((g) => g.npc))].sort((a, b) => a - b);
  const panels = npcs.length ? npcs : [...new Set(gs.map((g) => g.npc))];
  const inPanel = (npc: number) => gs.filter((g) => g.npc === npc || isPopulationFree(g, panels));
  const methodColor = new Map(sortMethods(rows.map((r) => r.method)).map((m, k) => [m, k]));
  const scenarios = new Set(rows.map((r) => r.scenario)).size;

  out.push(ctx.heading(depth, 'Convergence and cost'));
  // TNNA may run more epochs than the others' iterations (the paper's 1,000 vs 200): its row is
  // repeated at the shared budget, and the convergence plots stop there (Fig. 7 plots 200).
  const budget = sharedBudget(gs.map((g) => ({ method: g.method, curves: g.rows.map((r) => r.objectiveCurve) })));
  const costRows: (string | number)[][] = [];
  for (const g of gs) {
    costRows.push([
      g.method,
      g.npc,
      g.rows.length,
      logJ(g.rows.map((r) => r.finalObjective)),
      forwardCallsCell(g),
      formatSeconds((finiteMean(g.rows.map((r) => r.wallMs)) ?? NaN) / 1000),
    ]);
    if (budget !== null && g.method === 'TNNA' && g.rows.some((r) => r.objectiveCurve.length > budget)) {
      const at = log10At(
        g.rows.map((r) => r.objectiveCurve),
        budget,
      );
      costRows.push([`TNNA (first ${budget} epochs)`, g.npc, at.length, formatMeanStd(finiteMean(at), finiteSampleStd(at)), budget, '']);
    }
  }
  out.push(markdownTable(['method', 'NPC', 'runs', 'log10 J (mean ± std)', 'forward calls', 'wall time per run'], costRows));
  for (const npc of panels) {
    const series: LineSeries[] = inPanel(npc).map((g) => {
      const full = meanLog10Curve(g.rows.map((r) => r.objectiveCurve));
      const y = budget !== null ? full.slice(0, budget) : full;
      return { name: g.npc === npc ? g.method : `${g.method} (no population)`, x: y.map((_, i) => i + 1), y, colorIndex: methodColor.get(g.method) };
    });
    out.push(
      await ctx.figures.add(
        `inversion-convergence${tag}-npc${npc}`,
        `Mean over ${scenarios} scenarios of log10 best-so-far objective per iteration, NPC = ${npc} (Fig. 7 style${budget !== null ? `; first ${budget} iterations` : ''}).`,
        lineChart({ title: `log10 objective, NPC = ${npc}${variant ? ` (${variant})` : ''}`, xLabel: 'iteration', yLabel: 'mean log10 J', series }),
      ),
    );
  }

  const tnnaSnapshots = rows.filter((r) => r.method === 'TNNA' && detailOf(r).atBudget);
  if (tnnaSnapshots.length) {
    const early = detailOf(tnnaSnapshots[0]).atBudget!.epochs;
    const late = Math.max(...tnnaSnapshots.map((r) => r.objectiveCurve.length));
    const at = tnnaSnapshots.map((r) => detailOf(r).atBudget!);
    out.push(ctx.heading(depth, `TNNA after ${early} and ${late} epochs`));
    out.push(
      `One TNNA run per scenario; its best-so-far estimate after ${early} epochs (what a ${early}-epoch run returns) re-simulated with the forward model like the final one. Means over ${tnnaSnapshots.length} runs.`,
    );
    out.push(
      markdownTable(
        ['epochs (= forward calls)', 'log10 J (mean ± std)', 'field RMSE', 'calib. RMSE heads', 'calib. RMSE all'],
        [
          [
            early,
            logJ(at.map((a) => a.finalObjective)),
            formatNumber(finiteMean(at.map((a) => a.fieldRmse))),
            formatNumber(finiteMean(at.map((a) => a.heads?.calibRmse))),
            formatNumber(finiteMean(at.map((a) => a.calib?.rmse))),
          ],
          [
            late,
            logJ(tnnaSnapshots.map((r) => r.finalObjective)),
            formatNumber(finiteMean(tnnaSnapshots.map((r) => detailOf(r).fieldRmse))),
            formatNumber(finiteMean(tnnaSnapshots.map((r) => detailOf(r).heads?.calibRmse))),
            formatNumber(finiteMean(tnnaSnapshots.map((r) => r.calibRmse))),
          ],
        ],
      ),
    );
  }

  const corrected = rows.filter((r) => r.method === 'TNNA' && detailOf(r).corrections);
  if (corrected.length) {
    const recs = corrected.map((r) => detailOf(r).corrections!);
    const sims = formatNumber(finiteMean(recs.map((c) => c.simulations)), 6);
    const firstOrder = recs.filter((c) => c.order === 1 && c.rounds);
    if (firstOrder.length) {
      const n = Math.max(...firstOrder.map((c) => c.rounds!.length));
      const kept = finiteMean(firstOrder.map((c) => c.rounds!.filter((r) => r.accepted).length));
      const endJ = firstOrder.map((c) => Math.min(c.startObjective ?? Infinity, ...c.rounds!.map((r) => r.objective)));
      out.push(ctx.heading(depth, 'TNNA first-order corrections'));
      out.push(
        `TNNA ran ${n + 1} times per scenario: the forward model was evaluated at the first run's estimate and one step along each unknown, and each later run fitted the surrogate plus the error's value and slope there (simulator − surrogate, by forward differences) inside a trust region around it; ` +
          `each later run started at the kept estimate, and a run whose estimate, simulated once, lowered J on the forward model was kept (the error re-measured there); the region was quartered when J fell by under a quarter of what the corrected surrogate predicted (or rose) and doubled when by over three quarters. ` +
          `Mean over ${firstOrder.length} runs: ${formatNumber(kept, 3)} of ${n} rounds kept, ${sims} simulations and ${n + 1} runs of surrogate calls (the forward calls), ` +
          `log10 J on the forward model ${logJ(firstOrder.map((c) => c.startObjective ?? NaN))} after the first run and ${logJ(endJ)} at the kept estimate. ` +
          "The estimate and the fits in this report are the last kept run's; its J is on the corrected surrogate.",
      );
    }
    const outputBias = recs.filter((c) => c.order !== 1);
    if (outputBias.length) {
      const n = Math.max(...outputBias.map((c) => c.shiftRms.length));
      const shift = Array.from({ length: n }, (_, k) => formatNumber(finiteMean(outputBias.map((c) => c.shiftRms[k])))).join(', ');
      out.push(ctx.heading(depth, 'TNNA output-bias corrections'));
      out.push(
        `TNNA ran ${n + 1} times per scenario: after each run its estimate was simulated once with the forward model and the calibration data shifted by the surrogate's error there (simulator − surrogate), ` +
          `so each run's forward calls count ${n + 1} runs of surrogate calls, plus ${formatNumber(finiteMean(outputBias.map((c) => c.simulations)), 6)} simulations. RMS of the shift per correction (mean over ${outputBias.length} runs): ` +
          `${shift}. The estimate, J (on the shifted data) and the fits in this report are the last run's.`,
      );
    }
  }

  const started = rows.filter((r) => r.method === 'LM' && detailOf(r).start);
  if (started.length) {
    const st = started.map((r) => detailOf(r).start!);
    out.push(ctx.heading(depth, `LM from a ${st[0].method} start`));
    out.push(
      `Each LM run started from the estimate of a ${st[0].method} run on the surrogate (${formatNumber(finiteMean(st.map((s) => s.surrogateCalls)), 6)} surrogate calls, not in LM's forward calls). Means over ${started.length} runs.`,
    );
    const withField = st.some((s) => s.fieldRmse !== undefined);
    out.push(
      markdownTable(
        ['', 'log10 J (mean ± std)', ...(withField ? ['field RMSE'] : [])],
        [
          [`${st[0].method} start`, logJ(st.map((s) => s.objective)), ...(withField ? [formatNumber(finiteMean(st.map((s) => s.fieldRmse)))] : [])],
          ['LM', logJ(started.map((r) => r.finalObjective)), ...(withField ? [formatNumber(finiteMean(started.map((r) => detailOf(r).fieldRmse)))] : [])],
        ],
      ),
    );
  }

  out.push(ctx.heading(depth, 'Calibration and validation fit (forward model)'));
  out.push('RMSE and R² of the forward model at each estimate against the noise-free true observations (normalised outputs), means over scenarios.');
  const fit = (g: Group, set: 'calib' | 'valid') => {
    const key = set === 'calib' ? 'calibRmse' : 'validRmse';
    const r2 = set === 'calib' ? 'calibR2' : 'validR2';
    return [
      g.method,
      g.npc,
      formatNumber(finiteMean(g.rows.map((r) => detailOf(r).heads?.[key]))),
      formatNumber(finiteMean(g.rows.map((r) => detailOf(r).conc?.[key]))),
      formatNumber(finiteMean(g.rows.map((r) => r[key]))),
      formatNumber(finiteMean(g.rows.map((r) => r[r2]))),
    ];
  };
  const fitHeaders = (s: string) => ['method', 'NPC', `${s} RMSE heads`, `${s} RMSE conc.`, `${s} RMSE all`, `${s} R² all`];
  out.push(
    ctx.heading(depth + 1, 'Calibration'),
    markdownTable(
      fitHeaders('calib.'),
      gs.map((g) => fit(g, 'calib')),
    ),
  );
  out.push(
    ctx.heading(depth + 1, 'Validation'),
    markdownTable(
      fitHeaders('valid.'),
      gs.map((g) => fit(g, 'valid')),
    ),
  );

  if (rows.some((r) => typeof detailOf(r).fieldRmse === 'number')) {
    const methods = sortMethods(rows.map((r) => r.method));
    const npcRows = [...new Set(gs.map((g) => g.npc))].sort((a, b) => a - b);
    const quantity = rows.map((r) => detailOf(r).fieldQuantity).find(Boolean);
    out.push(ctx.heading(depth, 'Field RMSE (Table 2 style)'));
    out.push(`Mean over scenarios of the RMSE between estimated and true fields${quantity ? ` (${quantity})` : ''}.`);
    out.push(
      markdownTable(
        ['NPC', ...methods],
        npcRows.map((npc) => [
          npc,
          ...methods.map((m) => formatNumber(finiteMean(rows.filter((r) => r.method === m && r.npc === npc).map((r) => detailOf(r).fieldRmse)))),
        ]),
      ),
    );
  }

  const nParams = Math.max(0, ...rows.map((r) => detailOf(r).paramError?.length ?? 0));
  if (nParams > 0) {
    const shown = Math.min(nParams, MAX_BOX_PARAMETERS);
    out.push(ctx.heading(depth, 'Parameter errors (Fig. 9 style)'));
    out.push(
      `Distribution over scenarios of estimate − truth per parameter (normalised [0, 1] units)${shown < nParams ? `, first ${shown} of ${nParams} parameters` : ''}. ` +
        'Boxes: quartiles; whiskers: most extreme values within 1.5 IQR.',
    );
    out.push(
      markdownTable(
        ['method', 'NPC', 'mean |error|', ...Array.from({ length: shown }, (_, k) => `p${k + 1} mean ± std`)],
        gs.map((g) => {
          const errs = g.rows.map((r) => detailOf(r).paramError ?? []);
          return [
            g.method,
            g.npc,
            formatNumber(finiteMean(errs.flat().map(Math.abs))),
            ...Array.from({ length: shown }, (_, k) => formatMeanStd(finiteMean(errs.map((e) => e[k])), finiteSampleStd(errs.map((e) => e[k])), 3)),
          ];
        }),
      ),
    );
    for (const npc of panels) {
      const members = inPanel(npc);
      out.push(
        await ctx.figures.add(
          `inversion-param-errors${tag}-npc${npc}`,
          `Per-parameter error (estimate − truth) over scenarios, NPC = ${npc}.`,
          boxPlot({
            title: `Parameter errors, NPC = ${npc}${variant ? ` (${variant})` : ''}`,
            categories: Array.from({ length: shown }, (_, k) => `p${k + 1}`),
            yLabel: 'estimate − truth',
            xLabel: 'parameter',
            groups: members.map((g) => ({
              name: g.npc === npc ? g.method : `${g.method} (no population)`,
              values: Array.from({ length: shown }, (_, k) => finite(g.rows.map((r) => detailOf(r).paramError?.[k]))),
            })),
          }),
        ),
      );
    }
  }

  out.push(await fieldsFigure(ctx, rows, tag, depth));
  return out.filter(Boolean).join('\n\n');
}

/** Estimated (and, when stored, true) fields of the first scenario that has them: per method at its largest NPC. */
async function fieldsFigure(ctx: ReportContext, rows: Row[], tag: string, depth: number): Promise<string> {
  const withField = rows.filter((r) => detailOf(r).estimatedFieldArtifactId);
  if (!withField.length) return '';
  const scenario = Math.min(...withField.map((r) => r.scenario));
  const mine = withField.filter(
    (r) => r.scenario === scenario && r.repeat === Math.min(...withField.filter((x) => x.scenario === scenario).map((x) => x.repeat)),
  );
  const chosen = sortMethods(mine.map((r) => r.method)).map((m) => mine.filter((r) => r.method === m).sort((a, b) => b.npc - a.npc)[0]);
  const panels: HeatmapPanel[] = [];
  const trueId = chosen.map((r) => detailOf(r).trueFieldArtifactId).find(Boolean);
  const truth = trueId && (await ctx.store.has(trueId)) ? sliceAt(await ctx.store.getTensor(trueId), 0) : null;
  if (truth) panels.push({ title: 'true field', ...truth });
  for (const r of chosen) {
    const id = detailOf(r).estimatedFieldArtifactId!;
    if (!(await ctx.store.has(id))) continue;
    const est = sliceAt(await ctx.store.getTensor(id), 0);
    panels.push({ title: `${r.method} (NPC ${r.npc})`, ...est });
  }
  if (!panels.length) return `Estimated-field artifacts of scenario ${scenario} are not in this artifact store (${ctx.store.location}).`;
  // One colour scale for the truth and every estimate (the truth's range), so colours compare.
  if (truth) {
    const range = finiteRange(truth.values);
    for (const p of panels) p.range = range;
  }
  const out = [ctx.heading(depth, `Estimated fields, scenario ${scenario}`)];
  const quantity = chosen.map((r) => detailOf(r).fieldQuantity).find(Boolean);
  out.push(
    await ctx.figures.add(
      `inversion-fields${tag}-s${scenario}`,
      `${truth ? 'True field and e' : 'E'}stimated fields of scenario ${scenario}, each method at its largest NPC${quantity ? ` (${quantity})` : ''}${truth ? "; one colour scale, the true field's range" : ''}.`,
      heatmap({ title: `Fields, scenario ${scenario}`, panels: panels.slice(0, 6), panelWidth: 280 }),
    ),
  );
  if (truth) {
    const errors: HeatmapPanel[] = panels.slice(1, 6).map((p) => ({
      title: `${p.title} − true`,
      ...sliceDifference({ rows: p.rows, cols: p.cols, values: Float64Array.from(p.values) }, truth),
      diverging: true,
    }));
    const worst = Math.max(...errors.map((e) => Math.max(...finiteRange(e.values).map(Math.abs))));
    for (const e of errors) e.range = [-worst, worst];
    out.push(
      await ctx.figures.add(
        `inversion-field-errors${tag}-s${scenario}`,
        `Error maps (estimate − truth) of scenario ${scenario}.`,
        heatmap({ title: `Field errors, scenario ${scenario}`, panels: errors, panelWidth: 280 }),
      ),
    );
  }
  return out.join('\n\n');
}

async function surrogateSection(ctx: ReportContext, campaign: ReportedCampaign<InversionResults>): Promise<string> {
  const rows = await ctx.database.db
    .select()
    .from(metrics)
    .where(and(eq(metrics.ownerType, 'campaign'), eq(metrics.ownerId, campaign.id), eq(metrics.step, -1), like(metrics.name, 'surrogate_%')));
  const surrogate = campaign.results?.surrogate ?? {};
  const scalars = Object.entries(surrogate).filter(([, v]) => typeof v === 'number' || typeof v === 'string');
  if (!rows.length && !scalars.length) return '';
  const out = [ctx.heading(1, 'Surrogate')];
  if (scalars.length)
    out.push(
      markdownTable(
        ['', ''],
        scalars.map(([k, v]) => [k, typeof v === 'number' ? formatNumber(v) : String(v)]),
        ['l', 'l'],
      ),
    );
  if (rows.length) {
    const splits = ['heads', 'conc', 'all'].filter((s) => rows.some((r) => r.split === s));
    const other = [...new Set(rows.map((r) => r.split))].filter((s) => !splits.includes(s));
    const cols = [...splits, ...other];
    const names = [...new Set(rows.map((r) => r.name))];
    out.push(
      `Surrogate accuracy on the test set (normalised outputs${scalingNote(campaign.results)}):`,
      markdownTable(
        ['metric', ...cols.map((c) => c || '(none)')],
        names.map((n) => [n, ...cols.map((c) => formatNumber(rows.find((r) => r.name === n && r.split === c)?.value))]),
      ),
    );
  }
  return out.join('\n\n');
}

/** How the observations were normalised (results.observationScaling; older campaigns lack it). */
function scalingNote(results: Partial<InversionResults> | null): string {
  const sc = results?.observationScaling;
  if (!sc?.concentrations) return '';
  return `: heads min-max per ${sc.heads ?? 'component'}, concentrations per ${sc.concentrations === 'group' ? 'group (one range over all of them)' : 'component'}`;
}

export const inversionReport: KindReport<InversionResults> = async (ctx, campaign) => {
  const rows = await ctx.database.db.select().from(inversionResults).where(eq(inversionResults.campaignId, campaign.id));
  const spec = (campaign.spec ?? {}) as { case?: string };
  const out: string[] = [];
  const variants = [...new Set(rows.map((r) => r.variant))].sort();
  out.push(
    `Case \`${spec.case ?? 'n/a'}\`: ${new Set(rows.map((r) => r.scenario)).size} scenarios, methods ${sortMethods(rows.map((r) => r.method)).join(', ') || 'n/a'}, ` +
      `NPC ${[...new Set(rows.map((r) => r.npc))].sort((a, b) => a - b).join(', ') || 'n/a'}, ${rows.length} inversion runs.`,
  );
  out.push(await surrogateSection(ctx, campaign));
  if (!rows.length) {
    out.push('No inversion results recorded yet.');
    return out.filter(Boolean).join('\n\n');
  }
  out.push(fitSection(ctx, rows, spec.case, sortMethods(rows.map((r) => r.method)), campaign.results?.decoder));
  for (const v of variants) {
    if (variants.length > 1) out.push(ctx.heading(1, `Variant ${v || '(default)'}`));
    out.push(
      await variantSection(
        ctx,
        rows.filter((r) => r.variant === v),
        variants.length > 1 ? v : '',
        variants.length > 1 ? 2 : 1,
      ),
    );
  }
  return out.filter(Boolean).join('\n\n');
};
