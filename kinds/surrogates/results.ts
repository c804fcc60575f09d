/** `campaigns.results` of a `surrogates` campaign: written by handler.ts's finalize, read by report.ts. */
import type { SurrogateArchName } from './spec.js';

/** Output groups scored (as in the paper's Table 1): heads, concentrations, all outputs. */
export const SCORE_GROUPS = ['heads', 'conc', 'all'] as const;

/** Mean, sample std (0 below two values) and count over repeats. */
export interface Stat {
  mean: number;
  std: number;
  n: number;
}

/** One trained model's scores, as a row of the results (one per run). */
export interface ScoredModel {
  modelId: string;
  arch: string;
  trainSize: number;
  repeat: number;
  /** `${group}.rmse` / `${group}.r2` for heads, conc, all. */
  scores: Record<string, number>;
  trainSeconds: number;
  paramsCount: number;
  backend: string;
}

/** table[arch][trainSize][`${group}.${metric}` | 'train_seconds' | 'params_count'] over repeats. */
export type SizeTable = Record<string, Record<string, Record<string, Stat>>>;

export interface SurrogatesResults {
  datasetId: string;
  case: string;
  /** Training pool size and test set size of the dataset. */
  poolSize: number;
  testSamples: number;
  architectures: SurrogateArchName[];
  trainSizes: number[];
  repeats: number;
  subsets: string;
  observationScaling: { heads: string; concentrations: string };
  models: ScoredModel[];
  failedRuns: number;
  backends: string[];
  table: SizeTable;
  /** Architectures by mean RMSE of all outputs at each size (best first). */
  ranking: Record<string, string[]>;
}

/** Parameters of one run: an (architecture, training size, repeat) training. */
export interface SurrogatesRunParams {
  datasetId: string;
  arch: SurrogateArchName;
  trainSize: number;
  repeat: number;
  seed: number;
}
