/**
 * The only registration point of campaign kinds. Adding a kind = a folder kinds/<name>/ (spec,
 * handler, tasks, results, report, summary and a kind.ts that puts them together with
 * `defineKind`) and its entry in KINDS below. The spec union (kinds/campaign-spec.ts), the
 * activities' handler lookup, the headlines (`plume run`/`status`/`list`, the dashboard) and the
 * report are all built from this list.
 *
 * An entry holds the kind's light parts (spec schema, headline builder) and loads the rest (handler,
 * compute tasks, report; TensorFlow for some) on first use, so `plume status` and `plume list`
 * stay fast.
 */
import type { z } from 'zod';
import type { ArtifactStore } from '../artifacts/store.js';
import type { Database } from '../db/client.js';
import type { BoundKindHandler, KindDefinition } from '../engine/kind.js';
import { pipelineSummary } from '../pipeline/summary.js';
import { emptyHeadline, type Headline, type HeadlineBuilder } from '../report/headline.js';
import type { CampaignReport, CampaignRow } from '../report/report-context.js';
import type { WrittenReport } from '../report/write-report.js';
import { datasetSpec } from './dataset/spec.js';
import { datasetSummary } from './dataset/summary.js';
import { inversionSpec } from './inversion/spec.js';
import { inversionSummary } from './inversion/summary.js';
import { sensitivitySpec } from './sensitivity/spec.js';
import { sensitivitySummary } from './sensitivity/summary.js';
import { surrogatesSpec } from './surrogates/spec.js';
import { surrogatesSummary } from './surrogates/summary.js';
import { trainSpec } from './train/spec.js';
import { trainSummary } from './train/summary.js';
import { upscaleSpec } from './upscale/spec.js';
import { upscaleSummary } from './upscale/summary.js';

type KindSpec = z.ZodObject<{ kind: z.ZodLiteral<string> }>;

/** A registered kind: its spec and headline now, its handler, tasks and report on demand. */
export interface KindEntry<Z extends KindSpec = KindSpec> {
  kind: z.output<Z>['kind'];
  spec: Z;
  summary: HeadlineBuilder<never>;
  load(): Promise<Pick<KindDefinition<Z, object, object>, 'kind' | 'bind' | 'renderReport'>>;
}

/** One entry; the compiler checks that the loaded kind reads this spec and that the headline reads its results. */
function entry<Z extends KindSpec, P extends object, R extends object>(parts: {
  spec: Z;
  summary: HeadlineBuilder<R>;
  load: () => Promise<KindDefinition<Z, P, R>>;
}): KindEntry<Z> {
  return { kind: parts.spec.shape.kind.value, ...parts };
}

export const KINDS = [
  entry({ spec: sensitivitySpec, summary: sensitivitySummary, load: async () => (await import('./sensitivity/kind.js')).sensitivityKind }),
  entry({ spec: datasetSpec, summary: datasetSummary, load: async () => (await import('./dataset/kind.js')).datasetKind }),
  entry({ spec: trainSpec, summary: trainSummary, load: async () => (await import('./train/kind.js')).trainKind }),
  entry({ spec: upscaleSpec, summary: upscaleSummary, load: async () => (await import('./upscale/kind.js')).upscaleKind }),
  entry({ spec: inversionSpec, summary: inversionSummary, load: async () => (await import('./inversion/kind.js')).inversionKind }),
  entry({ spec: surrogatesSpec, summary: surrogatesSummary, load: async () => (await import('./surrogates/kind.js')).surrogatesKind }),
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
