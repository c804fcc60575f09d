/**
 * Content-addressed artifact store. Big tensors live here as `.npy` files named by the sha256 of
 * their bytes (`<root>/<ab>/<sha256>.npy`), never in the database. Writing the same tensor twice is
 * a no-op, so activities can retry freely. Non-tensor blobs (model weights, JSON) use `putBytes`.
 *
 * Root: `PLUME_ARTIFACTS` or `.plume/artifacts` under the working directory.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
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

  private async putRaw(kind: string, buf: Uint8Array, ext: string): Promise<ArtifactRef> {
    const id = createHash('sha256').update(buf).digest('hex');
    const file = this.pathOf(id, ext);
    const ref: ArtifactRef = { id, kind, dtype: 'bytes', shape: [buf.byteLength], bytes: buf.byteLength, uri: `file://${file}` };
    if (await this.has(id, ext)) return ref;
    await mkdir(path.dirname(file), { recursive: true });
    // Write to a temp name and rename: readers never see a half-written file.
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, buf);
    await rename(tmp, file);
    return ref;
  }
}
