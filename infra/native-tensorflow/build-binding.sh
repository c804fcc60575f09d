#!/usr/bin/env bash
# Builds the native TensorFlow binding of TensorFlow.js from package registries alone and links it
# into this checkout's node_modules, so the `tensorflow` backend loads (see models/backend.ts).
#
#   bash infra/native-tensorflow/build-binding.sh cpu   # @tensorflow/tfjs-node      (setup runs this)
#   bash infra/native-tensorflow/build-binding.sh gpu   # @tensorflow/tfjs-node-gpu  (GPU worker images)
#
# The packages' own install scripts download a prebuilt libtensorflow from a host outside the
# registries; we don't need it. The TensorFlow wheel on PyPI ships the C and eager C APIs that the
# binding links against (tensorflow/libtensorflow_cc.so.2, libtensorflow_framework.so.2, headers
# under tensorflow/include/). Steps, shared by both variants:
#   1. `npm pack` the tfjs-node package (registry tarball) and install its runtime dependencies
#      (except @tensorflow/tfjs, which must stay the checkout's single copy) inside it;
#   2. `pip download` the TensorFlow wheel as a file (nothing is installed into any Python) and
#      unpack the two libraries and the headers into the package's deps/;
#   3. compile the binding with the node-gyp that npm bundles, against this Node's headers;
#   4. smoke-test it, mark the cache complete;
#   5. build the quiet loader (quiet-load/, a few lines of C: loads TensorFlow with its start-up
#      notices captured) beside it, and link both into node_modules.
# The result is cached outside the repository in ${PLUME_HOME:-~/.plume}/tfjs-native/<key>, keyed by
# variant, tfjs-node version, TensorFlow version, Node ABI and architecture: a second run (or a second
# clone on the machine) only re-links, in about a second.
#
# GPU (`gpu`): the same steps with @tensorflow/tfjs-node-gpu and the CUDA-enabled `tensorflow` wheel,
# plus NVIDIA's CUDA/cuDNN wheels from PyPI (the wheel's `and-cuda` extra), unpacked beside the
# libraries where their RUNPATH looks for them. It cannot be run or tested on a machine without an
# NVIDIA GPU and driver (this repository's CI has none); everything but the CUDA wheels is the CPU
# path, which setup and CI run. Use it in the GPU worker image (see the Dockerfile).
#
# Exit status: 0 when the binding is linked and loads; non-zero with a message naming the failed
# step otherwise (Plume then runs on the wasm backend).
set -euo pipefail
cd "$(dirname "$0")/../.."
variant="${1:-cpu}"
PLUME_HOME="${PLUME_HOME:-$HOME/.plume}"
TF_VERSION="${PLUME_TF_VERSION:-2.21.0}"
log() { printf '[native-tensorflow] %s\n' "$*" >&2; }
fail() { log "FAILED at step '$1': $2"; log "Plume keeps working on the wasm backend; rerun 'npm run setup' after fixing this."; exit 1; }

case "$variant" in
  cpu) pkg="@tensorflow/tfjs-node"; wheel="tensorflow-cpu" ;;
  gpu) pkg="@tensorflow/tfjs-node-gpu"; wheel="tensorflow" ;;
  *) log "usage: $0 cpu|gpu"; exit 2 ;;
esac
[ "$(uname -s)" = "Linux" ] || fail "platform" "only Linux is supported by this recipe (macOS/Windows: use the package's own prebuilt install)"
arch="$(uname -m)"
[ "$arch" = "x86_64" ] || fail "platform" "the TensorFlow wheel's C API is used on x86_64 only here (got $arch)"

tfjs_version="$(node -p "(require('./package-lock.json').packages['node_modules/$pkg'] || {}).version || ''")"
[ -n "$tfjs_version" ] || fail "versions" "$pkg is not in package-lock.json (it must stay an optional dependency)"
abi="$(node -p process.versions.modules)"
napi=8 # highest N-API version the package declares (binary.napi_versions); Node >= 20 supports it
key="${variant}-tfjs${tfjs_version}-tf${TF_VERSION}-node-abi${abi}-${arch}"
cache="$PLUME_HOME/tfjs-native/$key"
dest="node_modules/$pkg"

smoke_test() { # $1: package dir to require
  # The cached package has no @tensorflow/* of its own (see step 1): it resolves this checkout's.
  NODE_PATH="$PWD/node_modules" node -e "
    const tf = require('$1');
    if (tf.getBackend() !== 'tensorflow') throw new Error('backend is ' + tf.getBackend());
    const y = tf.matMul(tf.ones([8, 8]), tf.ones([8, 8])).dataSync();
    if (y[0] !== 8) throw new Error('matMul gave ' + y[0]);
    console.log(tf.version['tfjs-node'] + ' on TensorFlow ' + tf.backend().binding.TF_Version);
  " 2>&1 | grep -v 'cpu_feature_guard\|oneDNN custom operations\|rebuild TensorFlow\|^WARNING: All log messages\|^I0000\|E0000' || true
}

