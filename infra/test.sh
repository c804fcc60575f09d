#!/usr/bin/env bash
# `npm test`: set up what the suite needs (idempotent), typecheck, lint, then vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/setup.sh --for-tests
echo "[test] typecheck (tsc --noEmit)" >&2
npx tsc --noEmit -p .
echo "[test] lint (eslint)" >&2
npx eslint --quiet .
echo "[test] vitest" >&2
exec npx vitest run "$@"
