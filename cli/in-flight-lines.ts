/**
 * `plume status <id>` on a running campaign: one line per in-flight activity with what its last
 * heartbeat reported (engine/in-flight-work.ts, report/progress-text.ts). Joins the Temporal server
 * that serves this state (TEMPORAL_ADDRESS, or the dev server of a live `plume run` / `plume dev`);
 * prints nothing when there is none.
 */
import type { Database } from '../db/client.js';
import type { InFlightWork } from '../engine/in-flight-work.js';
import { inFlightText } from '../report/progress-text.js';
import { servingTemporal } from './serving-temporal.js';

export interface InFlightLine extends InFlightWork {
  text: string;
}

/** A pipeline works through its stages: the newest stage campaign is where batches run. */
async function workingCampaign(database: Database, id: string): Promise<string> {
  const stages = await database.query(`select id from campaigns where parent_id = $1 order by created_at desc, id desc limit 1`, [id]);
  return stages.rows.length > 0 ? String(stages.rows[0].id) : id;
}

/**
 * The campaign's in-flight work with its line (a pipeline's: its running stage's, the line prefixed
 * with the stage id); null when no Temporal server answers.
 */
export async function inFlightLines(database: Database, id: string): Promise<InFlightLine[] | null> {
  const temporal = await servingTemporal();
  if (!temporal) return null;
  try {
    const working = await workingCampaign(database, id);
    const { inFlightWork } = await import('../engine/in-flight-work.js');
    const work = await inFlightWork(temporal.client, database, working);
    const stage = working === id ? '' : `stage ${working}: `;
    return work?.map((w) => ({ ...w, text: `${stage}${inFlightText(w, working)}` })) ?? null;
  } finally {
    await temporal.close();
  }
}
