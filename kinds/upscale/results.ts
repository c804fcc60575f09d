/** `campaigns.results` of an `upscale` campaign: written by handler.ts's finalize, read by report.ts. */
import type { Scenario } from '../../physics/bioremediation/parameters.js';

export const QUANTILES = ['p05', 'p25', 'p50', 'p75', 'p95'] as const;

/** Monte-Carlo distribution of one derived quantity (only `n` and `note` when no scenario has it). */
export interface DistributionSummary {
  n: number;
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
  quantiles?: Record<(typeof QUANTILES)[number], number>;
  histogram?: { edges: number[]; counts: number[] };
  exceedance?: { threshold: number; probability: number };
  note?: string;
}

interface QuantityValidation {
  n: number;
  mae: number;
  truthMean: number;
  predictedMean: number;
  /** Set when the error exceeds the mean true value (see handler.ts quantityValidationWarning). */
  warning?: string;
}

export interface UpscaleValidation {
  scenarios: number;
  runIndices: number[];
  /** Field metrics per variable against the real 10x simulations: mse, mae, rmse, r2_whole, r2_mean_series_median. */
  variables: Record<string, Record<string, number>>;
  quantities: Record<string, QuantityValidation>;
}

export interface UpscaleResults {
  modelIds: string[];
  arch: string;
  datasetId: string;
  preset: string;
  scenarios: number;
  failedRuns: number;
  backends: string[];
  queue: string | null;
  routing: string | null;
  distributions: Record<string, DistributionSummary>;
  validation: UpscaleValidation;
  throughput: { upscaleInferenceSamplesPerSecond: number; inferenceMsPerScenario: number; simulate1xMsPerScenario: number };
  speedup: {
    simulate10xMsPerScenario: number;
    simulate10xSource: string;
    simulate10xSeconds: number;
    pipelineSeconds: number;
    ratio: number;
    inferenceOnlyRatio: number;
  };
}

/** Parameters of one run: a bioremediation scenario. */
export type UpscaleRunParams = Scenario;
