/**
 * The Temporal server that serves this state directory, for commands that look at campaigns
 * another process runs (`plume status`): TEMPORAL_ADDRESS, or the dev server of a live `plume dev` /
 * `plume run` recorded in the state. Never starts one.
 */
import type { Client } from '@temporalio/client';

/** The address of the Temporal server serving this state: TEMPORAL_ADDRESS, or a live `plume dev` / `plume run`'s. */
export async function servingTemporalAddress(): Promise<string | null> {
  if (process.env.TEMPORAL_ADDRESS) return process.env.TEMPORAL_ADDRESS;
  const { findRecordedDevServer } = await import('../infra/dev-server-ownership.js');
  const recorded = await findRecordedDevServer();
  return recorded?.state === 'shared' ? recorded.record.address : null;
}

/** A client of the Temporal server serving this state (never starts one); null when none answers. */
export async function servingTemporal(): Promise<{ client: Client; close(): Promise<void> } | null> {
  const address = await servingTemporalAddress();
  if (!address) return null;
  const [{ Client, Connection }, { temporalNamespace }] = await Promise.all([import('@temporalio/client'), import('../infra/queues.js')]);
  const connection = await Connection.connect({ address, connectTimeout: 2000 }).catch(() => null);
  if (!connection) return null;
  return { client: new Client({ connection, namespace: temporalNamespace() }), close: () => connection.close().catch(() => undefined) };
}
