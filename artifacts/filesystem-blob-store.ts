/**
 * Blobs as files under a root directory. Writes go to a temporary name and are renamed into place,
 * so a reader never sees half a file; reads refuse anything that resolves outside the root (a
 * symlink planted in the store cannot leak other files).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobNotFoundError, type BlobStat, type BlobStore } from './blob-store.js';

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
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    if (body instanceof Readable) await pipeline(body, createWriteStream(tmp));
    else await writeFile(tmp, body);
    await rename(tmp, file);
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
