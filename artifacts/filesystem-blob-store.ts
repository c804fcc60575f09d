/**
 * Blobs as files under a root directory. Writes go to a temporary name and are renamed into place,
 * so a reader never sees half a file; reads refuse anything that resolves outside the root (a
 * symlink planted in the store cannot leak other files).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobNotFoundError, type BlobStat, type BlobStore } from './blob-store.js';
import { errorCode, isWriteFailureCode, StoreWriteError } from './store-write-error.js';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) === 'EPERM';
  }
}

export class FilesystemBlobStore implements BlobStore {
  readonly location: string;

  constructor(root: string) {
    this.location = path.resolve(root);
  }

  private fileOf(key: string): string {
    return path.join(this.location, ...key.split('/'));
  }

  uriOf(key: string): string {
    return `file://${this.fileOf(key)}`;
  }

  /** The real path of an existing blob inside the root, or null. */
  private async resolve(key: string): Promise<string | null> {
    let real: string;
    try {
      real = await realpath(this.fileOf(key));
    } catch {
      return null;
    }
    const root = await realpath(this.location).catch(() => this.location);
    return real.startsWith(root + path.sep) ? real : null;
  }

  async put(key: string, body: Uint8Array | Readable): Promise<void> {
    const file = this.fileOf(key);
    // A failed write removes its temp file (a disk-full leaves no zero-byte leftovers).
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      if (body instanceof Readable) await pipeline(body, createWriteStream(tmp));
      else await writeFile(tmp, body);
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw await this.writeError(file, e);
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.fileOf(key), { force: true });
  }

  async checkWritable(): Promise<void> {
    const probe = path.join(this.location, `.write-check.${process.pid}.tmp`);
    try {
      await mkdir(this.location, { recursive: true });
      await writeFile(probe, 'ok');
    } catch (e) {
      throw await this.writeError(probe, e);
    } finally {
      await rm(probe, { force: true }).catch(() => undefined);
    }
  }

  /**
   * Removes temporary files left by writers that died (their pid is gone) or that are older than
   * `maxAgeMs` (another host's writer).
   */
  async sweepTemporaryFiles(maxAgeMs = 3_600_000): Promise<number> {
    let removed = 0;
    let dirs: string[];
    try {
      dirs = (await readdir(this.location, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => path.join(this.location, d.name));
    } catch {
      return 0;
    }
    for (const dir of [this.location, ...dirs]) {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names.filter((n) => n.endsWith('.tmp'))) {
        const file = path.join(dir, name);
        const pid = Number(/\.(\d+)\.[^.]*\.?tmp$/.exec(name)?.[1] ?? NaN);
        const info = await stat(file).catch(() => null);
        if (!info) continue;
        const stale = Date.now() - info.mtimeMs > maxAgeMs || (Number.isInteger(pid) && pid !== process.pid && !pidAlive(pid));
        if (
          stale &&
          (await rm(file, { force: true }).then(
            () => true,
            () => false,
          ))
        )
          removed++;
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
    while (
      !(await stat(path.dirname(missing)).then(
        () => true,
        () => false,
      ))
    ) {
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
    if (isWriteFailureCode(code)) return new StoreWriteError(this.location, file, code, e);
    return e as Error;
  }

  async get(key: string): Promise<Buffer> {
    const file = await this.resolve(key);
    if (!file) throw new BlobNotFoundError(key, this.location);
    return readFile(file);
  }

  async stat(key: string): Promise<BlobStat | null> {
    const file = await this.resolve(key);
    if (!file) return null;
    return { bytes: (await stat(file)).size };
  }

  async openRead(key: string): Promise<Readable> {
    const file = await this.resolve(key);
    if (!file) throw new BlobNotFoundError(key, this.location);
    return createReadStream(file);
  }
}
