import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from '../../artifacts/npy.js';
import { ArtifactStore } from '../../artifacts/store.js';

describe('.npy encoding (NPY format 1.0, readable by numpy.load)', () => {
  it('writes the magic, version, a 64-byte aligned header and C-order little-endian data', () => {
    const data = Float32Array.from([1.5, -2, 3.25, 4, 5, 6]);
    const buf = encodeNpy(data, [2, 3]);
    expect([...buf.subarray(0, 6)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
    expect([buf[6], buf[7]]).toEqual([1, 0]);
    const headerLen = buf.readUInt16LE(8);
    expect((10 + headerLen) % 64).toBe(0);
    const header = buf.toString('latin1', 10, 10 + headerLen);
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect(buf.readFloatLE(10 + headerLen + 4 * 2)).toBe(3.25);
  });

  it('round-trips float32, float64 and int32 of any rank, including 1-D and scalars', () => {
    const cases: [Float32Array | Float64Array | Int32Array, number[]][] = [
      [Float64Array.from([Math.PI, -1e-300]), [2]],
      [Int32Array.from([1, -2, 3, 2 ** 31 - 1]), [2, 1, 2]],
      [new Float32Array(24).map((_, i) => i / 7), [2, 3, 4]],
      [Float64Array.from([42]), []],
    ];
    for (const [data, shape] of cases) {
      const back = decodeNpy(encodeNpy(data, shape));
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data)).toEqual(Array.from(data));
      expect(back.data.constructor).toBe(data.constructor);
    }
    expect(encodeNpy(Float64Array.from([1, 2, 3]), [3]).toString('latin1')).toContain("'shape': (3,)");
  });

  it('refuses a shape that does not match the data and files that are not .npy', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/holds 6 values but the array has 5/);
    expect(() => decodeNpy(Buffer.from('hello world'))).toThrow(/not a \.npy file/);
  });
});

describe('ArtifactStore on the local filesystem', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'plume-art-'));
  const store = new ArtifactStore(root);

  it('is content addressed: same bytes, same id and one file', async () => {
    const a = await store.putTensor('x', Float32Array.from([1, 2, 3]), [3]);
    const b = await store.putTensor('y', Float32Array.from([1, 2, 3]), [3]);
    const c = await store.putTensor('x', Float32Array.from([1, 2, 4]), [3]);
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
    expect(a.id).toMatch(/^[0-9a-f]{64}$/);
    expect(store.keyOf(a.id)).toBe(`${a.id.slice(0, 2)}/${a.id}.npy`);
    expect(a.uri).toBe(`file://${path.join(root, a.id.slice(0, 2), `${a.id}.npy`)}`);
    expect(readFileSync(path.join(root, store.keyOf(a.id))).length).toBe(a.bytes);
    expect(Array.from((await store.getTensor(c.id)).data)).toEqual([1, 2, 4]);
  });

  it('stores JSON and bytes, and refuses ids that could escape the store', async () => {
    const j = await store.putJson('meta', { a: 1 });
    expect(await store.getJson(j.id)).toEqual({ a: 1 });
    expect(() => store.keyOf('../../etc/passwd')).toThrow(/invalid artifact id/);
    expect(() => store.keyOf('a'.repeat(64), '/../x')).toThrow(/invalid artifact extension/);
    expect(await store.has('0'.repeat(64))).toBe(false);
  });
});
