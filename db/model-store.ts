/** Rows of `models`: one upsert keyed by the model id, so a retried training overwrites its row. */
import type { Database } from './client.js';
import { models } from './schema.js';

export type ModelRow = typeof models.$inferInsert;

/** Inserts a model row, or replaces every column of the row with the same id. */
export async function upsertModel(database: Database, row: ModelRow): Promise<void> {
  await database.db.insert(models).values(row).onConflictDoUpdate({ target: models.id, set: row });
}
