/**
 * Content-addressed artifact store. Big tensors live here as `.npy` files named by the sha256 of
 * their bytes (key `<ab>/<sha256>.npy`), never in the database. Writing the same tensor twice is a
 * no-op, so activities can retry freely. Non-tensor blobs (model weights, JSON) use `putBytes`.
 *
 * Location: `PLUME_ARTIFACTS` — a directory (default `.plume/artifacts` under the working
 * directory) or `s3://bucket/prefix` for an S3-compatible object store (artifacts/s3-blob-store.ts).
 * Callers address artifacts by id and extension only (`keyOf`, `uriOf`, `stat`, `openRead`), never
 * by local path, and hand `location` to worker threads, which open their own store on it.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { BlobNotFoundError, type BlobStat, type BlobStore } from './blob-store.js';
import { FilesystemBlobStore } from './filesystem-blob-store.js';
import { decodeNpy, dtypeOf, encodeNpy, type NpyArray, type NpyData, type NpyDtype } from './npy.js';
import { S3BlobStore } from './s3-blob-store.js';

export { StoreWriteError } from './store-write-error.js';

export interface ArtifactRef {
  /** sha256 of the file's bytes, hex. */
  id: string;
  kind: string;
  dtype: NpyDtype | 'bytes';
  shape: number[];
  bytes: number;
  /** file:// or s3:// URI of the stored object. */
  uri: string;
}

function defaultArtifactLocation(): string {
  const configured = process.env.PLUME_ARTIFACTS;
  if (configured?.startsWith('s3://')) return configured;
  return path.resolve(configured ?? path.join(process.cwd(), '.plume', 'artifacts'));
}

function openBlobStore(location: string): BlobStore {
  return location.startsWith('s3://') ? new S3BlobStore(location) : new FilesystemBlobStore(location);
}

export class ArtifactStore {
  private readonly blobs: BlobStore;

  constructor(location: string = defaultArtifactLocation()) {
    this.blobs = openBlobStore(location);
  }

  /** Where the artifacts live (a directory or `s3://bucket/prefix`): pass it to worker threads. */
  get location(): string {
    return this.blobs.location;
  }

  /** Store-relative key of an artifact id with the given extension; refuses ids that are not sha256 hex. */
  keyOf(id: string, ext = '.npy'): string {
    if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`invalid artifact id '${id}': expected 64 hex characters`);
    if (!/^\.[a-z0-9]+$/.test(ext)) throw new Error(`invalid artifact extension '${ext}'`);
    return `${id.slice(0, 2)}/${id}${ext}`;
  }

  uriOf(id: string, ext = '.npy'): string {
    return this.blobs.uriOf(this.keyOf(id, ext));
  }

  async putTensor(kind: string, data: NpyData, shape: readonly number[]): Promise<ArtifactRef> {
    const buf = encodeNpy(data, shape);
    const ref = await this.putRaw(kind, buf, '.npy');
    return { ...ref, dtype: dtypeOf(data), shape: [...shape] };
  }

  async getTensor(id: string): Promise<NpyArray> {
    return decodeNpy(await this.blobs.get(this.keyOf(id, '.npy')));
  }

  async putBytes(kind: string, buf: Uint8Array, ext = '.bin'): Promise<ArtifactRef> {
    return this.putRaw(kind, buf, ext);
  }

  async getBytes(id: string, ext = '.bin'): Promise<Buffer> {
    return this.blobs.get(this.keyOf(id, ext));
  }

  async putJson(kind: string, value: unknown): Promise<ArtifactRef> {
    return this.putRaw(kind, Buffer.from(JSON.stringify(value)), '.json');
  }

  async getJson<T = unknown>(id: string): Promise<T> {
    return JSON.parse((await this.blobs.get(this.keyOf(id, '.json'))).toString('utf8')) as T;
  }

  /** Size of a stored artifact, or null when the store does not hold it. */
  stat(id: string, ext = '.npy'): Promise<BlobStat | null> {
    return this.blobs.stat(this.keyOf(id, ext));
  }

  /** A stream of a stored artifact's bytes (throws BlobNotFoundError when absent). */
  openRead(id: string, ext = '.npy'): Promise<Readable> {
    return this.blobs.openRead(this.keyOf(id, ext));
  }

  async has(id: string, ext = '.npy'): Promise<boolean> {
    return (await this.stat(id, ext)) !== null;
  }

  /**
   * Checkpoints of long computations (a training that can outlive its worker): one mutable blob
   * per computation, keyed by the sha256 of what it computes, so a retried task finds its own
   * checkpoint and a changed input never resumes a stale one. Overwritten in place (readers see
   * the old or the new checkpoint whole); removed when the computation finishes.
   */
  async putCheckpoint(key: string, buf: Uint8Array): Promise<void> {
    await this.blobs.put(this.checkpointKey(key), buf);
  }

  /** The checkpoint stored under `key`, or null when there is none. */
  async getCheckpoint(key: string): Promise<Buffer | null> {
    try {
      return await this.blobs.get(this.checkpointKey(key));
    } catch (e) {
      if (e instanceof BlobNotFoundError) return null;
      throw e;
    }
  }

  async deleteCheckpoint(key: string): Promise<void> {
    await this.blobs.delete(this.checkpointKey(key));
  }

  private checkpointKey(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`invalid checkpoint key '${key}': expected 64 hex characters (a sha256)`);
    return `checkpoints/${key}.ckpt`;
  }

  /** Fails early (StoreWriteError naming the location, the reason and the fix) when nothing can be written. */
  checkWritable(): Promise<void> {
    return this.blobs.checkWritable();
  }

  /** Removes temporary files of writers that died; returns how many (run at worker start-up). */
  sweepTemporaryFiles(maxAgeMs?: number): Promise<number> {
    return this.blobs.sweepTemporaryFiles(maxAgeMs);
  }

  private async putRaw(kind: string, buf: Uint8Array, ext: string): Promise<ArtifactRef> {
    const id = createHash('sha256').update(buf).digest('hex');
    const key = this.keyOf(id, ext);
    const ref: ArtifactRef = { id, kind, dtype: 'bytes', shape: [buf.byteLength], bytes: buf.byteLength, uri: this.blobs.uriOf(key) };
    if (await this.has(id, ext)) return ref;
    await this.blobs.put(key, buf);
    return ref;
  }
}
