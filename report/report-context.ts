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
  /** The report body of each campaign kind (pipeline reports recurse into their stages with it). */
  reportFor: ReportLookup;
  /** Markdown heading for a section at relative depth 1 (`##` at top level, `###` inside a pipeline stage). */
  heading(depth: number, text: string): string;
}

/**
 * A campaign row with its `results` typed as the kind's results type `R` (partial: a campaign
 * that has not finished, failed, or was summarised by an older version lacks fields).
 */
export type ReportedCampaign<R> = Omit<CampaignRow, 'results'> & { results: Partial<R> | null };

/** A kind's report body (everything below the campaign header). */
export type KindReport<R> = (ctx: ReportContext, campaign: ReportedCampaign<R>) => Promise<string>;

/** The report body of a campaign row of any kind. */
export type CampaignReport = (ctx: ReportContext, campaign: CampaignRow) => Promise<string>;

/** The report body of any campaign kind, looked up by the caller (kinds/index.ts knows the kinds). */
export type ReportLookup = (kind: string) => CampaignReport;
