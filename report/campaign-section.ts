/** One campaign's report section: header (at heading `level`) plus its kind's body. */
import { campaignHeader } from './campaign-header.js';
import type { CampaignRow, ReportContext } from './report-context.js';

export async function campaignSection(ctx: Omit<ReportContext, 'heading' | 'level'>, campaign: CampaignRow, level: number, title?: string): Promise<string> {
  const sub: ReportContext = { ...ctx, level, heading: (depth, text) => `${'#'.repeat(Math.min(6, level + depth))} ${text}` };
  const body = await ctx.reportFor(campaign.kind)(sub, campaign);
  return `${campaignHeader(campaign, level, title)}\n\n${body}`;
}
