#!/usr/bin/env bash
# One-time (idempotent, quick when done) set-up of a Plume checkout:
#   1. npm ci (skipped when node_modules matches package-lock.json)
#   2. the `temporal` CLI/dev server: on PATH, in ${PLUME_HOME:-~/.plume}/bin or .tools/bin, else
#      built from the Go module proxy into ${PLUME_HOME}/bin (outside the repo, reused by clones)
#   3. native TensorFlow for TensorFlow.js (@tensorflow/tfjs-node), built once from the PyPI
#      TensorFlow wheel's C API with node-gyp and cached in ${PLUME_HOME}/tfjs-native
#      (infra/native-tensorflow/build-binding.sh); if it cannot be built Plume runs on wasm.
#      PLUME_NATIVE_TENSORFLOW=0 skips it.
#   4. with --for-tests: the system packages the test suite drives (PostgreSQL server, Prometheus
#      with promtool, Chromium, and the C++ toolchain the native build needs), installed with
#      apt-get when missing and we are root; the native build is then required (the suite runs
#      the models on it).
set -euo pipefail
cd "$(dirname "$0")/.."
PLUME_HOME="${PLUME_HOME:-$HOME/.plume}"
TEMPORAL_MODULE="github.com/temporalio/cli/cmd/temporal@v1.5.1"
log() { printf '[setup] %s\n' "$*" >&2; }

# 1. Node packages
stamp="node_modules/.plume-lock-hash"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  log "node_modules up to date"
else
  log "npm ci"
  if ! npm ci --no-audit --no-fund --loglevel=error; then
    # Some npm 11 releases reject a lock file without other platforms' optional packages (here
    # @swc/core's); install from the same lock file instead.
    log "npm ci refused the lock file; falling back to npm install (same lock file)"
    npm install --no-audit --no-fund --loglevel=error
  fi
  echo "$want" > "$stamp"
fi

# 2. Temporal CLI
temporal_bin=""
for c in "${PLUME_TEMPORAL_BIN:-}" "$(command -v temporal 2>/dev/null || true)" "$PLUME_HOME/bin/temporal" "$PWD/.tools/bin/temporal"; do
  if [ -n "$c" ] && [ -x "$c" ]; then temporal_bin="$c"; break; fi
done
if [ -z "$temporal_bin" ]; then
  if ! command -v go >/dev/null 2>&1; then
    log "the Temporal CLI is missing and Go is not installed."
    log "Install Go (https://go.dev/doc/install) and rerun, or install the Temporal CLI"
    log "(https://docs.temporal.io/cli#install) and put 'temporal' on PATH."
    exit 1
  fi
  log "building the Temporal CLI ($TEMPORAL_MODULE) into $PLUME_HOME/bin (a few minutes, once)"
  mkdir -p "$PLUME_HOME/bin"
  GOBIN="$PLUME_HOME/bin" GOFLAGS=-mod=mod go install "$TEMPORAL_MODULE"
  temporal_bin="$PLUME_HOME/bin/temporal"
fi
log "temporal: $temporal_bin ($("$temporal_bin" --version 2>/dev/null | head -1))"

# 3. System packages for the test suite
for_tests=0
[ "${1:-}" = "--for-tests" ] && for_tests=1
if [ "$for_tests" = 1 ]; then
  missing=()
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  command -v make >/dev/null 2>&1 || missing+=(make)
  python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      log "installing ${missing[*]} (apt-get)"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
      # Debian starts packaged services on install; the tests start their own on free ports.
      systemctl stop prometheus postgresql >/dev/null 2>&1 || service prometheus stop >/dev/null 2>&1 || true
      pkill -x prometheus >/dev/null 2>&1 || true
    else
      log "missing for the full test suite: ${missing[*]} (install them with your package manager)"
    fi
  fi
fi
# 3b. moto's S3 server, helm, kubeconform and Kubernetes schemas for the cluster/chart tests
[ "$for_tests" = 1 ] && bash infra/cluster-tools.sh
# 4. Native TensorFlow
if [ "${PLUME_NATIVE_TENSORFLOW:-1}" = "0" ]; then
  log "native TensorFlow skipped (PLUME_NATIVE_TENSORFLOW=0): ML runs on wasm"
elif ! bash infra/native-tensorflow/build-binding.sh cpu; then
  if [ "$for_tests" = 1 ]; then
    log "the test suite runs the models on native TensorFlow; fix the step named above (or set PLUME_NATIVE_TENSORFLOW=0 to test on wasm only)"
    exit 1
  fi
  log "continuing without native TensorFlow: ML runs on wasm"
fi
log "done"
