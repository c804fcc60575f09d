#!/usr/bin/env bash
# Tools the cluster, chart and object-store tests drive (run by `infra/setup.sh --for-tests`;
# idempotent, quick when done). Everything goes to ${PLUME_HOME:-~/.plume}, outside the repo:
#   s3-server/                moto's S3-compatible server (PyPI, in a venv) for the S3 artifact store
#   bin/helm, bin/kubeconform built from the Go module proxy (`helm lint`, `helm template | kubeconform`)
#   kubernetes-schemas/<ver>/ strict JSON schemas of the core kinds, generated offline from the
#                             k8s.io/api Go types (infra/kubernetes-schemas), for kubeconform
set -euo pipefail
cd "$(dirname "$0")/.."
PLUME_HOME="${PLUME_HOME:-$HOME/.plume}"
MOTO_VERSION="5.2.5"
HELM_MODULE="helm.sh/helm/v3/cmd/helm@v3.22.0"
KUBECONFORM_MODULE="github.com/yannh/kubeconform/cmd/kubeconform@v0.7.0"
log() { printf '[cluster-tools] %s\n' "$*" >&2; }

# moto's server in a venv
venv="$PLUME_HOME/s3-server"
if [ -x "$venv/bin/moto_server" ] && "$venv/bin/pip" show moto 2>/dev/null | grep -q "^Version: $MOTO_VERSION$"; then
  log "moto server $MOTO_VERSION: $venv/bin/moto_server"
else
  if ! python3 -c 'import ensurepip' >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    log "installing python3-venv (apt-get)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  fi
  log "installing moto[server]==$MOTO_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi

# helm and kubeconform
if ! command -v go >/dev/null 2>&1; then
  log "Go is needed to build helm and kubeconform (https://go.dev/doc/install)"
  exit 1
fi
mkdir -p "$PLUME_HOME/bin"
for m in "$HELM_MODULE" "$KUBECONFORM_MODULE"; do
  name="$(basename "${m%@*}")"
  stamp="$PLUME_HOME/bin/.$name.module"
  if [ -x "$PLUME_HOME/bin/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$m" ]; then
    log "$name: $PLUME_HOME/bin/$name"
  else
    log "building $name ($m) into $PLUME_HOME/bin (a few minutes, once)"
    (cd /tmp && GOBIN="$PLUME_HOME/bin" GOFLAGS=-mod=mod go install "$m")
    echo "$m" > "$stamp"
  fi
done

# Kubernetes schemas for kubeconform, keyed by the generator's sources
hash="$(cat infra/kubernetes-schemas/main.go infra/kubernetes-schemas/go.mod infra/kubernetes-schemas/go.sum | sha256sum | cut -c1-12)"
schemas="$PLUME_HOME/kubernetes-schemas/$hash"
if [ -f "$schemas/deployment-apps-v1.json" ]; then
  log "kubernetes schemas: $schemas"
else
  log "generating kubernetes schemas into $schemas"
  (cd infra/kubernetes-schemas && go run . -out "$schemas.partial" >/dev/null)
  rm -rf "$schemas" && mv "$schemas.partial" "$schemas"
fi
