/**
 * Each kind's headline builder (kinds/<kind>/summary.ts) by kind name, and a campaign's headline:
 * what `plume run`/`plume status`, the dashboard and the report show first. Light on purpose (no
 * handler, no TensorFlow), so `plume status` and `plume list` load fast.
 */
import type { Database } from '../db/client.js';
import { pipelineSummary } from '../pipeline/summary.js';
import { emptyHeadline, type Headline, type HeadlineBuilder } from '../report/headline.js';
import type { CampaignRow } from '../report/report-context.js';
import { datasetSummary } from './dataset/summary.js';
import { inversionSummary } from './inversion/summary.js';
import { sensitivitySummary } from './sensitivity/summary.js';
import { surrogatesSummary } from './surrogates/summary.js';
import { trainSummary } from './train/summary.js';
import { upscaleSummary } from './upscale/summary.js';

const BUILDERS: Record<string, HeadlineBuilder<never>> = {
  sensitivity: sensitivitySummary,
  dataset: datasetSummary,
  train: trainSummary,
  upscale: upscaleSummary,
  inversion: inversionSummary,
  surrogates: surrogatesSummary,
};

/** The headline of a campaign that is not a pipeline (from its `results` alone). */
export function kindHeadline(row: Pick<CampaignRow, 'kind' | 'results' | 'spec'>): Headline {
  const build = BUILDERS[row.kind];
  if (!build) return emptyHeadline(`no headline for kind '${row.kind}'`);
  const results = (row.results ?? {}) as never;
  try {
    return build(results, row.spec);
  } catch (e) {
    return emptyHeadline(`results could not be summarised: ${(e as Error).message}`);
  }
}

/** The headline of any campaign; pipelines list their stages with each stage's own headline. */
export async function campaignHeadline(database: Database, row: CampaignRow): Promise<Headline> {
  if (row.kind === 'pipeline') return pipelineSummary(database, row, kindHeadline);
  return kindHeadline(row);
}
