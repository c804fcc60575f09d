/**
 * Who owns the local Temporal dev server of a state directory. `<state>/temporal.json` records
 * the server's pid and address and the pid of the Plume process that owns it. A server whose owner
 * is alive (a `plume dev`) is shared; one whose owner died (a SIGKILLed `plume run`) is an orphan
 * that the next Plume process adopts (and then stops when it exits); one that is not running any
 * more (pid gone or port closed) is forgotten. Owners stop their server on every exit path Node
 * can catch: normal return, `process.exit`, uncaught errors, SIGTERM and SIGHUP.
 */
import { existsSync, rmSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { portListening } from './free-port.js';
import { stateDir } from './paths.js';

export interface DevServerRecord {
  pid: number;
  address: string;
  uiUrl: string | null;
  /** Plume process that stops this server when it exits. */
  ownerPid: number;
}

export type RecordedDevServer = { record: DevServerRecord; state: 'shared' | 'orphan' };

export const devServerRecordFile = (): string => path.join(stateDir(), 'temporal.json');

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** The recorded dev server if it is still running (checked by pid and port), shared or orphaned. */
export async function findRecordedDevServer(): Promise<RecordedDevServer | null> {
  const file = devServerRecordFile();
  if (!existsSync(file)) return null;
  let record: DevServerRecord;
  try {
    record = JSON.parse(await readFile(file, 'utf8')) as DevServerRecord;
  } catch {
    return null;
  }
  const port = Number(record.address.split(':').pop());
  if (!pidAlive(record.pid) || !(await portListening(port))) {
    await rm(file, { force: true });
    return null;
  }
  // Files written before ownership was recorded have no ownerPid: treat the server as orphaned.
  // (An owner that is this very process counts as alive: a second stack here shares the server.)
  const ownerAlive = record.ownerPid !== undefined && pidAlive(record.ownerPid);
  return { record, state: ownerAlive ? 'shared' : 'orphan' };
}

export async function recordDevServer(record: Omit<DevServerRecord, 'ownerPid'>): Promise<DevServerRecord> {
  const full = { ...record, ownerPid: process.pid };
  await writeFile(devServerRecordFile(), JSON.stringify(full));
  return full;
}

/** Stop a server process this process does not hold a child handle for (an adopted orphan). */
export async function stopServerByPid(pid: number, graceMs = 10_000): Promise<void> {
  if (!pidAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (pidAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

const SIGNAL_EXIT: Record<'SIGTERM' | 'SIGHUP', number> = { SIGTERM: 143, SIGHUP: 129 };

/**
 * Stop `pid` whenever this process exits, however it exits short of SIGKILL. Returns a function
 * that unregisters (call it after a graceful stop).
 */
export function stopOnExit(pid: number): () => void {
  const record = devServerRecordFile();
  const onExit = (): void => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    rmSync(record, { force: true });
  };
  // A signal with no other listener would kill Node without an 'exit' event: turn it into one.
  const onSignal = (sig: 'SIGTERM' | 'SIGHUP') => (): void => {
    if (process.listenerCount(sig) <= 1) process.exit(SIGNAL_EXIT[sig]);
  };
  const handlers = { SIGTERM: onSignal('SIGTERM'), SIGHUP: onSignal('SIGHUP') };
  process.on('exit', onExit);
  process.on('SIGTERM', handlers.SIGTERM);
  process.on('SIGHUP', handlers.SIGHUP);
  return () => {
    process.off('exit', onExit);
    process.off('SIGTERM', handlers.SIGTERM);
    process.off('SIGHUP', handlers.SIGHUP);
  };
}
