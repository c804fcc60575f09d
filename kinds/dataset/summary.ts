/** Headline of a `dataset` campaign: sizes and split, shapes, and (paired datasets) the 1x-stretch effect. */
import type { HeadlineBuilder } from '../../report/headline.js';
import { emptyHeadline } from '../../report/headline.js';
import { formatCount, formatNumber } from '../../report/number-format.js';
import type { DatasetResults, PairedDatasetResults } from './results.js';

const isPaired = (r: Partial<DatasetResults>): r is Partial<PairedDatasetResults> => 'stretchOverPredictsBiomass' in r || 'shapeX' in r;

export const datasetSummary: HeadlineBuilder<DatasetResults> = (res) => {
  if (!res.datasetId) return emptyHeadline('no dataset recorded yet (the campaign has not finished)');
  const facts = [
    { label: 'dataset', value: res.datasetId },
    { label: 'source', value: String(res.source ?? 'n/a') },
    { label: 'samples', value: formatCount(res.size) },
  ];
  if (isPaired(res)) {
    const s = res.split;
    if (s) facts.push({ label: 'split (train/val/test)', value: `${s.train}/${s.val}/${s.test}` });
    if (res.shapeX && res.shapeY) facts.push({ label: 'shape 1x → 10x (t×y×x)', value: `${res.shapeX.join('×')} → ${res.shapeY.join('×')}` });
    if (res.variables) facts.push({ label: 'variables', value: res.variables.join(', ') });
    const st = res.stretchOverPredictsBiomass;
    if (st) facts.push({ label: '1x stretch over-predicts mean biomass', value: `${st.scenarios} of ${st.of} scenarios` });
    if (typeof res.maxMassBalanceError === 'number') facts.push({ label: 'max mass-balance error', value: formatNumber(res.maxMassBalanceError) });
  } else {
    const c = res;
    if (c.split) facts.push({ label: 'split (train/test)', value: `${c.split.train}/${c.split.test}` });
    facts.push({ label: 'parameters', value: formatCount(c.parameters) }, { label: 'observations', value: formatCount(c.observations) });
    if (c.fieldShape) facts.push({ label: 'field shape', value: c.fieldShape.join('×') });
  }
  return { facts, tables: [], notes: [] };
};
