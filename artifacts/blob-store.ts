/**
 * Where the artifact store's bytes live: a directory (the embedded default) or an S3-compatible
 * bucket (`PLUME_ARTIFACTS=s3://bucket/prefix`, for clusters without a shared filesystem). Keys are
 * relative (`ab/<sha256>.npy`); callers never see local paths, so the same code runs on both.
 */
import type { Readable } from 'node:stream';

export interface BlobStat {
  bytes: number;
}

export interface BlobStore {
  /** The location this store was opened with: an absolute directory or `s3://bucket/prefix`. */
  readonly location: string;
  /** A URI a person (or another tool) can use to find the blob: `file:///...` or `s3://...`. */
  uriOf(key: string): string;
  /** Stores the bytes (or a stream of them) under the key; readers never see a partial object. */
  put(key: string, body: Uint8Array | Readable): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** Size of the blob, or null when there is none. */
  stat(key: string): Promise<BlobStat | null>;
  /** A stream of the blob's bytes (for downloads that should not buffer the whole file). */
  openRead(key: string): Promise<Readable>;
  /** Removes the blob if it exists (no error when it does not). */
  delete(key: string): Promise<void>;
  /** Fails early (StoreWriteError) when nothing can be written here: plan time, before any work. */
  checkWritable(): Promise<void>;
  /** Removes partial writes left by writers that died; returns how many. Run at worker start-up. */
  sweepTemporaryFiles(maxAgeMs?: number): Promise<number>;
}

/** True when a blob was not found (the error both backends throw from `get`/`openRead`). */
export class BlobNotFoundError extends Error {
  constructor(
    readonly key: string,
    location: string,
  ) {
    super(`no artifact '${key}' in ${location}`);
    this.name = 'BlobNotFoundError';
  }
}
