/** `campaigns.results` of a `sensitivity` campaign: written by handler.ts's finalize, read by report.ts. */
type IndexTable = Record<string, number>;

export interface SensitivityResults {
  /** The analysed model's name and the bootstrap behind the confidence half-widths. */
  model: string;
  bootstrap: { resamples: number; confidence: number };
  parameters: string[];
  evaluations: number;
  baseSamples: number;
  indices: { S1: IndexTable; ST: IndexTable; S1_conf: IndexTable; ST_conf: IndexTable };
  /** Exact indices, for models that have them (analytic test functions). */
  analytic?: { S1: IndexTable; ST: IndexTable };
}

/** Parameters of one run: a point of the unit cube. */
export interface SensitivityRunParams {
  u: number[];
}
