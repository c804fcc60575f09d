/** Run the `plume` command in a child process against a test's stack; collect exit code and output. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../infra/paths.js';
import { childEnv, type TestEnv } from './test-stack.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export function runPlumeCli(env: TestEnv, args: string[], opts: { env?: Record<string, string>; unset?: string[]; cwd?: string } = {}): Promise<CliResult> {
  const e = childEnv(env, opts.env);
  for (const k of opts.unset ?? []) delete e[k];
  const child = spawn(process.execPath, [path.join(projectRoot(), 'bin', 'plume.mjs'), ...args], { env: e, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  return new Promise((r) => child.on('exit', (c) => r({ code: c ?? -1, out, err })));
}
