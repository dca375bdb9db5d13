#!/usr/bin/env bash
# One command from a fresh clone to a working plugin: installs dependencies, builds dist/docker-trustext, installs
# it as a docker CLI plugin ($DOCKER_CONFIG/cli-plugins, default ~/.docker/cli-plugins), and shows a round trip
# through `docker trustext` with content trust on: a signed push, removing the image locally, a verified pull.
# Then enforcement for plain docker: the Engine API proxy (`docker trustext proxy`, on a temporary socket) in front
# of the same engine, a plain `docker pull` of the signed image through it (verified), and of an unsigned one
# (refused).
#
# Where: the engine of your current docker context and the registry TRUSTEXT_REGISTRY (default 127.0.0.1:5000),
# pushing TRUSTEXT_IMAGE (default: a tiny busybox image it makes locally). When that engine or registry is not
# reachable it starts the test bed (scripts/testbed.sh: real dockerd + registry on loopback) and uses it; the test
# bed is torn down at the end unless KEEP_TESTBED=1.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
[ -n "${NO_COLOR:-}" ] || [ ! -t 2 ] && say() { printf '\n==> %s\n' "$*" >&2; }

say "Installing dependencies and building dist/docker-trustext"
bash scripts/setup.sh

REGISTRY=${TRUSTEXT_REGISTRY:-127.0.0.1:5000}
engine_ok() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
registry_ok() { python3 -c "import urllib.request,urllib.error,sys
try: urllib.request.urlopen('http://$1/v2/', timeout=3)
except urllib.error.HTTPError as e: sys.exit(0 if e.code == 401 else 1)
except Exception: sys.exit(1)" 2>/dev/null; }

TESTBED=
THROWAWAY_KEYS=
PROXY_PID=
PROXY_DIR=
cleanup() {
  if [ -n "$PROXY_PID" ]; then kill -TERM "$PROXY_PID" 2>/dev/null || true; wait "$PROXY_PID" 2>/dev/null || true; fi
  [ -n "$PROXY_DIR" ] && rm -rf "$PROXY_DIR"
  [ -n "$THROWAWAY_KEYS" ] && rm -rf "$THROWAWAY_KEYS"
  if [ -n "$TESTBED" ] && [ "${KEEP_TESTBED:-}" != 1 ]; then bash scripts/testbed.sh down "$TESTBED" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
if ! engine_ok || ! registry_ok "$REGISTRY"; then
  say "No reachable engine and registry ($REGISTRY): starting the test bed"
  TESTBED=$(mktemp -d "${TMPDIR:-/tmp}/trustext-quickstart.XXXXXX")
  bash scripts/testbed.sh up "$TESTBED" >/dev/null
  # Only the engine and registry come from the test bed; the plugin goes into your own docker config.
  eval "$(grep -E '^export (DOCKER_HOST|TESTBED_REGISTRY|TESTBED_IMAGE)=' "$TESTBED/env.sh")"
  REGISTRY=$TESTBED_REGISTRY
fi

say "Installing the plugin"
dist/docker-trustext install

say "docker trustext version"
docker trustext version

IMAGE=${TRUSTEXT_IMAGE:-$REGISTRY/trustext/quickstart:latest}
if [ -z "${TRUSTEXT_IMAGE:-}" ]; then
  if [ -n "$TESTBED" ]; then
    docker tag "$TESTBED_IMAGE" "$IMAGE"
  else
    rootfs=$(mktemp -d); mkdir -p "$rootfs/bin"; cp "$(command -v busybox)" "$rootfs/bin/busybox"
    tar -C "$rootfs" -c . | docker import -c 'CMD ["/bin/busybox","sh"]' - "$IMAGE" >/dev/null; rm -rf "$rootfs"
  fi
fi
# Content trust on: the push signs, the pull verifies. Without a passphrase of your own, the demo signs with a
# throwaway key store (your real one, in TRUSTEXT_KEYS_DIR or ~/.local/share/trustext/keys, is left alone).
# The demo keeps to registry signatures (--store registry), even with DOCKER_CONTENT_TRUST_SERVER set: it does not
# create keys in your DCT key directory or publish to your Notary server.
export DOCKER_CONTENT_TRUST=1
if [ -z "${DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE:-}" ]; then
  THROWAWAY_KEYS=$(mktemp -d "${TMPDIR:-/tmp}/trustext-quickstart-keys.XXXXXX")
  TRUSTEXT_KEYS_DIR=$THROWAWAY_KEYS
  DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  export TRUSTEXT_KEYS_DIR DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE
  say "Using a throwaway signing key store in $TRUSTEXT_KEYS_DIR (set DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE to use yours)"
fi
ID=$(docker image inspect --format '{{.Id}}' "$IMAGE")

say "DOCKER_CONTENT_TRUST=1 docker trustext push --store registry $IMAGE"
docker trustext push --store registry "$IMAGE"
say "docker rmi $IMAGE"
docker rmi "$IMAGE" >/dev/null
say "DOCKER_CONTENT_TRUST=1 docker trustext pull --store registry $IMAGE"
docker trustext pull --store registry "$IMAGE"
say "docker trustext verify --store registry $IMAGE"
docker trustext verify --store registry "$IMAGE"
PULLED=$(docker image inspect --format '{{.Id}}' "$IMAGE")
[ "$PULLED" = "$ID" ] || { echo "round trip failed: pushed $ID, pulled $PULLED" >&2; exit 1; }
say "Round trip complete: signed push and verified pull of $IMAGE ($ID)"

# Enforcement for clients that never call the plugin: plain docker (no DOCKER_CONTENT_TRUST) through the proxy.
UNSIGNED=${IMAGE%:*}-unsigned:latest
docker tag "$IMAGE" "$UNSIGNED"
DOCKER_CONTENT_TRUST= docker push -q "$UNSIGNED" >/dev/null
docker rmi "$IMAGE" "$UNSIGNED" >/dev/null
PROXY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/trustext-quickstart-proxy.XXXXXX")
say "docker trustext proxy --listen unix://$PROXY_DIR/docker.sock &   (docker trustext enforce on does this for you)"
docker trustext proxy --listen "unix://$PROXY_DIR/docker.sock" 2>"$PROXY_DIR/proxy.log" &
PROXY_PID=$!
for _ in $(seq 100); do docker -H "unix://$PROXY_DIR/docker.sock" version >/dev/null 2>&1 && break; sleep 0.1; done
say "DOCKER_HOST=unix://$PROXY_DIR/docker.sock docker pull $IMAGE   (plain docker, signed: verified)"
DOCKER_CONTENT_TRUST= DOCKER_HOST="unix://$PROXY_DIR/docker.sock" docker pull "$IMAGE"
say "DOCKER_HOST=unix://$PROXY_DIR/docker.sock docker pull $UNSIGNED   (plain docker, unsigned: refused)"
if DOCKER_CONTENT_TRUST= DOCKER_HOST="unix://$PROXY_DIR/docker.sock" docker pull "$UNSIGNED"; then
  echo "enforcement failed: the unsigned $UNSIGNED was pulled" >&2
  exit 1
fi
say "Enforcement shown: the proxy let the signed image through and refused the unsigned one (its log: $(wc -l <"$PROXY_DIR/proxy.log") lines). The plugin stays installed: try 'docker trustext --help'."
