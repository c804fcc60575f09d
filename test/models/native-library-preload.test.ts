/**
 * Native TensorFlow starts with oneDNN's custom operations on (TensorFlow's x86 default) and its
 * load-time notices off the terminal: the quiet loader captures them, Plume filters them.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/paths.js';
import { withoutStartUpNotices } from '../../models/native-library-preload.js';

const require = createRequire(import.meta.url);
const tfjsNodeDir = path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));

/** Runs an ES module snippet in a fresh Node process (TypeScript through tsx), with `env` added. */
async function runFresh(code: string, env: Record<string, string | undefined> = {}): Promise<{ stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  return promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: projectRoot(), env: childEnv });
}

describe('native TensorFlow start-up', () => {
  it('filters only the known start-up notices out of captured text', () => {
    const captured = [
      'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR',
      'I0000 00:00:1796227527.523763   29653 port.cc:153] oneDNN custom operations are on. You may see slightly different numerical results',
      'E0000 something real went wrong',
      '',
    ].join('\n');
    expect(withoutStartUpNotices(captured)).toBe('E0000 something real went wrong\n');
    expect(withoutStartUpNotices('')).toBe('');
  });

  it('loads with oneDNN on by default and prints nothing to stderr', async () => {
    // The raw loader shows what TensorFlow prints as it loads: the oneDNN notice, so oneDNN is on.
    const loader = pathToFileURL(path.join(tfjsNodeDir, 'lib', 'plume-quiet-load.node')).href;
    const raw = await runFresh(
      `import { createRequire } from 'node:module';
       const q = createRequire(import.meta.url)(new URL('${loader}').pathname);
       const r = q.preload(${JSON.stringify(path.join(tfjsNodeDir, 'deps', 'lib', 'libtensorflow_cc.so.2'))});
       console.log(JSON.stringify(r));`,
      { TF_ENABLE_ONEDNN_OPTS: undefined },
    );
    const preloaded = JSON.parse(raw.stdout) as { loaded: boolean; error: string | null; stderr: string };
    expect(preloaded).toMatchObject({ loaded: true, error: null });
    expect(preloaded.stderr).toMatch(/oneDNN custom operations are on/);
    expect(raw.stderr).toBe('');

    // Through Plume's backend selection: the same library, a convolution trained one step, a clean stderr.
    const backend = pathToFileURL(path.join(projectRoot(), 'models', 'backend.ts')).href;
    const tfModule = pathToFileURL(path.join(projectRoot(), 'models', 'tf.ts')).href;
    const run = await runFresh(
      `const { initBackend } = await import('${backend}');
       const { tf } = await import('${tfModule}');
       const info = await initBackend('tensorflow');
       const x = tf.randomNormal([4, 16, 16, 3], 0, 1, 'float32', 1);
       const k = tf.variable(tf.randomNormal([3, 3, 3, 8], 0, 1, 'float32', 2));
       const { value } = tf.variableGrads(() => tf.conv2d(x, k, 1, 'same').square().mean());
       console.log(info.name, Number.isFinite(value.dataSync()[0]));`,
      { TF_ENABLE_ONEDNN_OPTS: undefined, PLUME_BACKEND: undefined, TF_CPP_MIN_LOG_LEVEL: undefined },
    );
    expect(run.stdout.trim()).toBe('tensorflow true');
    expect(run.stderr).toBe('');
  });
});
