/**
 * The Python peers' virtual environment, ${PLUME_HOME:-~/.plume}/bench-venv: created (python3 -m venv)
 * and given a package (pip) on first use by the bench that needs it. Bench-only: nothing in
 * `npm test` or the product depends on it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { toolHome } from '../infra/paths.js';

export function benchVenv(): string {
  return join(toolHome(), 'bench-venv');
}

/**
 * The bench venv's python with `module` importable, installing `pipSpec` if it is not; throws with
 * what failed and the command to run by hand.
 */
export function benchPython(module: string, pipSpec: string): string {
  const venv = benchVenv();
  const py = join(venv, 'bin', 'python');
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0)
      throw new Error(
        `bench setup failed (exit ${r.status}): ${cmd} ${args.join(' ')}; run it by hand (needs python3-venv and access to PyPI), then rerun the bench`,
      );
  };
  if (!existsSync(py)) {
    console.error(`creating ${venv}`);
    run('python3', ['-m', 'venv', venv]);
  }
  if (spawnSync(py, ['-c', `import ${module}`], { stdio: 'ignore' }).status !== 0) {
    console.error(`installing ${pipSpec} into ${venv}`);
    run(py, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', pipSpec]);
  }
  return py;
}
