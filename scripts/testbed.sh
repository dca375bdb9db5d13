#!/usr/bin/env bash
# Test bed: a real dockerd (unix socket, plus tcp with mutual TLS), two distribution registries (open and
# htpasswd) and a TLS notary-server, all on loopback under one temporary folder, torn down by pid. The services
# are also reachable by a name that is not loopback to look at (TESTBED_HOSTNAME, an /etc/hosts line for
# 127.0.0.1 added on `up` and removed on `down`), for proxy and insecure-registry tests; tinyproxy, sshd and systemd
# are installed for the tests to start their own forward proxies, ssh servers and systemd user managers.
#
#   scripts/testbed.sh up [DIR]   start everything; prints `export NAME=value` lines on stdout
#                                 (use: eval "$(scripts/testbed.sh up)"); also writes DIR/env.sh
#   scripts/testbed.sh down DIR   stop everything started under DIR and remove DIR
#   scripts/testbed.sh env DIR    print the exports of a running test bed again
#
# It never touches ~/.docker or /var/run/docker.sock: the engine listens on DIR/docker/docker.sock and the
# docker CLI configuration (with the notary CA in tls/<host:port>/ca.crt) lives in DIR/docker-config.
set -euo pipefail

log() { printf 'testbed: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Debian packages that provide each command the test bed runs.
declare -A PROVIDER=(
  [dockerd]=docker.io [containerd]=containerd [runc]=runc
  [docker-registry]=docker-registry [notary-server]=notary
  [skopeo]=skopeo [docker-credential-pass]=golang-docker-credential-helpers
  [pass]=pass [gpg]=gnupg [busybox]=busybox-static [htpasswd]=apache2-utils
  [openssl]=openssl [python3]=python3 [faketime]=faketime [tinyproxy]=tinyproxy
  [docker-compose]=docker-compose [sshd]=openssh-server [systemctl]=systemd
)

# A name for 127.0.0.1 that is not loopback by its spelling: proxies apply to it (Go never proxies localhost or
# loopback IPs) and docker decides it is insecure only by resolving it (its default 127.0.0.0/8).
TESTBED_HOSTNAME=trustext-registry.test

ensure_packages() {
  local missing=() cmd
  for cmd in "${!PROVIDER[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("${PROVIDER[$cmd]}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}) and not root: install them with apt-get"
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # dpkg would start services through policy-rc.d-less init scripts; forbid that, we run our own.
  local policy=/usr/sbin/policy-rc.d created_policy=
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created_policy=1; fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  [ -n "$created_policy" ] && rm -f "$policy"
  return 0
}

# Free loopback TCP ports, asked of the kernel.
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
  log "$what is up"
}

start_bg() { # start_bg NAME LOGFILE COMMAND... : runs in its own session, records the pid in $TB/pids/NAME
  local name=$1 logfile=$2; shift 2
  setsid "$@" >"$logfile" 2>&1 </dev/null &
  echo $! >"$TB/pids/$name"
}

start_dockerd() {
  local d=$TB/docker c=$TB/engine-client
  mkdir -p "$d/data" "$d/exec" "$c"
  echo '{}' >"$d/daemon.json"
  # A second listener on tcp with mutual TLS, laid out for DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem).
  issue_cert server "$d/tls-server"
  issue_cert client "$c/client"
  cp "$TB/ca/ca.crt" "$c/ca.pem"; mv "$c/client.crt" "$c/cert.pem"; mv "$c/client.key" "$c/key.pem"
  local driver=${TESTBED_STORAGE_DRIVER:-}
  local args=(--config-file "$d/daemon.json" --data-root "$d/data" --exec-root "$d/exec"
    --pidfile "$d/dockerd.pid" -H "unix://$d/docker.sock" -H "tcp://127.0.0.1:$ENGINE_TLS_PORT"
    --tlsverify --tlscacert "$TB/ca/ca.crt" --tlscert "$d/tls-server.crt" --tlskey "$d/tls-server.key"
    --iptables=false --ip6tables=false --bridge=none --log-level=warn)
  [ -n "$driver" ] && args+=(--storage-driver "$driver")
  start_bg dockerd "$d/dockerd.log" dockerd "${args[@]}"
  if ! wait_for 60 "dockerd" docker -H "unix://$d/docker.sock" version; then
    if [ -z "$driver" ] && grep -qiE 'overlay|storage.driver|graphdriver' "$d/dockerd.log"; then
      log "dockerd failed with the default storage driver; retrying with vfs"
      stop_pid dockerd; rm -rf "$d/data" "$d/exec"; TESTBED_STORAGE_DRIVER=vfs start_dockerd; return
    fi
    tail -20 "$d/dockerd.log" >&2; die "dockerd did not start"
  fi
}

