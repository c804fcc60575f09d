/**
 * Read-only and steering commands (`status`, `list`, `query`, `export`, `report`, `retry`,
 * `cancel`, `pause`, `resume`) work on state that exists: in embedded mode they refuse a state
 * directory without a database instead of creating one, and they name an unknown campaign id as
 * unknown before they look for a Temporal server.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, type Database } from '../db/client.js';
import { getCampaign, type CampaignRow } from '../db/campaign-store.js';
import { stateDir } from '../infra/paths.js';
import { UsageError } from './exit-codes.js';

/** True when this state directory has an embedded database (or DATABASE_URL names a server). */
export function stateExists(): boolean {
  return Boolean(process.env.DATABASE_URL) || existsSync(path.join(stateDir(), 'pgdata'));
}

/** Open the results database of existing state, or say there is none here. */
export async function openExistingDatabase(): Promise<Database> {
  if (!stateExists()) {
    throw new UsageError(
      `no Plume state in ${path.relative(process.cwd(), stateDir()) || '.'} (no campaign has run here): ` +
        'run `npx plume run SPEC` in this directory first, or point PLUME_STATE_DIR (or DATABASE_URL) at existing state',
    );
  }
  return openDatabase();
}

/** The campaign row, or a UsageError naming the id as unknown. */
export async function existingCampaign(database: Database, id: string): Promise<CampaignRow> {
  const row = await getCampaign(database, id);
  if (!row) throw new UsageError(`unknown campaign '${id}' (list them with \`plume list\`)`);
  return row;
}
