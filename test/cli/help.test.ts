/** `plume --help` lists every command and prints no warning (commands load lazily: no TensorFlow, no Temporal). */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/paths.js';

describe('plume --help', () => {
  it('lists the commands and warns about nothing', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(projectRoot(), 'bin', 'plume.mjs'), '--help'], {
      env: { ...process.env, NODE_DEBUG: '' },
    });
    for (const c of ['run', 'status', 'list', 'export', 'query', 'report', 'ui', 'dashboard']) expect(stdout).toMatch(new RegExp(`\\n  ${c}\\b`));
    expect(stderr).toBe('');
  });
});
