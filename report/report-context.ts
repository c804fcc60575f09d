/** What every per-kind report section gets: the database, the artifact store, a figure writer, heading depth. */
import type { ArtifactStore } from '../artifacts/store.js';
import type { Database } from '../db/client.js';
import type { campaigns } from '../db/schema.js';
import type { FigureWriter } from './figure-writer.js';

export type CampaignRow = typeof campaigns.$inferSelect;

export interface ReportContext {
  database: Database;
  store: ArtifactStore;
  figures: FigureWriter;
  /** Heading level of this campaign's title (1 = `#`). */
  level: number;
  /** Markdown heading for a section at relative depth 1 (`##` at top level, `###` inside a pipeline stage). */
  heading(depth: number, text: string): string;
}

/** A kind's report body (everything below the campaign header). */
export type KindReport = (ctx: ReportContext, campaign: CampaignRow) => Promise<string>;
