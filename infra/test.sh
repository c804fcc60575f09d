#!/usr/bin/env bash
# `npm test`: set up what the suite needs (idempotent), typecheck, lint, formatting, import boundaries, unused code, then vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/setup.sh --for-tests
echo "[test] typecheck (tsc --noEmit)" >&2
npx tsc --noEmit -p .
echo "[test] lint (eslint)" >&2
npx eslint --quiet .
echo "[test] formatting (prettier --check; fix with npx prettier --write .)" >&2
npx prettier --check --log-level warn .
echo "[test] import boundaries (dependency-cruiser, .dependency-cruiser.cjs)" >&2
npm run -s deps:check
echo "[test] unused files, exports and dependencies (knip, knip.jsonc)" >&2
npm run -s unused:check
echo "[test] vitest" >&2
exec npx vitest run "$@"
