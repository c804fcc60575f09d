/**
 * Where an inversion campaign's trained models live: deterministic `models` ids per campaign (so a
 * retried setup step finds what an earlier attempt stored) and the lookup of a stored one.
 */
import { eq } from 'drizzle-orm';
import { models } from '../../db/schema.js';
import type { Database } from '../../db/client.js';

export type ModelRow = typeof models.$inferSelect;

export function surrogateModelId(campaignId: string, arch: string): string {
  return `${campaignId}:${arch}:observations:r0`;
}

export function decoderModelId(campaignId: string): string {
  return `${campaignId}:aae:decoder:r0`;
}

/** The model row with this id, if it has a stored artifact (training finished). */
export async function modelRow(database: Database, id: string): Promise<ModelRow | null> {
  const [row] = await database.db.select().from(models).where(eq(models.id, id));
  return row?.artifactId ? row : null;
}
