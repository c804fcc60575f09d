/** The Temporal UI port is stable per state dir: 8233 when free, remembered, reused; another one only when it is taken. */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portListening } from '../../infra/free-port.js';
import { DEFAULT_TEMPORAL_UI_PORT, rememberedUiPort, stableUiPort, temporalWorkflowUrl } from '../../infra/temporal-ui-port.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'plume-uiport-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('stable Temporal UI port', () => {
  it('picks 8233 when free (else a free port), remembers it and reuses it', async () => {
    const taken = await portListening(DEFAULT_TEMPORAL_UI_PORT);
    const first = await stableUiPort(dir);
    if (!taken) expect(first).toBe(DEFAULT_TEMPORAL_UI_PORT);
    expect(await rememberedUiPort(dir)).toBe(first);
    expect(await stableUiPort(dir)).toBe(first);
  });

  it('moves to another port (and remembers that) only when the remembered one is taken', async () => {
    const port = (await rememberedUiPort(dir))!;
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const moved = await stableUiPort(dir);
      expect(moved).not.toBe(port);
      expect(await rememberedUiPort(dir)).toBe(moved);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });

  it('builds workflow links', () => {
    expect(temporalWorkflowUrl('http://127.0.0.1:8233/', 'default', 'campaign-a b')).toBe('http://127.0.0.1:8233/namespaces/default/workflows/campaign-a%20b');
    expect(temporalWorkflowUrl(null, 'default', 'w')).toBeNull();
  });
});
