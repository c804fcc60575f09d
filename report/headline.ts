/**
 * A campaign's headline results: the few numbers a person looks at first (a Sobol table, dataset
 * counts, the train Table 3, upscale validation and speed-up, the inversion method × NPC table).
 * Each kind builds one in kinds/<kind>/summary.ts from its `campaigns.results`; the CLI prints it
 * as text (cli/campaign-summary.ts), the dashboard shows it as HTML tables and the report puts its
 * facts under the campaign header. Cells are preformatted strings so every surface shows the same
 * digits.
 */
interface HeadlineFact {
  label: string;
  value: string;
}

export interface HeadlineTable {
  /** Stable id (the dashboard uses it as an element id: `headline-<id>`). */
  id: string;
  title: string;
  headers: string[];
  rows: string[][];
}

/** A link to another campaign (a pipeline's stages). */
interface HeadlineLink {
  label: string;
  campaignId: string;
  kind: string;
  status: string;
  /** The linked campaign's own headline, when it has results. */
  headline?: Headline;
}

export interface Headline {
  facts: HeadlineFact[];
  tables: HeadlineTable[];
  /** Sentences that qualify the numbers (e.g. warnings recorded by the handler). */
  notes: string[];
  stages?: HeadlineLink[];
}

export const emptyHeadline = (note?: string): Headline => ({ facts: [], tables: [], notes: note ? [note] : [] });

/** A kind's headline builder: its results (partial: unfinished or older campaigns lack fields) and spec. */
export type HeadlineBuilder<R> = (results: Partial<R>, spec: unknown) => Headline;
