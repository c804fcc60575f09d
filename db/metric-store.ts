/** Rows of `metrics`: one upsert per chunk, keyed by (owner_type, owner_id, name, split, step), so retries overwrite. */
import { sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { metrics } from './schema.js';

export type MetricRow = typeof metrics.$inferInsert;

/** Upserts metric rows; non-finite values (an R^2 of a constant truth) are skipped. */
export async function upsertMetrics(database: Database, rows: readonly MetricRow[]): Promise<void> {
  const ok = rows.filter((r) => Number.isFinite(r.value));
  for (let s = 0; s < ok.length; s += 500) {
    await database.db
      .insert(metrics)
      .values(ok.slice(s, s + 500))
      .onConflictDoUpdate({ target: [metrics.ownerType, metrics.ownerId, metrics.name, metrics.split, metrics.step], set: { value: sql`excluded.value` } });
  }
}
