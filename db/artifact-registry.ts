/** Rows in `artifacts` for stored tensors, so SQL users can find them (`uri`, shape, size). */
import type { ArtifactRef } from '../artifacts/store.js';
import type { Database } from './client.js';
import { artifacts } from './schema.js';

export async function registerArtifacts(database: Database, refs: ArtifactRef[]): Promise<void> {
  const unique = [...new Map(refs.map((r) => [r.id, r])).values()];
  for (let s = 0; s < unique.length; s += 500) {
    const values = unique.slice(s, s + 500).map((r) => ({ id: r.id, kind: r.kind, dtype: r.dtype, shape: r.shape, bytes: r.bytes, uri: r.uri }));
    await database.db.insert(artifacts).values(values).onConflictDoNothing();
  }
}
