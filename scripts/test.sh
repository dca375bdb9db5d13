#!/usr/bin/env bash
# The whole test suite, from a clean clone: installs dependencies (npm packages, and the Debian packages the test
# bed needs), type-checks, builds the single binary, starts the test bed (real dockerd, registries, notary-server on
# loopback), runs the unit and end-to-end tests against it, and tears the test bed down.
#   scripts/test.sh [node --test arguments…]   e.g. scripts/test.sh --test-name-pattern=install
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
echo "test: type-check" >&2
tsc -p tsconfig.json
TESTBED=$(mktemp -d "${TMPDIR:-/tmp}/trustext-testbed.XXXXXX")
trap 'bash scripts/testbed.sh down "$TESTBED" || true' EXIT
bash scripts/testbed.sh up "$TESTBED" >/dev/null
# shellcheck disable=SC1091
source "$TESTBED/env.sh"
# The tests give every docker invocation its own DOCKER_CONFIG; nothing they run may fall back to the user's.
unset DOCKER_CONTENT_TRUST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_TLS
set +e
node --test --test-reporter=spec "$@" 'test/unit/**/*.test.ts' 'test/e2e/**/*.test.ts'
status=$?
set -e
exit $status