start_registries() {
  local r=$TB/registry
  mkdir -p "$r/open" "$r/auth"
  htpasswd -Bbn "$REGISTRY_USER" "$REGISTRY_PASSWORD" >"$r/htpasswd"
  cat >"$r/open.yml" <<EOF
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $r/open}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$REGISTRY_PORT}
EOF
  cat >"$r/auth.yml" <<EOF
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $r/auth}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$AUTH_REGISTRY_PORT}
auth: {htpasswd: {realm: trustext-testbed, path: $r/htpasswd}}
EOF
  start_bg registry "$r/open.log" docker-registry serve "$r/open.yml"
  start_bg auth-registry "$r/auth.log" docker-registry serve "$r/auth.yml"
  wait_for 30 "registry 127.0.0.1:$REGISTRY_PORT" python3 -c \
    "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$REGISTRY_PORT/v2/')" || die "registry did not start"
  wait_for 30 "htpasswd registry 127.0.0.1:$AUTH_REGISTRY_PORT" bash -c "exec 3<>/dev/tcp/127.0.0.1/$AUTH_REGISTRY_PORT" \
    || die "htpasswd registry did not start"
}

make_ca() { # one throwaway CA for every TLS endpoint of the test bed
  local c=$TB/ca
  mkdir -p "$c"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=trustext testbed CA" \
    -keyout "$c/ca.key" -out "$c/ca.crt" 2>/dev/null
}

# Certificates are long-lived (the CA is thrown away with the test bed) so tests can move the clock forward.
issue_cert() { # issue_cert server|client PREFIX : PREFIX.key and PREFIX.crt signed by the test bed CA
  local usage=serverAuth
  [ "$1" = client ] && usage=clientAuth
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$2.key" -out "$2.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:%s\nextendedKeyUsage=%s\n' "$TESTBED_HOSTNAME" "$usage" >"$2.ext"
  openssl x509 -req -in "$2.csr" -CA "$TB/ca/ca.crt" -CAkey "$TB/ca/ca.key" -CAcreateserial -days 3650 \
    -extfile "$2.ext" -out "$2.crt" 2>/dev/null
  rm -f "$2.csr" "$2.ext"
}

start_notary() {
  local n=$TB/notary
  mkdir -p "$n"
  issue_cert server "$n/server"
  cat >"$n/server.json" <<EOF
{
  "server": {"http_addr": "127.0.0.1:$NOTARY_PORT", "tls_key_file": "$n/server.key", "tls_cert_file": "$n/server.crt"},
  "trust_service": {"type": "local", "hostname": "", "port": "", "key_algorithm": "ecdsa"},
  "logging": {"level": "warn"},
  "storage": {"backend": "memory"}
}
EOF
  start_bg notary-server "$n/server.log" notary-server -config "$n/server.json"
  wait_for 30 "notary-server https://127.0.0.1:$NOTARY_PORT" python3 -c "
import ssl, urllib.request
ctx = ssl.create_default_context(cafile='$TB/ca/ca.crt')
urllib.request.urlopen('https://127.0.0.1:$NOTARY_PORT/_notary_server/health', context=ctx)" \
    || { tail -20 "$n/server.log" >&2; die "notary-server did not start"; }
  # Where the docker CLI (and we) look for the trust server's CA, by address and by name.
  local where
  for where in "127.0.0.1:$NOTARY_PORT" "$TESTBED_HOSTNAME:$NOTARY_PORT"; do
    mkdir -p "$DOCKER_CONFIG/tls/$where"
    cp "$TB/ca/ca.crt" "$DOCKER_CONFIG/tls/$where/ca.crt"
  done
}

# The /etc/hosts line of this test bed, marked with its folder so `down` removes exactly it (another test bed's
# line for the same name stays). /etc/hosts is rewritten in place: in containers it is often a bind mount.
hosts_marker() { printf '# trustext-testbed %s' "$TB"; }

add_hostname() {
  grep -qF "$(hosts_marker)" /etc/hosts 2>/dev/null && return 0
  if [ "$(id -u)" != 0 ]; then
    getent hosts "$TESTBED_HOSTNAME" | grep -q '^127\.0\.0\.1 ' && return 0
    die "$TESTBED_HOSTNAME does not resolve to 127.0.0.1 and we are not root: add '127.0.0.1 $TESTBED_HOSTNAME' to /etc/hosts"
  fi
  printf '127.0.0.1 %s %s\n' "$TESTBED_HOSTNAME" "$(hosts_marker)" >>/etc/hosts
  log "$TESTBED_HOSTNAME resolves to 127.0.0.1 (/etc/hosts)"
}

remove_hostname() {
  grep -qF "$(hosts_marker)" /etc/hosts 2>/dev/null || return 0
  local kept
  kept=$(grep -vF "$(hosts_marker)" /etc/hosts || true)
  printf '%s\n' "$kept" >/etc/hosts
}

