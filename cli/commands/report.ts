/** `plume report ID [--out DIR]`: a campaign's Markdown report with figures, from the results database. */
import path from 'node:path';
import { ArtifactStore } from '../../artifacts/store.js';
import { openExistingDatabase } from '../existing-state.js';
import { CampaignNotFoundError } from '../../report/write-report.js';
import { writeCampaignReport } from '../../kinds/index.js';
import { EXIT_OK, UsageError } from '../exit-codes.js';

/** Default output directory: `reports/<campaign-id>/` under the working directory. */
export function defaultReportDir(id: string): string {
  return path.join('reports', id.replace(/[^A-Za-z0-9._-]+/g, '_'));
}

export async function reportCommand(id: string, opts: { out?: string }): Promise<number> {
  const database = await openExistingDatabase();
  try {
    const res = await writeCampaignReport(database, new ArtifactStore(), id, opts.out ?? defaultReportDir(id));
    process.stdout.write(`${res.markdownPath}\n`);
    process.stderr.write(
      `plume: wrote ${path.relative(process.cwd(), res.markdownPath) || res.markdownPath} with ${res.figures.length / 2} figures (.svg + .png)\n`,
    );
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CampaignNotFoundError) throw new UsageError(e.message);
    throw e;
  } finally {
    await database.close();
  }
}
