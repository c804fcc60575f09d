/** `campaigns.results` of a `train` campaign: written by handler.ts's finalize, read by report.ts. */
import type { TrainArch } from './spec.js';

/** Mean and sample std over repeated trainings, and how many there were. */
export interface Stat {
  mean: number;
  std: number;
  n: number;
}

/** table[variable][arch][key]: key = metric name for split 'test', `${split}.${name}` otherwise. */
export type MetricTable = Record<string, Record<string, Record<string, Stat>>>;

/** pValues[variable][metricKey][`${a} vs ${b}`]: Welch t-test p-value between two architectures. */
export type PValues = Record<string, Record<string, Record<string, number | null>>>;

interface ArchSpeedup {
  inferenceMsPerSample: number;
  /** The model alone vs the 10x simulation (the paper's headline). */
  inferenceOnly: number;
  /** The 1x simulation plus the model vs the 10x simulation. */
  withSimulate1x: number;
}

export interface TrainSpeedup {
  simulate10xMsPerSample: number;
  simulate1xMsPerSample: number;
  datasetRuns: number;
  /** By `${variable}:${arch}`. */
  architectures: Record<string, ArchSpeedup>;
}

export interface TrainResults {
  datasetId: string;
  variables: string[];
  architectures: string[];
  repeats: number;
  models: number;
  failedRuns: number;
  backends: string[];
  queue: string | null;
  routing: string | null;
  table: MetricTable;
  pValues: PValues;
  beatsInterpolation: Record<string, Record<string, { mse: boolean; r2_whole: boolean }>>;
  speedup: TrainSpeedup;
}

export interface TrainRunParams {
  arch: TrainArch;
  variable: string;
  repeat: number;
  datasetId: string;
  seed: number;
}
