/** Artifact store faults: leftover temporary files are swept; an unwritable root is named with the fix. */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtifactStore, StoreWriteError } from '../../artifacts/store.js';

describe('artifact store faults', () => {
  it("sweeps temporary files of dead writers, keeps a live writer's", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'plume-store-'));
    const store = new ArtifactStore(root);
    await store.putJson('x', { a: 1 });
    mkdirSync(path.join(root, 'ab'), { recursive: true });
    const dead = path.join(root, 'ab', `${'a'.repeat(64)}.npy.999999999.k3j.tmp`); // no such pid
    const live = path.join(root, 'ab', `${'b'.repeat(64)}.npy.${process.pid}.k3j.tmp`);
    writeFileSync(dead, '');
    writeFileSync(live, 'partial');
    expect(await store.sweepTemporaryFiles()).toBe(1);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    // Old enough, any writer's temp file goes.
    expect(await store.sweepTemporaryFiles(0)).toBe(1);
    expect(existsSync(live)).toBe(false);
  });

  it('maps an unwritable root to a StoreWriteError naming the path and the fix', async () => {
    // A root under a regular file cannot be created by anyone, root included.
    const base = mkdtempSync(path.join(os.tmpdir(), 'plume-store-'));
    writeFileSync(path.join(base, 'file'), '');
    const err = await new ArtifactStore(path.join(base, 'file', 'artifacts')).checkWritable().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreWriteError);
    expect((err as Error).message).toMatch(/artifact store .*file\/artifacts lies under a file, not a folder \(ENOTDIR .*PLUME_ARTIFACTS/);
    expect(await new ArtifactStore(path.join(base, 'ok')).checkWritable()).toBeUndefined();
  });
});
