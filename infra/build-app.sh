#!/usr/bin/env bash
# Builds Plume as a self-contained JavaScript application in OUT (default dist/app): what the
# images run (Dockerfile), with no TypeScript compiler or loader at run time.
#
#   bash infra/build-app.sh [OUT] [cpu|gpu|none]
#
#   1. tsc -p tsconfig.build.json (the application, no tests or benchmarks) into OUT
#   2. the files the code reads at run time: db/migrations, dashboard/public, package*.json, the
#      compute-thread and embedded-database-thread entries and the `plume` entry point (all
#      without the tsx loader)
#   3. production dependencies only: npm ci --omit=dev --ignore-scripts in OUT
#   4. the native TensorFlow binding (infra/native-tensorflow/build-binding.sh cpu|gpu, cached in
#      ${PLUME_HOME:-~/.plume}/tfjs-native) unless the second argument is `none`
#   5. the workflow bundle, prebuilt into OUT/cache (workers start without webpack)
#   6. smoke test: `node OUT/bin/plume.mjs --help`
# CI runs this script in a clean temporary directory (test/infra/build-app.test.ts); the Dockerfile
# runs the same script, so the image's steps are exercised without a container runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="$(realpath -m "${1:-dist/app}")"
NATIVE="${2:-cpu}"
log() { printf '[build-app] %s\n' "$*" >&2; }

log "compiling TypeScript into $OUT"
rm -rf "$OUT"
npx tsc -p tsconfig.build.json --outDir "$OUT"

log "copying run-time files"
mkdir -p "$OUT/db" "$OUT/dashboard" "$OUT/bin" "$OUT/infra/native-tensorflow"
cp -r db/migrations "$OUT/db/migrations"
cp -r dashboard/public "$OUT/dashboard/public"
cp package.json package-lock.json "$OUT/"
cp -r infra/native-tensorflow/build-binding.sh infra/native-tensorflow/quiet-load "$OUT/infra/native-tensorflow/"
# The compute-thread and database-thread entries and the CLI entry, as plain JavaScript (no tsx).
sed -e '/tsx\/esm\/api/d' -e '/^register();$/d' -e "s#'./dispatch.ts'#'./dispatch.js'#" compute/thread-entry.mjs > "$OUT/compute/thread-entry.mjs"
grep -q "dispatch.js" "$OUT/compute/thread-entry.mjs" || { log "compute/thread-entry.mjs changed shape: update this script"; exit 1; }
sed -e '/tsx\/esm\/api/d' -e '/^register();$/d' -e "s#'./embedded-server.ts'#'./embedded-server.js'#" db/embedded-thread-entry.mjs > "$OUT/db/embedded-thread-entry.mjs"
grep -q "embedded-server.js" "$OUT/db/embedded-thread-entry.mjs" || { log "db/embedded-thread-entry.mjs changed shape: update this script"; exit 1; }
cat > "$OUT/bin/plume.mjs" <<'JS'
#!/usr/bin/env node
// Entry point of the `plume` command, compiled build (infra/build-app.sh).
await import('../cli/main.js');
JS
chmod +x "$OUT/bin/plume.mjs"

log "installing production dependencies"
(cd "$OUT" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error)

if [ "$NATIVE" != "none" ]; then
  log "native TensorFlow binding ($NATIVE)"
  bash "$OUT/infra/native-tensorflow/build-binding.sh" "$NATIVE"
fi

log "prebuilding the workflow bundle"
(cd "$OUT" && PLUME_STATE_DIR="$OUT" node -e "import('./worker/workflow-bundle.js').then((m) => m.workflowBundle())")
ls "$OUT"/cache/workflow-bundle-*.js >/dev/null

log "smoke test"
node "$OUT/bin/plume.mjs" --help >/dev/null
log "done: node $OUT/bin/plume.mjs"
