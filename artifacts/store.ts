/**
 * Content-addressed artifact store. Big tensors live here as `.npy` files named by the sha256 of
 * their bytes (`<root>/<ab>/<sha256>.npy`), never in the database. Writing the same tensor twice is
 * a no-op, so activities can retry freely. Non-tensor blobs (model weights, JSON) use `putBytes`.
 *
 * Root: `PLUME_ARTIFACTS` or `.plume/artifacts` under the working directory.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeNpy, dtypeOf, encodeNpy, type NpyArray, type NpyData, type NpyDtype } from './npy.js';

export interface ArtifactRef {
  /** sha256 of the file's bytes, hex. */
  id: string;
  kind: string;
  dtype: NpyDtype | 'bytes';
  shape: number[];
  bytes: number;
  /** file:// URI of the stored file. */
  uri: string;
}

/** Error codes of a store that cannot be written, with what to do about each. */
const WRITE_FAILURES: Record<string, string> = {
  EROFS: 'is on a read-only file system',
  EACCES: 'is not writable by this user',
  EPERM: 'is not writable by this user',
  ENOSPC: 'is out of disk space',
  EDQUOT: 'is over its disk quota',
  ENOTDIR: 'lies under a file, not a folder',
};

/** The artifact store cannot be written: says which path, why, and what to do. */
export class StoreWriteError extends Error {
  constructor(
    readonly root: string,
    readonly file: string,
    readonly code: string,
    cause: unknown,
  ) {
    const why = WRITE_FAILURES[code] ?? `cannot be written (${code})`;
    const fix =
      code === 'ENOSPC' || code === 'EDQUOT'
        ? 'free space there or point PLUME_ARTIFACTS at a larger volume'
        : 'point PLUME_ARTIFACTS at a writable folder (or fix its permissions / mount it read-write)';
    super(`artifact store ${root} ${why} (${code} writing ${file}): ${fix}`, { cause });
    this.name = 'StoreWriteError';
  }
}

function errorCode(e: unknown): string {
  return String((e as { code?: unknown })?.code ?? 'EIO');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) === 'EPERM';
  }
}

export function defaultArtifactRoot(): string {
  return path.resolve(process.env.PLUME_ARTIFACTS ?? path.join(process.cwd(), '.plume', 'artifacts'));
}

export class ArtifactStore {
  readonly root: string;

  constructor(root: string = defaultArtifactRoot()) {
    this.root = path.resolve(root);
  }

  /** Absolute path of an artifact id with the given extension; refuses ids that are not sha256 hex. */
  pathOf(id: string, ext = '.npy'): string {
    if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`invalid artifact id '${id}': expected 64 hex characters`);
    if (!/^\.[a-z0-9]+$/.test(ext)) throw new Error(`invalid artifact extension '${ext}'`);
    return path.join(this.root, id.slice(0, 2), `${id}${ext}`);
  }

  async putTensor(kind: string, data: NpyData, shape: readonly number[]): Promise<ArtifactRef> {
    const buf = encodeNpy(data, shape);
    const ref = await this.putRaw(kind, buf, '.npy');
    return { ...ref, dtype: dtypeOf(data), shape: [...shape] };
  }

  async getTensor(id: string): Promise<NpyArray> {
    return decodeNpy(await readFile(this.pathOf(id, '.npy')));
  }

  async putBytes(kind: string, buf: Uint8Array, ext = '.bin'): Promise<ArtifactRef> {
    return this.putRaw(kind, buf, ext);
  }

  async getBytes(id: string, ext = '.bin'): Promise<Buffer> {
    return readFile(this.pathOf(id, ext));
  }

  async putJson(kind: string, value: unknown): Promise<ArtifactRef> {
    return this.putRaw(kind, Buffer.from(JSON.stringify(value)), '.json');
  }

  async getJson<T = unknown>(id: string): Promise<T> {
    return JSON.parse((await readFile(this.pathOf(id, '.json'))).toString('utf8')) as T;
  }

  async has(id: string, ext = '.npy'): Promise<boolean> {
    try {
      await stat(this.pathOf(id, ext));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Fail early when the store cannot be written (plan time, before any simulation): creates the
   * root if needed and writes and removes a probe file.
   */
  async checkWritable(): Promise<void> {
    const probe = path.join(this.root, `.write-check.${process.pid}.tmp`);
    try {
      await mkdir(this.root, { recursive: true });
      await writeFile(probe, 'ok');
    } catch (e) {
      throw await this.writeError(probe, e);
    } finally {
      await rm(probe, { force: true }).catch(() => undefined);
    }
  }

  /**
   * Remove temporary files left by writers that died (their pid is gone) or that are older than
   * `maxAgeMs` (another host's writer); returns how many were removed. Run at worker start-up.
   */
  async sweepTemporaryFiles(maxAgeMs = 3_600_000): Promise<number> {
    let removed = 0;
    let dirs: string[];
    try {
      dirs = (await readdir(this.root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => path.join(this.root, d.name));
    } catch {
      return 0;
    }
    for (const dir of [this.root, ...dirs]) {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names.filter((n) => n.endsWith('.tmp'))) {
        const file = path.join(dir, name);
        const pid = Number(/\.(\d+)\.[^.]*\.?tmp$/.exec(name)?.[1] ?? NaN);
        const info = await stat(file).catch(() => null);
        if (!info) continue;
        const stale = Date.now() - info.mtimeMs > maxAgeMs || (Number.isInteger(pid) && pid !== process.pid && !pidAlive(pid));
        if (stale && (await rm(file, { force: true }).then(() => true, () => false))) removed++;
      }
    }
    return removed;
  }

  /**
   * The real reason a recursive mkdir failed: Node reports ENOENT when a missing parent cannot be
   * created (on a read-only mount, say), so create the first missing folder alone to learn why.
   */
  private async mkdirCause(dir: string): Promise<string | null> {
    let missing = dir;
    while (!(await stat(path.dirname(missing)).then(() => true, () => false))) {
      if (path.dirname(missing) === missing) return null;
      missing = path.dirname(missing);
    }
    try {
      await mkdir(missing);
      await rm(missing, { recursive: true, force: true });
      return null;
    } catch (e) {
      return errorCode(e);
    }
  }

  private async writeError(file: string, e: unknown): Promise<Error> {
    let code = errorCode(e);
    if (code === 'ENOENT') code = (await this.mkdirCause(path.dirname(file))) ?? code;
    // A missing parent under a read-only or unwritable mount shows up as ENOENT from mkdir.
    if (code in WRITE_FAILURES) return new StoreWriteError(this.root, file, code, e);
    return e as Error;
  }

  private async putRaw(kind: string, buf: Uint8Array, ext: string): Promise<ArtifactRef> {
    const id = createHash('sha256').update(buf).digest('hex');
    const file = this.pathOf(id, ext);
    const ref: ArtifactRef = { id, kind, dtype: 'bytes', shape: [buf.byteLength], bytes: buf.byteLength, uri: `file://${file}` };
    if (await this.has(id, ext)) return ref;
    // Write to a temp name and rename: readers never see a half-written file; a failed write
    // removes its temp file (a disk-full leaves no zero-byte leftovers).
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(tmp, buf);
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw await this.writeError(file, e);
    }
    return ref;
  }
}
