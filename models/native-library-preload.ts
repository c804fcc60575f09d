/**
 * Loads native TensorFlow's library before its binding, with the notices it prints from static
 * initialisers kept off the terminal. Those lines (absl's "All log messages before
 * absl::InitializeLog()" warning and "oneDNN custom operations are on") go straight to file
 * descriptor 2 before any log level applies; the quiet loader built beside the binding
 * (infra/native-tensorflow/quiet-load) captures them while the library loads. Anything else the
 * library printed is passed on to stderr unchanged.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Start-up lines of the TensorFlow library that carry no information for a Plume user. */
const START_UP_NOTICES: readonly RegExp[] = [/^WARNING: All log messages before absl::InitializeLog\(\) is called/, /oneDNN custom operations are on/];

interface QuietLoader {
  preload(libraryPath: string): { loaded: boolean; error: string | null; stderr: string };
}

/** The captured text without the known start-up notices (empty when nothing else was printed). */
export function withoutStartUpNotices(captured: string): string {
  const rest = captured.split('\n').filter((line) => line.trim() !== '' && !START_UP_NOTICES.some((notice) => notice.test(line)));
  return rest.length > 0 ? rest.join('\n') + '\n' : '';
}

/**
 * Preloads `pkg`'s TensorFlow library quietly. Returns false (and loads nothing) when the package
 * has no quiet loader, e.g. a build from before it existed: the binding then loads the library
 * itself and the notices show. A library that fails to load is left to the binding's own require,
 * which reports the error.
 */
export function preloadNativeLibrary(pkg: string): boolean {
  let dir: string;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return false;
  }
  const loaderPath = path.join(dir, 'lib', 'plume-quiet-load.node');
  const libraryPath = path.join(dir, 'deps', 'lib', 'libtensorflow_cc.so.2');
  if (!existsSync(loaderPath) || !existsSync(libraryPath)) return false;
  const loader = require(loaderPath) as QuietLoader;
  const result = loader.preload(libraryPath);
  const rest = withoutStartUpNotices(result.stderr);
  if (rest) process.stderr.write(rest);
  return result.loaded;
}
