#!/usr/bin/env bash
# The whole test suite, from a clean clone: installs dependencies (npm packages, and the Debian packages the test
# bed needs), type-checks, builds the single binary, starts the test bed (real dockerd, registries, notary-server on
# loopback), runs the unit and end-to-end tests against it, and tears the test bed down.
#   scripts/test.sh [node --test arguments…]   e.g. scripts/test.sh --test-name-pattern=install
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
echo "test: type-check, lint and format" >&2
tsc -p tsconfig.json
biome check --error-on-warnings .
TESTBED=$(mktemp -d "${TMPDIR:-/tmp}/trustext-testbed.XXXXXX")
trap 'bash scripts/testbed.sh down "$TESTBED" || true' EXIT
bash scripts/testbed.sh up "$TESTBED" >/dev/null
# shellcheck disable=SC1091
source "$TESTBED/env.sh"
# The tests give every docker invocation its own DOCKER_CONFIG; nothing they run may fall back to the user's.
unset DOCKER_CONTENT_TRUST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_TLS
set +e
# Test files run three at a time: they share the test bed but not repositories, key stores or configs, and most of
# their time is spent waiting on dockerd, the registries and child processes (node's default on 2 cores is 1).
node --test --test-reporter=spec --test-concurrency=3 "$@" 'test/unit/**/*.test.ts' 'test/e2e/**/*.test.ts'
status=$?
set -e
exit $status
