/**
 * `pipeline` report: the stage campaigns (rows whose `parent_id` is the pipeline's id) in creation
 * order, each as a full section reusing its kind's report, figures prefixed by stage number.
 */
import { asc, eq } from 'drizzle-orm';
import { campaigns } from '../db/schema.js';
import { campaignSection } from '../report/campaign-section.js';
import { markdownTable } from '../report/markdown-table.js';
import type { CampaignReport } from '../report/report-context.js';

export const pipelineReport: CampaignReport = async (ctx, campaign) => {
  const stages = await ctx.database.db.select().from(campaigns).where(eq(campaigns.parentId, campaign.id)).orderBy(asc(campaigns.createdAt), asc(campaigns.id));
  const out = [ctx.heading(1, 'Stages')];
  if (!stages.length) {
    out.push('No stage campaigns recorded yet.');
    return out.join('\n\n');
  }
  out.push(
    markdownTable(
      ['stage', 'kind', 'name', 'id', 'status', 'runs (completed / total)'],
      stages.map((s, k) => [k + 1, s.kind, s.name, `\`${s.id}\``, s.status, `${s.completedRuns} / ${s.totalRuns}`]),
    ),
  );
  for (const [k, s] of stages.entries()) {
    out.push(
      await campaignSection(
        { database: ctx.database, store: ctx.store, reportFor: ctx.reportFor, figures: ctx.figures.child(`stage${k + 1}-`) },
        s,
        ctx.level + 1,
        `Stage ${k + 1}: ${s.name} (${s.kind})`,
      ),
    );
  }
  return out.join('\n\n');
};
