/**
 * The only registration point of campaign kinds. Adding a kind = a folder kinds/<name>/ (spec,
 * handler, tasks, results, report and a kind.ts that puts them together with `defineKind`) and
 * its line here. The spec union (kinds/campaign-spec.ts), the activities' handler lookup and the
 * report are all built from this list.
 */
import { pipelineReport } from '../pipeline/report.js';
import type { ArtifactStore } from '../artifacts/store.js';
import type { Database } from '../db/client.js';
import type { BoundKindHandler } from '../engine/kind.js';
import type { CampaignReport } from '../report/report-context.js';
import { writeReport, type WrittenReport } from '../report/write-report.js';
import { datasetKind } from './dataset/kind.js';
import { inversionKind } from './inversion/kind.js';
import { sensitivityKind } from './sensitivity/kind.js';
import { kindHeadline } from './summaries.js';
import { surrogatesKind } from './surrogates/kind.js';
import { trainKind } from './train/kind.js';
import { upscaleKind } from './upscale/kind.js';

export const KINDS = [sensitivityKind, datasetKind, trainKind, upscaleKind, inversionKind, surrogatesKind] as const;

export type KindName = (typeof KINDS)[number]['kind'];

function kindOf(kind: string): (typeof KINDS)[number] | undefined {
  return KINDS.find((k) => k.kind === kind);
}

/** The handler of a parsed spec's kind, bound to that spec. */
export function boundHandler(spec: { kind: string }): BoundKindHandler {
  const k = kindOf(spec.kind);
  if (!k) throw new Error(`no handler for campaign kind '${spec.kind}'`);
  return k.bind(spec);
}

const genericReport: CampaignReport = async (ctx, campaign) =>
  [
    ctx.heading(1, 'Results'),
    `No dedicated report for kind \`${campaign.kind}\`; its summary (\`campaigns.results\`):`,
    `\`\`\`json\n${JSON.stringify(campaign.results ?? null, null, 2)}\n\`\`\``,
  ].join('\n\n');

/** Report body of a campaign kind (pipelines: their stages); unknown kinds get their results as JSON. */
export function reportFor(kind: string): CampaignReport {
  if (kind === 'pipeline') return pipelineReport;
  const body = kindOf(kind)?.renderReport ?? genericReport;
  // The same headline facts `plume run` and the dashboard show (kinds/<kind>/summary.ts) open the body.
  return async (ctx, campaign) => {
    const facts = kindHeadline(campaign).facts;
    const lead = facts.length ? `**Headline:** ${facts.map((f) => `${f.label} ${f.value}`).join(' · ')}\n\n` : '';
    return `${lead}${await body(ctx, campaign)}`;
  };
}

/** `plume report`: one campaign's Markdown report with figures, each kind's body from its kinds/<kind>/report.ts. */
export function writeCampaignReport(database: Database, store: ArtifactStore, campaignId: string, outDir: string): Promise<WrittenReport> {
  return writeReport(database, store, campaignId, outDir, reportFor);
}
