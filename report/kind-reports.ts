/** Which report body each campaign kind gets; unknown kinds get their `results` as JSON. */
import { datasetReport } from '../kinds/dataset/report.js';
import { inversionReport } from '../kinds/inversion/report.js';
import { pipelineReport } from '../pipeline/report.js';
import { sensitivityReport } from '../kinds/sensitivity/report.js';
import { trainReport } from '../kinds/train/report.js';
import { upscaleReport } from '../kinds/upscale/report.js';
import type { KindReport } from './report-context.js';

const REPORTS: Record<string, KindReport> = {
  sensitivity: sensitivityReport,
  dataset: datasetReport,
  train: trainReport,
  upscale: upscaleReport,
  inversion: inversionReport,
  pipeline: pipelineReport,
};

const genericReport: KindReport = async (ctx, campaign) =>
  [
    ctx.heading(1, 'Results'),
    `No dedicated report for kind \`${campaign.kind}\`; its summary (\`campaigns.results\`):`,
    `\`\`\`json\n${JSON.stringify(campaign.results ?? null, null, 2)}\n\`\`\``,
  ].join('\n\n');

export function kindReport(kind: string): KindReport {
  return REPORTS[kind] ?? genericReport;
}
