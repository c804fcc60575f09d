/** What the API handlers need: the database, the artifact store, and (optionally) Temporal. */
import type { Client } from '@temporalio/client';
import type { ArtifactStore } from '../artifacts/store.js';
import type { Database } from '../db/client.js';

export interface DashboardContext {
  database: Database;
  store: ArtifactStore;
  /** Temporal client; null serves read-only pages (launch/cancel/... answer 503). */
  client: Client | null;
  temporalUiUrl: string | null;
  namespace: string;
  /** PLUME_API_TOKEN; null refuses every mutation. */
  token: string | null;
  query: { timeoutMs: number; rowLimit: number };
}
