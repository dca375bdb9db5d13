#!/usr/bin/env bash
# Installs the project's own toolchain and dependencies from the npm registry (including Node 24, as the `node`
# devDependency) when node_modules is missing or older than package-lock.json, then builds dist/docker-trustext.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
export PATH="$PWD/node_modules/.bin:$PATH"
node scripts/build.ts
