/**
 * Helpers for tests that run the `plume` CLI as child processes on an embedded state dir: spawn
 * it, read campaign progress through the embedded database it serves, find leftover processes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { countRuns } from '../../db/campaign-store.js';
import { findServedEmbedded, openDatabase } from '../../db/client.js';
import { projectRoot } from '../../infra/paths.js';

const plume = path.join(projectRoot(), 'bin', 'plume.mjs');

/** A `plume` child with its stdout and stderr collected, and its exit code awaited. */
export interface PlumeChild {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  exited: Promise<number>;
}

export function spawnPlume(args: string[], env: NodeJS.ProcessEnv, cwd: string): PlumeChild {
  const child = spawn(process.execPath, [plume, ...args], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  const exited = new Promise<number>((r) => child.on('exit', (code, signal) => r(code ?? (signal ? 128 : -1))));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/**
 * Id and run counts of the newest campaign named `name`, read through the embedded database a live
 * `plume` serves (null: none served, or no such campaign yet).
 */
export async function servedRunCounts(name: string): Promise<({ id: string } & Awaited<ReturnType<typeof countRuns>>) | null> {
  const url = await findServedEmbedded();
  if (!url) return null;
  const db = await openDatabase({ url, migrate: false });
  try {
    const r = await db.query(`select id from campaigns where name = $1 order by created_at desc limit 1`, [name]);
    if (!r.rows.length) return null;
    const id = String(r.rows[0].id);
    return { id, ...(await countRuns(db, id)) };
  } finally {
    await db.close();
  }
}

/** Processes whose command line mentions `needle` (a state dir): leftover servers. */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle)) pids.push(Number(d));
    } catch {
      /* exited */
    }
  }
  return pids;
}
