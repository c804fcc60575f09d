/**
 * Headline of a `pipeline` campaign: its stage campaigns (rows whose `parent_id` is the pipeline's
 * id, in creation order) as `stage k/n kind` links, each with its own kind's headline.
 */
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { campaigns } from '../db/schema.js';
import type { Headline } from '../report/headline.js';
import type { CampaignRow } from '../report/report-context.js';

/** How many stages the pipeline spec declares (0 when unknown). */
export function declaredStages(spec: unknown): number {
  const stages = (spec as { stages?: unknown[] } | null)?.stages;
  return Array.isArray(stages) ? stages.length : 0;
}

export async function pipelineSummary(database: Database, campaign: CampaignRow, headlineOf: (row: CampaignRow) => Headline): Promise<Headline> {
  const stages = await database.db.select().from(campaigns).where(eq(campaigns.parentId, campaign.id)).orderBy(asc(campaigns.createdAt), asc(campaigns.id));
  const n = Math.max(declaredStages(campaign.spec), stages.length);
  return {
    facts: [{ label: 'stages', value: `${stages.filter((s) => s.status === 'completed').length}/${n} completed` }],
    tables: [],
    notes: stages.length ? [] : ['no stage campaign started yet'],
    stages: stages.map((s, k) => ({
      label: `stage ${k + 1}/${n} ${s.kind} "${s.name}"`,
      campaignId: s.id,
      kind: s.kind,
      status: s.status,
      headline: headlineOf(s),
    })),
  };
}
