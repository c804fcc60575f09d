/**
 * The artifact store on a real S3-compatible server (moto's server on 127.0.0.1): the same
 * content-addressed keys, streaming reads, multipart writes of large tensors, missing objects, and
 * two stores (as two worker processes would) sharing only the bucket.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError } from '../../artifacts/blob-store.js';
import { parseS3Location, s3ClientConfig, S3BlobStore } from '../../artifacts/s3-blob-store.js';
import { ArtifactStore } from '../../artifacts/store.js';
import { startS3Server, type S3Server } from '../../infra/s3-server.js';

let s3: S3Server;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  s3 = await startS3Server({ bucket: 'plume-store-test' });
  for (const [k, v] of Object.entries(s3.env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
}, 90_000);

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await s3?.stop();
});

async function drain(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}

describe('S3 location and settings', () => {
  it('parses s3://bucket/prefix and names what is wrong', () => {
    expect(parseS3Location('s3://my-bucket/runs/2026/')).toEqual({ bucket: 'my-bucket', prefix: 'runs/2026' });
    expect(parseS3Location('s3://my-bucket')).toEqual({ bucket: 'my-bucket', prefix: '' });
    expect(() => parseS3Location('s3://Bad_Bucket/x')).toThrow(/not a valid S3 bucket name/);
    expect(() => parseS3Location('s3:/x')).toThrow(/s3:\/\/bucket\/prefix/);
  });

  it('reads endpoint, path style, region and retries from the environment', () => {
    expect(s3ClientConfig({ PLUME_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      forcePathStyle: true,
      maxAttempts: 5,
    });
    expect(s3ClientConfig({ AWS_REGION: 'eu-west-3', PLUME_S3_MAX_ATTEMPTS: '8' })).toEqual({ region: 'eu-west-3', forcePathStyle: false, maxAttempts: 8 });
    expect(() => s3ClientConfig({ PLUME_S3_ENDPOINT: 'not a url' })).toThrow(/PLUME_S3_ENDPOINT/);
    expect(() => s3ClientConfig({ PLUME_S3_MAX_ATTEMPTS: '99' })).toThrow(/PLUME_S3_MAX_ATTEMPTS/);
  });
});

describe('ArtifactStore on an S3-compatible server', () => {
  it('is content addressed under the prefix, with s3:// URIs', async () => {
    const store = new ArtifactStore(`s3://${s3.bucket}/campaigns/a`);
    expect(store.location).toBe(`s3://${s3.bucket}/campaigns/a`);
    const a = await store.putTensor('x', Float32Array.from([1, 2, 3]), [3]);
    const b = await store.putTensor('y', Float32Array.from([1, 2, 3]), [3]);
    expect(a.id).toBe(b.id);
    expect(a.uri).toBe(`s3://${s3.bucket}/campaigns/a/${a.id.slice(0, 2)}/${a.id}.npy`);
    expect(await store.stat(a.id)).toEqual({ bytes: a.bytes });
    const back = await store.getTensor(a.id);
    expect(back.shape).toEqual([3]);
    expect(Array.from(back.data)).toEqual([1, 2, 3]);
    // The object is where the URI says: read it as a plain key from the bucket's root.
    const root = new S3BlobStore(`s3://${s3.bucket}`);
    expect((await root.get(`campaigns/a/${store.keyOf(a.id)}`)).byteLength).toBe(a.bytes);
  });

  it('stores JSON and bytes, streams reads, and reports missing objects', async () => {
    const store = new ArtifactStore(`s3://${s3.bucket}`);
    const j = await store.putJson('meta', { hello: [1, 2] });
    expect(await store.getJson(j.id)).toEqual({ hello: [1, 2] });
    const bin = await store.putBytes('w', Uint8Array.from([9, 8, 7]), '.bin');
    expect([...(await drain(await store.openRead(bin.id, '.bin')))]).toEqual([9, 8, 7]);
    expect(await store.has('0'.repeat(64))).toBe(false);
    expect(await store.stat('0'.repeat(64), '.json')).toBeNull();
    await expect(store.getTensor('0'.repeat(64))).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('writes a tensor larger than one multipart part and reads it back as a stream', async () => {
    const store = new ArtifactStore(`s3://${s3.bucket}/big`);
    const n = 3 * 1024 * 1024; // 12 MiB of float32: two parts of 8 MiB
    const data = new Float32Array(n).map((_, i) => (i % 1000) / 7);
    const ref = await store.putTensor('big', data, [n]);
    expect(ref.bytes).toBeGreaterThan(8 * 1024 * 1024);
    const bytes = await drain(await store.openRead(ref.id));
    expect(bytes.length).toBe(ref.bytes);
    const back = await store.getTensor(ref.id);
    expect(back.data[n - 1]).toBeCloseTo(((n - 1) % 1000) / 7, 4);
  });

  it('takes a stream as the body of a write', async () => {
    const blobs = new S3BlobStore(`s3://${s3.bucket}/streams`);
    await blobs.put('aa/streamed.bin', Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    expect((await blobs.get('aa/streamed.bin')).toString()).toBe('hello world');
    expect(await blobs.stat('aa/streamed.bin')).toEqual({ bytes: 11 });
  });

  it('keeps one overwritable checkpoint per key, readable by another store, until it is deleted', async () => {
    const key = 'ab'.repeat(32);
    const writer = new ArtifactStore(`s3://${s3.bucket}/ckpt`);
    const reader = new ArtifactStore(`s3://${s3.bucket}/ckpt`);
    expect(await reader.getCheckpoint(key)).toBeNull();
    await writer.putCheckpoint(key, Uint8Array.from([1, 2, 3]));
    await writer.putCheckpoint(key, Uint8Array.from([4, 5]));
    expect([...(await reader.getCheckpoint(key))!]).toEqual([4, 5]);
    await reader.deleteCheckpoint(key);
    expect(await writer.getCheckpoint(key)).toBeNull();
    await writer.deleteCheckpoint(key); // deleting what is gone is fine
    await expect(writer.putCheckpoint('not-a-hash', Uint8Array.of(1))).rejects.toThrow(/invalid checkpoint key/);
  });

  it('lets two stores share artifacts through the bucket alone', async () => {
    const writer = new ArtifactStore(`s3://${s3.bucket}/shared`);
    const reader = new ArtifactStore(`s3://${s3.bucket}/shared`);
    const other = new ArtifactStore(`s3://${s3.bucket}/elsewhere`);
    const ref = await writer.putTensor('f', Float64Array.from([Math.PI, Math.E]), [2, 1]);
    expect(Array.from((await reader.getTensor(ref.id)).data)).toEqual([Math.PI, Math.E]);
    expect(await other.has(ref.id)).toBe(false);
  });
});
