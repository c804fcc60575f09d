/** Headline of an `upscale` campaign: validation against real 10x simulations (R², RMSE), speed-up, exceedance probabilities. */
import type { Headline, HeadlineBuilder } from '../../report/headline.js';
import { emptyHeadline } from '../../report/headline.js';
import { formatCount, formatNumber, formatPercent, formatSeconds } from '../../report/number-format.js';
import type { UpscaleResults } from './results.js';

/**
 * What a preset's results can and cannot show, printed with every upscale headline on that preset.
 * The `small` preset's 10x biomass is near zero (mean about 0.07 mol/m³ against the STAMNet paper's
 * 58), so its validation R² says little about the paper's accuracy; physics/README.md has the numbers.
 */
const PRESET_CAVEATS: Record<string, string> = {
  small:
    "small preset: this run shows the workflow (fan-out, validation against real 10x runs, speed-up), not the paper's accuracy; " +
    "its 10x biomass is near zero (mean ~0.07 mol/m³, paper 58), so biomass R² stays low. For the paper's regime use the medium preset (examples/dataset-medium.yaml).",
};

export const upscaleSummary: HeadlineBuilder<UpscaleResults> = (res) => {
  if (!res.validation && !res.distributions) return emptyHeadline('no results yet (the campaign has not finished)');
  const out: Headline = {
    facts: [{ label: 'scenarios', value: formatCount(res.scenarios) }, ...(res.arch ? [{ label: 'model', value: res.arch }] : [])],
    tables: [],
    notes: [],
  };
  if (res.speedup) {
    out.facts.push({
      label: 'speed-up vs 10x',
      value: `${formatNumber(res.speedup.ratio, 3)}x (${formatSeconds(res.speedup.pipelineSeconds)} vs ${formatSeconds(res.speedup.simulate10xSeconds)})`,
    });
    if (Number.isFinite(res.speedup.inferenceOnlyRatio)) {
      out.facts.push({ label: 'speed-up, inference alone vs 10x', value: `${formatNumber(res.speedup.inferenceOnlyRatio, 3)}x` });
    }
  }
  const vars = Object.entries(res.validation?.variables ?? {});
  if (vars.length) {
    out.tables.push({
      id: 'validation',
      title: `Validation against ${res.validation?.scenarios ?? ''} real 10x simulations`.replace('  ', ' '),
      headers: ['variable', 'R²', 'RMSE', 'MAE'],
      rows: vars.map(([v, m]) => [v, formatNumber(m.r2_whole), formatNumber(m.rmse), formatNumber(m.mae)]),
    });
  }
  const exc = Object.entries(res.distributions ?? {}).filter(([, d]) => d.exceedance);
  if (exc.length) {
    out.tables.push({
      id: 'exceedance',
      title: 'Exceedance probabilities',
      headers: ['quantity', 'threshold', 'P(> threshold)', 'p50', 'p95'],
      rows: exc.map(([q, d]) => [
        q,
        formatNumber(d.exceedance!.threshold),
        formatPercent(d.exceedance!.probability),
        formatNumber(d.quantiles?.p50),
        formatNumber(d.quantiles?.p95),
      ]),
    });
  }
  for (const [q, s] of Object.entries(res.validation?.quantities ?? {})) if (s.warning) out.notes.push(`${q}: ${s.warning}`);
  const caveat = res.preset ? PRESET_CAVEATS[res.preset] : undefined;
  if (caveat) out.notes.push(caveat);
  if (res.failedRuns) out.notes.push(`${res.failedRuns} runs failed`);
  return out;
};