find_node_gyp() { # sets node_gyp and nodedir: npm's bundled node-gyp and this Node's headers
  local npm_root
  npm_root="$(dirname "$(readlink -f "$(command -v npm)")")/.."
  node_gyp="$npm_root/node_modules/node-gyp/bin/node-gyp.js"
  [ -f "$node_gyp" ] || fail "node-gyp" "npm's bundled node-gyp was not found at $node_gyp"
  nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  [ -f "$nodedir/include/node/node_api.h" ] || fail "node-gyp" "Node's headers are not in $nodedir/include/node (install your distribution's nodejs development headers)"
  command -v g++ >/dev/null && command -v make >/dev/null || fail "node-gyp" "a C++ compiler and make are needed (Debian: apt-get install g++ make)"
}

if [ ! -f "$cache/.complete" ]; then
  log "building $pkg@$tfjs_version against TensorFlow $TF_VERSION (Node ABI $abi); about 2-3 minutes, once"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  rm -rf "$cache.partial"
  mkdir -p "$cache.partial"

  # 1. the package and its runtime dependencies
  (cd "$work" && npm pack "$pkg@$tfjs_version" --silent >/dev/null) || fail "npm pack" "could not fetch $pkg@$tfjs_version from the npm registry"
  tar xzf "$work"/*.tgz -C "$cache.partial" || fail "npm pack" "could not unpack the $pkg tarball"
  pkgdir="$cache.partial/package"
  # Without its install script (it downloads libtensorflow) and without @tensorflow/* dependencies:
  # those must resolve to the checkout's copies, or two TensorFlow.js engines would be loaded.
  node -e "
    const fs = require('fs'), f = '$pkgdir/package.json', p = JSON.parse(fs.readFileSync(f, 'utf8'));
    delete p.scripts; delete p.devDependencies;
    for (const n of Object.keys(p.dependencies)) if (n.startsWith('@tensorflow/')) delete p.dependencies[n];
    fs.writeFileSync(f, JSON.stringify(p, null, 2));"
  (cd "$pkgdir" && npm install --no-package-lock --ignore-scripts --omit=dev --omit=peer --no-audit --no-fund --loglevel=error >/dev/null) \
    || fail "runtime dependencies" "npm could not install the runtime dependencies of $pkg"
  [ ! -e "$pkgdir/node_modules/@tensorflow" ] || fail "runtime dependencies" "a nested @tensorflow package was installed; it would shadow the checkout's TensorFlow.js"

  # 2. the TensorFlow C API from the wheel
  pyver="3.11"
  python="$(command -v python3 || command -v python || true)"
  [ -n "$python" ] || fail "pip download" "python3 (with pip) is needed to fetch the TensorFlow wheel from PyPI"
  "$python" -m pip download --quiet --no-deps --only-binary=:all: --python-version "$pyver" --implementation cp \
      --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 -d "$work/wheels" "$wheel==$TF_VERSION" \
    || fail "pip download" "could not download $wheel==$TF_VERSION from PyPI"
  mkdir -p "$pkgdir/deps/lib"
  "$python" - "$work"/wheels/*.whl "$pkgdir/deps" <<'PY' || fail "unpack wheel" "the wheel does not contain the TensorFlow C API where expected"
import sys, zipfile, os, shutil
whl, deps = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(whl)
libs = ['tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2']
for name in libs:
    with z.open(name) as src, open(os.path.join(deps, 'lib', os.path.basename(name)), 'wb') as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
n = 0
for info in z.infolist():
    if info.filename.startswith('tensorflow/include/') and not info.is_dir():
        target = os.path.join(deps, 'include', info.filename[len('tensorflow/include/'):])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(info) as src, open(target, 'wb') as dst:
            shutil.copyfileobj(src, dst)
        n += 1
for h in ['tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h']:
    if not os.path.exists(os.path.join(deps, 'include', h)):
        sys.exit('missing header ' + h)
print(f'{n} headers', file=sys.stderr)
PY
  # The binding links -ltensorflow -ltensorflow_framework; the loader then asks for the SONAMEs.
  (cd "$pkgdir/deps/lib" && ln -sf libtensorflow_cc.so.2 libtensorflow.so && ln -sf libtensorflow_cc.so.2 libtensorflow.so.2 \
    && ln -sf libtensorflow_framework.so.2 libtensorflow_framework.so)

  if [ "$variant" = "gpu" ]; then
    # NVIDIA's CUDA/cuDNN wheels named by the wheel's `and-cuda` extra, unpacked as deps/nvidia/<lib>/lib
    # (libtensorflow_framework's RUNPATH looks in $ORIGIN/../nvidia/*/lib, and deps/lib is its $ORIGIN).
    reqs="$("$python" - "$work"/wheels/*.whl <<'PY'
