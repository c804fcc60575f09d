/**
 * The only registration point of campaign kinds. Adding a kind = a folder kinds/<name>/ (spec,
 * handler, tasks, results, report, summary and a kind.ts that puts them together with
 * `defineKind`, and an entry.ts that registers it) and one line in KINDS below. The spec union (kinds/campaign-spec.ts), the
 * activities' handler lookup, the headlines (`plume run`/`status`/`list`, the dashboard) and the
 * report are all built from this list.
 *
 * An entry holds the kind's light parts (spec schema, headline builder) and loads the rest (handler,
 * compute tasks, report; TensorFlow for some) on first use, so `plume status` and `plume list`
 * stay fast.
 */
import type { ArtifactStore } from '../artifacts/store.js';
import type { Database } from '../db/client.js';
import type { BoundKindHandler } from '../engine/kind.js';
import type { KindEntry } from './kind-entry.js';
import { pipelineSummary } from '../pipeline/summary.js';
import { emptyHeadline, type Headline } from '../report/headline.js';
import type { CampaignReport, CampaignRow } from '../report/report-context.js';
import type { WrittenReport } from '../report/write-report.js';

export const KINDS = [
  (await import('./sensitivity/entry.js')).kindEntry,
  (await import('./dataset/entry.js')).kindEntry,
  (await import('./train/entry.js')).kindEntry,
  (await import('./upscale/entry.js')).kindEntry,
  (await import('./inversion/entry.js')).kindEntry,
  (await import('./surrogates/entry.js')).kindEntry,
] as const;

export type KindName = (typeof KINDS)[number]['kind'];

function kindOf(kind: string): KindEntry | undefined {
  return KINDS.find((k) => k.kind === kind);
}

/** The handler of a parsed spec's kind, bound to that spec (loads the kind's handler module). */
export async function boundHandler(spec: { kind: string }): Promise<BoundKindHandler> {
  const k = kindOf(spec.kind);
  if (!k) throw new Error(`no handler for campaign kind '${spec.kind}'`);
  return (await k.load()).bind(spec);
}

/** The headline of a campaign that is not a pipeline (from its `results` alone). */
export function kindHeadline(row: Pick<CampaignRow, 'kind' | 'results' | 'spec'>): Headline {
  const build = kindOf(row.kind)?.summary;
  if (!build) return emptyHeadline(`no headline for kind '${row.kind}'`);
  const results = (row.results ?? {}) as never;
  try {
    return build(results, row.spec);
  } catch (e) {
    return emptyHeadline(`results could not be summarised: ${(e as Error).message}`);
  }
}

/**
 * The headline of any campaign: what `plume run`/`plume status`, the dashboard and the report show
 * first. Pipelines list their stages with each stage's own headline.
 */
export async function campaignHeadline(database: Database, row: CampaignRow): Promise<Headline> {
  if (row.kind === 'pipeline') return pipelineSummary(database, row, kindHeadline);
  return kindHeadline(row);
}

const genericReport: CampaignReport = (ctx, campaign) =>
  Promise.resolve(
    [
      ctx.heading(1, 'Results'),
      `No dedicated report for kind \`${campaign.kind}\`; its summary (\`campaigns.results\`):`,
      `\`\`\`json\n${JSON.stringify(campaign.results ?? null, null, 2)}\n\`\`\``,
    ].join('\n\n'),
  );

/** Report body of a campaign kind (pipelines: their stages); unknown kinds get their results as JSON. */
export function reportFor(kind: string): CampaignReport {
  if (kind === 'pipeline') return async (ctx, campaign) => (await import('../pipeline/report.js')).pipelineReport(ctx, campaign);
  const k = kindOf(kind);
  // The same headline facts `plume run` and the dashboard show (kinds/<kind>/summary.ts) open the body.
  return async (ctx, campaign) => {
    const body = k ? (await k.load()).renderReport : genericReport;
    const facts = kindHeadline(campaign).facts;
    const lead = facts.length ? `**Headline:** ${facts.map((f) => `${f.label} ${f.value}`).join(' · ')}\n\n` : '';
    return `${lead}${await body(ctx, campaign)}`;
  };
}

/** `plume report`: one campaign's Markdown report with figures, each kind's body from its kinds/<kind>/report.ts. */
export async function writeCampaignReport(database: Database, store: ArtifactStore, campaignId: string, outDir: string): Promise<WrittenReport> {
  const { writeReport } = await import('../report/write-report.js');
  return writeReport(database, store, campaignId, outDir, reportFor);
}
