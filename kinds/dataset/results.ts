/** `campaigns.results` of a `dataset` campaign: written by handler.ts's finalize, read by report.ts. */
import type { Scenario } from '../../physics/bioremediation/parameters.js';
import type { CaseMeta } from './store.js';

/** Paired bioremediation (simulated or PFLOTRAN-imported) datasets. */
export interface PairedDatasetResults {
  datasetId: string;
  source: 'bioremediation' | 'pflotran';
  pairing: string;
  preset: string | null;
  size: number;
  split: { train: number; val: number; test: number };
  shapeX: [number, number, number];
  shapeY: [number, number, number];
  variables: string[];
  /** The paper's effect: the 1x domain mean biomass exceeds the true 10x one (stretching over-predicts). */
  stretchOverPredictsBiomass: { scenarios: number; of: number };
  maxMassBalanceError: number;
}

/** Groundwater-case samples (parameters, observations, fields) for inversion. */
export interface CaseDatasetResults {
  datasetId: string;
  source: string;
  size: number;
  split: { train: number; test: number };
  parameters: number;
  observations: number;
  fieldShape: [number, number] | null;
  artifacts: CaseMeta['stacked'];
}

export type DatasetResults = PairedDatasetResults | CaseDatasetResults;

export interface PflotranRunParams {
  file: string;
}

export interface CaseRunParams {
  stream: 'train' | 'test';
  index: number;
}

/** Parameters of one run; which one the source type says: a bioremediation scenario, a PFLOTRAN file pair, a case sample. */
export type DatasetRunParams = Scenario | PflotranRunParams | CaseRunParams;