make_images() {
  local root=$TB/images/rootfs sock=unix://$TB/docker/docker.sock
  mkdir -p "$root/bin" "$root/etc"
  cp "$(command -v busybox)" "$root/bin/busybox"
  ln -sf busybox "$root/bin/sh"
  echo "trustext testbed image" >"$root/etc/motd"
  tar -C "$root" -c . | docker -H "$sock" import -c 'CMD ["/bin/sh"]' - "$TESTBED_IMAGE" >/dev/null
  echo "second image $(date +%s%N)" >"$root/etc/motd"
  tar -C "$root" -c . | docker -H "$sock" import -c 'CMD ["/bin/sh"]' - "$TESTBED_IMAGE_2" >/dev/null
  log "test images $TESTBED_IMAGE and $TESTBED_IMAGE_2 ready"
}

write_env() {
  cat >"$TB/env.sh" <<EOF
export TESTBED_DIR='$TB'
export DOCKER_HOST='unix://$TB/docker/docker.sock'
export DOCKER_CONFIG='$DOCKER_CONFIG'
export TESTBED_REGISTRY='127.0.0.1:$REGISTRY_PORT'
export TESTBED_AUTH_REGISTRY='127.0.0.1:$AUTH_REGISTRY_PORT'
export TESTBED_REGISTRY_USER='$REGISTRY_USER'
export TESTBED_REGISTRY_PASSWORD='$REGISTRY_PASSWORD'
export TESTBED_NOTARY='https://127.0.0.1:$NOTARY_PORT'
export TESTBED_NOTARY_CA='$TB/ca/ca.crt'
export TESTBED_TLS_HOST='tcp://127.0.0.1:$ENGINE_TLS_PORT'
export TESTBED_TLS_CERT_PATH='$TB/engine-client'
export TESTBED_IMAGE='$TESTBED_IMAGE'
export TESTBED_IMAGE_2='$TESTBED_IMAGE_2'
export TESTBED_HOSTNAME='$TESTBED_HOSTNAME'
export TESTBED_REGISTRY_BY_NAME='$TESTBED_HOSTNAME:$REGISTRY_PORT'
export TESTBED_NOTARY_BY_NAME='https://$TESTBED_HOSTNAME:$NOTARY_PORT'
EOF
}

stop_pid() { # stop_pid NAME : SIGTERM, wait up to 20 s, then SIGKILL
  local f=$TB/pids/$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

cmd_up() {
  TB=${1:-$(mktemp -d "${TMPDIR:-/tmp}/trustext-testbed.XXXXXX")}
  mkdir -p "$TB/pids"
  TB=$(cd "$TB" && pwd)
  ensure_packages
  read -r REGISTRY_PORT AUTH_REGISTRY_PORT NOTARY_PORT ENGINE_TLS_PORT <<<"$(free_ports 4)"
  REGISTRY_USER=testbed
  REGISTRY_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  DOCKER_CONFIG=$TB/docker-config
  mkdir -p "$DOCKER_CONFIG"
  echo '{}' >"$DOCKER_CONFIG/config.json"
  TESTBED_IMAGE=127.0.0.1:$REGISTRY_PORT/testbed/busybox:latest
  TESTBED_IMAGE_2=127.0.0.1:$REGISTRY_PORT/testbed/busybox:second
  trap 'log "start failed; tearing down"; cmd_down "$TB"' ERR
  add_hostname
  make_ca
  start_dockerd
  start_registries
  start_notary
  make_images
  write_env
  trap - ERR
  log "up in $TB (tear down with: scripts/testbed.sh down $TB)"
  cat "$TB/env.sh"
}

cmd_down() {
  TB=${1:?usage: testbed.sh down DIR}
  [ -d "$TB/pids" ] || die "$TB is not a test bed"
  TB=$(cd "$TB" && pwd)
  local name
  # Networks the tests made (compose projects) live on as host bridges when dockerd is stopped with them in place,
  # and enough of those exhaust docker's default address pools: remove them while dockerd can still do it.
  if [ -S "$TB/docker/docker.sock" ]; then
    local engine="unix://$TB/docker/docker.sock" ids
    ids=$(DOCKER_HOST=$engine timeout 20 docker ps -aq 2>/dev/null || true)
    [ -n "$ids" ] && { DOCKER_HOST=$engine timeout 60 docker rm -f $ids >/dev/null 2>&1 || true; }
    DOCKER_HOST=$engine timeout 30 docker network prune -f >/dev/null 2>&1 || true
  fi
  for name in notary-server auth-registry registry dockerd; do stop_pid "$name"; done
  remove_hostname
  # dockerd normally takes its containerd with it; anything left under the test bed is ours to stop.
  pkill -TERM -f -- "$TB/docker/exec" 2>/dev/null || true
  # Mounts dockerd may have left behind (overlay layers, shm) keep rm -rf from working.
  if command -v findmnt >/dev/null; then
    { findmnt -rn -o TARGET | grep -F "$TB/" || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  fi
  rm -rf "$TB"
  log "down"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  env) cat "${2:?usage: testbed.sh env DIR}/env.sh" ;;
  *) echo "usage: $0 up [DIR] | down DIR | env DIR" >&2; exit 2 ;;
esac
