/** The surrogate-training task's row selection: the first n rows, or listed rows (surrogates campaigns), with fields and normalised observations. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../../artifacts/store.js';
import { loadSplit } from '../../../kinds/inversion/tasks/train-surrogate.js';

describe('train-surrogate loadSplit', () => {
  it('picks rows of params, observations (min-max normalised) and fields in the listed order', async () => {
    const store = new ArtifactStore(mkdtempSync(path.join(os.tmpdir(), 'plume-rows-')));
    const n = 4;
    const d = 2;
    const m = 3;
    const cells = 6;
    // Row r: params [r, 10 r], observations [r, 2 r, 3 r], field filled with r.
    const params = await store.putTensor(
      'p',
      Float64Array.from({ length: n * d }, (_, k) => (k % d === 0 ? 1 : 10) * Math.floor(k / d)),
      [n, d],
    );
    const obs = await store.putTensor(
      'o',
      Float32Array.from({ length: n * m }, (_, k) => ((k % m) + 1) * Math.floor(k / m)),
      [n, m],
    );
    const field = await store.putTensor(
      'f',
      Float32Array.from({ length: n * cells }, (_, k) => Math.floor(k / cells)),
      [n, 2, 3],
    );
    const split = { params: params.id, obs: obs.id, field: field.id, n };
    const bounds = { min: [0, 0, 0], max: [3, 6, 9] };

    const picked = await loadSplit(store, split, d, m, bounds, undefined, [3, 1]);
    expect(picked.n).toBe(2);
    expect(Array.from(picked.params)).toEqual([3, 30, 1, 10]);
    expect(Array.from(picked.y)).toEqual([1, 1, 1, 1 / 3, 1 / 3, 1 / 3].map((v) => Math.fround(v)));
    expect(Array.from(picked.fields!)).toEqual([3, 3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1]);

    const first = await loadSplit(store, split, d, m, bounds, 2);
    expect(first.n).toBe(2);
    expect(Array.from(first.params)).toEqual([0, 0, 1, 10]);
    await expect(loadSplit(store, split, d, m, bounds, undefined, [4])).rejects.toThrow(/training row 4 is outside the split's 4 samples/);
  });
});
