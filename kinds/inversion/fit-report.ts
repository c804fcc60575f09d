/**
 * `inversion` report section: the paper's calibration / prediction metrics (RMSE_all and R², mean ±
 * std over scenarios) per variant (case 3: noise level) × method × NPC, the paper's values beside
 * them, and the decoder's reconstruction accuracy on held-out fields (case 3).
 */
import { markdownTable } from '../../report/markdown-table.js';
import { formatMeanStd, formatNumber } from '../../report/number-format.js';
import type { ReportContext } from '../../report/report-context.js';
import { fitGroups, PAPER_FIT, type FitRun, type PaperFit } from './fit-table.js';

const paperCell = (p: PaperFit | undefined, rmse: 'calibRmse' | 'predRmse', r2: 'calibR2' | 'predR2'): string => {
  if (!p || p[rmse] === undefined) return '';
  return p[r2] === undefined ? formatNumber(p[rmse]) : `${formatNumber(p[rmse])} / ${formatNumber(p[r2])}`;
};

/** The paper's values are at 1 % noise: shown on variants without a noise label or labelled sigma=0.01. */
const atPaperNoise = (variant: string): boolean => {
  const m = /sigma=([0-9.e-]+)/.exec(variant);
  return !m || Number(m[1]) === 0.01;
};

export function fitSection(
  ctx: ReportContext,
  runs: readonly FitRun[],
  caseName: string | undefined,
  methodOrder: readonly string[],
  decoder: Record<string, unknown> | undefined,
): string {
  const variants = [...new Set(runs.map((r) => r.variant))].sort();
  const groups = fitGroups(runs, variants, methodOrder);
  if (!groups.length) return '';
  const paper = caseName ? PAPER_FIT[caseName] : undefined;
  const out = [ctx.heading(1, "Calibration and prediction (the paper's RMSE_all and R²)")];
  out.push(
    'Forward model run at each estimate, scored against the noise-free true observations (normalised outputs) on the ' +
      'calibration entries and on the prediction entries (later times / other points); mean ± sample std over scenarios.' +
      (paper ? ' Paper: its reported values (RMSE / R², 1 % noise), blank where it gives none.' : ''),
  );
  out.push(
    markdownTable(
      ['variant', 'method', 'NPC', 'n', 'calib. RMSE_all', 'calib. R²', 'pred. RMSE_all', 'pred. R²', ...(paper ? ['paper calib.', 'paper pred.'] : [])],
      groups.map((g) => [
        g.variant || '(default)',
        g.method,
        g.npc,
        g.n,
        formatMeanStd(g.calibRmse.mean, g.calibRmse.std, 3),
        formatMeanStd(g.calibR2.mean, g.calibR2.std, 3),
        formatMeanStd(g.predRmse.mean, g.predRmse.std, 3),
        formatMeanStd(g.predR2.mean, g.predR2.std, 3),
        ...(paper
          ? [
              paperCell(atPaperNoise(g.variant) ? paper[g.method] : undefined, 'calibRmse', 'calibR2'),
              paperCell(atPaperNoise(g.variant) ? paper[g.method] : undefined, 'predRmse', 'predR2'),
            ]
          : []),
      ]),
    ),
  );
  const acc = decoder?.reconstruction_accuracy_test;
  if (typeof acc === 'number')
    out.push(
      `Decoder reconstruction on held-out fields (test set, never seen in training): facies accuracy ${formatNumber(acc, 3)}` +
        (typeof decoder?.reconstruction_accuracy_train === 'number' ? ` (training fields ${formatNumber(decoder.reconstruction_accuracy_train, 3)})` : '') +
        '.',
    );
  return out.join('\n\n');
}
