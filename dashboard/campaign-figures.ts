/**
 * A finished campaign's figures on its dashboard page, drawn by the same code as `plume report`
 * (each kind's report.ts and report/figures/): the report is written once per campaign state into
 * `<state>/dashboard/reports/<id>/<finished-at>/` and its figures are listed with their captions.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeCampaignReport } from '../kinds/index.js';
import { stateDir } from '../infra/paths.js';
import { isFinishedStatus } from '../db/campaign-store.js';
import type { CampaignRow } from '../report/report-context.js';
import type { DashboardContext } from './context.js';

export interface CampaignFigure {
  file: string;
  caption: string;
}

const pending = new Map<string, Promise<string>>();

/** The directory holding this campaign state's report (written on first use). */
async function reportDir(ctx: DashboardContext, row: CampaignRow): Promise<string> {
  const dir = path.join(stateDir(), 'dashboard', 'reports', row.id, String(row.finishedAt?.getTime() ?? 0));
  if (existsSync(path.join(dir, 'report.md'))) return dir;
  let p = pending.get(dir);
  if (!p) {
    p = writeCampaignReport(ctx.database, ctx.store, row.id, dir)
      .then(() => dir)
      .finally(() => pending.delete(dir));
    pending.set(dir, p);
  }
  return p;
}

export async function campaignFigures(ctx: DashboardContext, row: CampaignRow): Promise<{ dir: string | null; figures: CampaignFigure[] }> {
  if (!isFinishedStatus(row.status)) return { dir: null, figures: [] };
  const dir = await reportDir(ctx, row);
  const md = await readFile(path.join(dir, 'report.md'), 'utf8');
  const figures = [...md.matchAll(/!\[([^\]]*)\]\(figures\/([^)\s]+)\.png\)/g)].map((m) => ({ file: `${m[2]}.svg`, caption: m[1] }));
  return { dir, figures };
}

/** The file of one listed figure, or null (unknown name, or not a figure of this campaign). */
export async function campaignFigureFile(ctx: DashboardContext, row: CampaignRow, file: string): Promise<string | null> {
  if (!/^[a-z0-9._-]+\.(svg|png)$/.test(file)) return null;
  const { dir, figures } = await campaignFigures(ctx, row);
  if (!dir || !figures.some((f) => f.file.replace(/\.svg$/, '') === file.replace(/\.(svg|png)$/, ''))) return null;
  return path.join(dir, 'figures', file);
}