import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
meta = next(n for n in z.namelist() if n.endswith('.dist-info/METADATA'))
for line in z.read(meta).decode().splitlines():
    m = re.match(r'Requires-Dist: (nvidia-[^;]+);.*extra == "and-cuda"', line)
    if m: print(m.group(1).replace(' ', ''))
PY
)"
    [ -n "$reqs" ] || fail "cuda wheels" "the $wheel wheel names no and-cuda requirements"
    # shellcheck disable=SC2086
    "$python" -m pip download --quiet --no-deps --only-binary=:all: --python-version "$pyver" --implementation cp \
        --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
        -d "$work/cuda" $reqs || fail "cuda wheels" "could not download $reqs"
    for w in "$work"/cuda/*.whl; do (cd "$pkgdir/deps" && "$python" -m zipfile -e "$w" .); done
  fi

  # 3. compile the binding
  find_node_gyp
  (cd "$pkgdir" && node "$node_gyp" rebuild --nodedir="$nodedir" -j "$(nproc)" \
      --module_name=tfjs_binding --module_path="$pkgdir/lib/napi-v$napi" --napi_build_version="$napi" >"$work/gyp.log" 2>&1) \
    || { tail -30 "$work/gyp.log" >&2; fail "node-gyp" "the binding did not compile (log above)"; }
  [ -f "$pkgdir/lib/napi-v$napi/tfjs_binding.node" ] || { tail -30 "$work/gyp.log" >&2; fail "node-gyp" "no lib/napi-v$napi/tfjs_binding.node after the build (log above)"; }

  # 4. smoke test in place
  out="$(smoke_test "$pkgdir")"
  echo "$out" | grep -q "on TensorFlow" || fail "smoke test" "the built binding does not run: $out"
  rm -rf "$pkgdir/build" "$pkgdir/binding" "$pkgdir/src" "$pkgdir/deps/include"
  printf 'variant=%s\npackage=%s@%s\ntensorflow=%s\nnode_abi=%s\n' "$variant" "$pkg" "$tfjs_version" "$TF_VERSION" "$abi" > "$pkgdir/.complete"
  rm -rf "$cache"
  mv "$pkgdir" "$cache"
  rm -rf "$cache.partial"
  log "built: $out"
fi

# 5. the quiet loader (quiet-load/): models/backend.ts loads TensorFlow through it so the notices the
# library prints from its static initialisers (oneDNN, absl) are captured and filtered, not shown.
# Rebuilt (in about a second) whenever its source changes. Optional: if it does not compile, the
# binding still works (Plume loads the library directly and TensorFlow's notices show).
quiet_src="infra/native-tensorflow/quiet-load"
quiet_hash="$(cat "$quiet_src/quiet_load.c" "$quiet_src/binding.gyp" | sha256sum | cut -c1-16)"
if [ "$(cat "$cache/lib/plume-quiet-load.hash" 2>/dev/null)" != "$quiet_hash" ]; then
  find_node_gyp
  qwork="$(mktemp -d)"
  cp "$quiet_src/quiet_load.c" "$quiet_src/binding.gyp" "$qwork/"
  if (cd "$qwork" && node "$node_gyp" rebuild --nodedir="$nodedir" >"$qwork/gyp.log" 2>&1); then
    cp "$qwork/build/Release/quiet_load.node" "$cache/lib/plume-quiet-load.node"
    echo "$quiet_hash" > "$cache/lib/plume-quiet-load.hash"
  else
    tail -20 "$qwork/gyp.log" >&2
    log "warning: the quiet loader (infra/native-tensorflow/quiet-load) did not compile (log above); native TensorFlow works, but prints its start-up notices"
  fi
  rm -rf "$qwork"
fi

# Link: copy the small JavaScript part into node_modules (so require('@tensorflow/tfjs') from it
# resolves to the checkout's single copy) and symlink the large libraries from the cache.
if [ ! -f "$dest/.plume-native" ] || [ "$(cat "$dest/.plume-native")" != "$key" ] \
  || ! cmp -s "$cache/lib/plume-quiet-load.hash" "$dest/lib/plume-quiet-load.hash"; then
  rm -rf "$dest"
  mkdir -p "$dest"
  (cd "$cache" && tar cf - --exclude=./deps --exclude=./.complete .) | (cd "$dest" && tar xf -)
  ln -s "$cache/deps" "$dest/deps"
  echo "$key" > "$dest/.plume-native"
fi
out="$(smoke_test "$PWD/$dest")"
echo "$out" | grep -q "on TensorFlow" || fail "link" "the cached binding does not load from $dest: $out"
log "$pkg: $out ($cache)"
