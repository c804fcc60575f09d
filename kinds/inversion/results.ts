/** `campaigns.results` of an `inversion` campaign: written by handler.ts's finalize, read by report.ts. */
import type { InversionMethod } from './spec.js';
import type { summariseRows } from './method-table.js';

interface SurrogateSummary {
  modelId: string | null;
  arch: string;
  artifactId: string | null;
  paramsCount: number | null;
  trainSeconds: number | null;
  hyperparams: unknown;
  /** Test-set metrics by split (heads, conc, all) and name. */
  test: Record<string, Record<string, number>>;
}

export type InversionResults = {
  datasetId: string;
  case: string;
  scenarios: number;
  iterations: number;
  tnnaEpochs: number;
  noise: number[];
  objective: string;
  variants: string[];
  observationScaling: { heads: string; concentrations: string };
  runs: number;
  surrogate: SurrogateSummary;
  /** Case 3: the trained decoder (model row and its metrics `${name}_${split}`). */
  decoder?: Record<string, unknown>;
} & ReturnType<typeof summariseRows>;

/** Parameters of one run: (scenario, method, NPC, repeat, variant). */
export interface InversionRunParams {
  datasetId: string;
  scenario: number;
  testIndex: number;
  method: InversionMethod;
  npc: number;
  repeat: number;
  variant: string;
  variantIndex: number;
}
