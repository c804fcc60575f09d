/**
 * Blobs in an S3-compatible object store (AWS S3, MinIO, Ceph, GCS' S3 API...), for clusters whose
 * workers share no filesystem. `PLUME_ARTIFACTS=s3://bucket/prefix`; the endpoint, region and
 * retry budget come from the environment (see `s3ClientConfig`), credentials from the AWS SDK's
 * default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, IRSA, instance roles...).
 *
 * Writes stream through the SDK's managed upload (multipart above 8 MiB), reads stream the object
 * body; every request is retried by the SDK (standard mode, exponential back-off with jitter).
 * The SDK is loaded on first use, so processes on a local store never load it.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { errorCode, isWriteFailureCode, StoreWriteError } from './store-write-error.js';
import { BlobNotFoundError, type BlobStat, type BlobStore } from './blob-store.js';

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing slash ('' for the bucket root). */
  prefix: string;
}

/** Parses `s3://bucket/prefix`; errors name the part that is wrong. */
export function parseS3Location(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`PLUME_ARTIFACTS='${uri}': an object-store location is s3://bucket/prefix`);
  const bucket = m[1];
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`PLUME_ARTIFACTS='${uri}': bucket '${bucket}' is not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)`);
  }
  return { bucket, prefix: m[2].replace(/^\/+|\/+$/g, '') };
}

const s3Env = z.object({
  PLUME_S3_ENDPOINT: z.url('PLUME_S3_ENDPOINT: an http(s) URL of the S3-compatible server, e.g. http://127.0.0.1:9000').optional(),
  AWS_ENDPOINT_URL_S3: z.url('AWS_ENDPOINT_URL_S3: an http(s) URL').optional(),
  AWS_ENDPOINT_URL: z.url('AWS_ENDPOINT_URL: an http(s) URL').optional(),
  AWS_REGION: z.string().min(1).optional(),
  AWS_DEFAULT_REGION: z.string().min(1).optional(),
  PLUME_S3_FORCE_PATH_STYLE: z.enum(['0', '1', 'true', 'false'], 'PLUME_S3_FORCE_PATH_STYLE: 1 or 0').optional(),
  PLUME_S3_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20, 'PLUME_S3_MAX_ATTEMPTS: 1..20 attempts per request').optional(),
});

export interface S3ClientSettings {
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  maxAttempts: number;
}

/**
 * Client settings from the environment: `PLUME_S3_ENDPOINT` (or the SDK's `AWS_ENDPOINT_URL_S3` /
 * `AWS_ENDPOINT_URL`) for non-AWS stores, which then default to path-style addressing
 * (`PLUME_S3_FORCE_PATH_STYLE=0` turns it off); `AWS_REGION` (default us-east-1);
 * `PLUME_S3_MAX_ATTEMPTS` (default 5).
 */
export function s3ClientConfig(env: NodeJS.ProcessEnv = process.env): S3ClientSettings {
  const parsed = s3Env.safeParse(env);
  if (!parsed.success) throw new Error(`S3 artifact store settings: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const e = parsed.data;
  const endpoint = e.PLUME_S3_ENDPOINT ?? e.AWS_ENDPOINT_URL_S3 ?? e.AWS_ENDPOINT_URL;
  const pathStyle = e.PLUME_S3_FORCE_PATH_STYLE;
  return {
    ...(endpoint ? { endpoint } : {}),
    region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1',
    forcePathStyle: pathStyle === undefined ? Boolean(endpoint) : pathStyle === '1' || pathStyle === 'true',
    maxAttempts: e.PLUME_S3_MAX_ATTEMPTS ?? 5,
  };
}

const sdk = () => import('@aws-sdk/client-s3');

// One client per settings per process: clients pool their sockets.
const clients = new Map<string, Promise<S3Client>>();
function clientFor(settings: S3ClientSettings): Promise<S3Client> {
  const k = JSON.stringify(settings);
  let c = clients.get(k);
  if (!c) {
    c = sdk().then(({ S3Client }) => new S3Client({ ...settings, retryMode: 'standard' }));
    clients.set(k, c);
  }
  return c;
}

function isNotFound(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === 'NotFound' || err?.name === 'NoSuchKey' || err?.$metadata?.httpStatusCode === 404;
}

export class S3BlobStore implements BlobStore {
  readonly location: string;
  private readonly where: S3Location;
  private readonly settings: S3ClientSettings;

  constructor(location: string, settings: S3ClientSettings = s3ClientConfig()) {
    this.where = parseS3Location(location);
    this.location = `s3://${this.where.bucket}${this.where.prefix ? `/${this.where.prefix}` : ''}`;
    this.settings = settings;
  }

  private objectKey(key: string): string {
    return this.where.prefix ? `${this.where.prefix}/${key}` : key;
  }

  uriOf(key: string): string {
    return `s3://${this.where.bucket}/${this.objectKey(key)}`;
  }

  async put(key: string, body: Uint8Array | Readable): Promise<void> {
    const { Upload } = await import('@aws-sdk/lib-storage');
    const upload = new Upload({
      client: await clientFor(this.settings),
      params: { Bucket: this.where.bucket, Key: this.objectKey(key), Body: body, ContentType: 'application/octet-stream' },
      queueSize: 4,
      partSize: 8 * 1024 * 1024,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async get(key: string): Promise<Buffer> {
    const body = await this.openRead(key);
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
    return Buffer.concat(chunks);
  }

  async stat(key: string): Promise<BlobStat | null> {
    try {
      const { HeadObjectCommand } = await sdk();
      const client = await clientFor(this.settings);
      const head = await client.send(new HeadObjectCommand({ Bucket: this.where.bucket, Key: this.objectKey(key) }));
      return { bytes: head.ContentLength ?? 0 };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async openRead(key: string): Promise<Readable> {
    try {
      const { GetObjectCommand } = await sdk();
      const client = await clientFor(this.settings);
      const res = await client.send(new GetObjectCommand({ Bucket: this.where.bucket, Key: this.objectKey(key) }));
      if (!(res.Body instanceof Readable)) throw new Error(`S3 GetObject ${this.uriOf(key)}: expected a Node.js stream body`);
      return res.Body;
    } catch (e) {
      if (isNotFound(e)) throw new BlobNotFoundError(key, this.location);
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    const { DeleteObjectCommand } = await sdk();
    const client = await clientFor(this.settings);
    await client.send(new DeleteObjectCommand({ Bucket: this.where.bucket, Key: this.objectKey(key) }));
  }

  /** Writes and deletes a probe object: wrong bucket, credentials or a read-only policy fail here. */
  async checkWritable(): Promise<void> {
    const key = `.write-check/${process.pid}-${Date.now()}`;
    try {
      const { DeleteObjectCommand, PutObjectCommand } = await sdk();
      const client = await clientFor(this.settings);
      await client.send(new PutObjectCommand({ Bucket: this.where.bucket, Key: this.objectKey(key), Body: 'ok' }));
      await client.send(new DeleteObjectCommand({ Bucket: this.where.bucket, Key: this.objectKey(key) }));
    } catch (e) {
      const code = errorCode(e);
      throw isWriteFailureCode(code) ? new StoreWriteError(this.location, this.uriOf(key), code, e) : e;
    }
  }

  /** Nothing to sweep: an object appears whole or not at all, and failed multipart uploads are aborted. */
  sweepTemporaryFiles(): Promise<number> {
    return Promise.resolve(0);
  }
}
