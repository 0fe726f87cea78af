#!/usr/bin/env bash
# Why this script: the containers provider (src/stack/containers/) needs a Docker-compatible API
# and images, and these machines have neither a Docker engine nor a reachable registry. Podman
# from Debian runs containers here given a few settings (own mount namespace without the
# cgroup-v2 mount, cgroups disabled, lowered ulimits), and images can be made locally from
# Debian packages. This script does all of it, idempotently and cached:
#
#   scripts/setup-containers.sh          install Podman + debootstrap, configure, start the API
#                                        service, build the local images (skipped when present)
#   scripts/setup-containers.sh start    only (re)start the API service
#   scripts/setup-containers.sh stop     stop the API service (and nothing else)
#   scripts/setup-containers.sh images   only build the images (MMDRILL_REBUILD_IMAGES=1: again)
#
# The images (localhost/mmdrill/<role>:<tag>) are ONE Debian bookworm root filesystem imported
# once and tagged per role with its own entrypoint, each behaving like the official image it
# stands in for (postgres, nginx, toxiproxy, minio, mattermost, rtcd) as far as mmdrill uses it. Use
# them with environments/containers-local.yaml; the official images stay the defaults of
# environments/containers.yaml. Export for mmdrill:
#   DOCKER_HOST=unix:///run/podman/podman.sock TESTCONTAINERS_RYUK_DISABLED=true
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SOCKET=/run/podman/podman.sock
PIDFILE=/run/podman/mmdrill-service.pid
SERVICE_LOG=/var/log/mmdrill-podman-service.log
IMAGE_TAG="${MMDRILL_IMAGE_TAG:-1}"
MIRROR="${MMDRILL_DEBIAN_MIRROR:-}"

log() { printf 'setup-containers: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "needs root (or sudo) for: $*"; fi
}

# The mirror this machine's apt already uses (deb822 or one-line sources), else deb.debian.org.
debian_mirror() {
  [[ -n $MIRROR ]] && {
    echo "$MIRROR"
    return
  }
  local uri
  uri=$(grep -hoE '^URIs: *http[^ ]*/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 | sed 's/^URIs: *//') || true
  [[ -z $uri ]] && uri=$(grep -hoE '^deb +http[^ ]*/debian/? +bookworm' /etc/apt/sources.list 2>/dev/null | head -1 | awk '{print $2}') || true
  echo "${uri:-http://deb.debian.org/debian}"
}

install_packages() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman crun conmon netavark aardvark-dns containernetworking-plugins uidmap)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "apt-get install ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
      {
        as_root apt-get update >/dev/null
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
      }
  fi
}

# The recipe's settings, in a drop-in so the packaged containers.conf stays untouched.
configure() {
  local dropin=/etc/containers/containers.conf.d/50-mmdrill.conf
  local want
  want=$(
    cat <<'CONF'
# Written by mmdrill's scripts/setup-containers.sh: the host mixes cgroup v1 and v2, which crun
# refuses, so containers run without cgroups; raising ulimits above the host's is not permitted.
[containers]
cgroups = "disabled"
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
log_driver = "k8s-file"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
  )
  if [[ ! -f $dropin || "$(cat "$dropin")" != "$want" ]]; then
    as_root mkdir -p "$(dirname "$dropin")"
    printf '%s\n' "$want" | as_root tee "$dropin" >/dev/null
    log "wrote $dropin"
  fi
}

service_answers() {
  curl -fsS --max-time 2 --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1
}

start_service() {
  if service_answers; then
    log "Podman API service already answers at unix://$SOCKET"
    return
  fi
  as_root mkdir -p /run/podman
  as_root rm -f "$SOCKET"
  # Own mount namespace without the cgroup-v2 mount (crun refuses the mixed hierarchy).
  as_root setsid unshare -m sh -c "umount /sys/fs/cgroup/unified 2>/dev/null; echo \$\$ > $PIDFILE; exec podman system service --time=0 unix://$SOCKET" \
    >"$SERVICE_LOG" 2>&1 </dev/null &
  for _ in $(seq 1 50); do
    service_answers && {
      log "Podman API service answers at unix://$SOCKET (log: $SERVICE_LOG)"
      return
    }
    sleep 0.2
  done
  die "the Podman API service did not answer within 10 s (see $SERVICE_LOG)"
}

stop_service() {
  if [[ -f $PIDFILE ]]; then
    local pid
    pid=$(cat "$PIDFILE")
    if kill -0 "$pid" 2>/dev/null; then
      as_root kill "$pid"
      for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
      done
      log "stopped the Podman API service (pid $pid)"
    fi
    as_root rm -f "$PIDFILE" "$SOCKET"
  else
    log "no Podman API service started by this script"
  fi
}

# podman CLI calls run in the same kind of namespace as the service, so that containers they
# might start see the same cgroup layout.
podman_ns() { as_root unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec podman "$@"' podman "$@"; }

have_image() { podman_ns image exists "$1" 2>/dev/null; }

# Go binaries scripts/setup.sh builds (Toxiproxy's server, versitygw).
gobin() {
  local dir="${GOBIN:-$(go env GOPATH 2>/dev/null | cut -d: -f1)/bin}"
  [[ -x $dir/server && -x $dir/versitygw ]] || dir="${HOME}/go/bin"
  [[ -x $dir/server && -x $dir/versitygw ]] || die "Toxiproxy/versitygw are not built: run scripts/setup.sh first"
  echo "$dir"
}

# Roles tagged from the base image; the double and rtcd images are layered on it by refresh_double.
ROLES=(postgres nginx toxiproxy object-store)

build_images() {
  local base="localhost/mmdrill/base:$IMAGE_TAG"
  if [[ ${MMDRILL_REBUILD_IMAGES:-} != 1 ]]; then
    local all=1
    for role in "${ROLES[@]}"; do have_image "localhost/mmdrill/$role:$IMAGE_TAG" || all=0; done
    if [[ $all == 1 ]]; then
      log "images localhost/mmdrill/{$(IFS=,; echo "${ROLES[*]}")}:$IMAGE_TAG present (MMDRILL_REBUILD_IMAGES=1 rebuilds)"
      refresh_double
      return
    fi
  fi
  [[ -f $ROOT/dist/testbed/main.js ]] || die "the test double is not built: run npm run build first"
  local go_dir t0
  go_dir=$(gobin)
  t0=$(date +%s)
  work=$(mktemp -d /var/tmp/mmdrill-rootfs.XXXXXX)
  BUILD_DIR=$work
  trap 'as_root rm -rf "$BUILD_DIR"' EXIT
  local mirror
  mirror=$(debian_mirror)
  log "debootstrap bookworm from $mirror (minbase + PostgreSQL 15, NGINX, coturn)"
  as_root debootstrap --variant=minbase \
    --include=postgresql-15,nginx-light,coturn,gosu,ca-certificates,procps \
    bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    {
      tail -20 "$work/debootstrap.log" >&2
      die "debootstrap failed"
    }
  local fs="$work/rootfs"
  # Package caches and docs are not needed at run time.
  as_root rm -rf "$fs/var/cache/apt/archives/"*.deb "$fs/var/lib/apt/lists/"* "$fs/usr/share/doc" "$fs/usr/share/man"
  as_root install -m 0755 "$go_dir/server" "$fs/usr/local/bin/toxiproxy-server"
  as_root install -m 0755 "$go_dir/versitygw" "$fs/usr/local/bin/versitygw"
  as_root install -m 0755 "$(command -v node)" "$fs/usr/local/bin/node"
  # The test double: its build and the runtime dependencies (tooling left out).
  as_root mkdir -p "$fs/opt/mmdrill"
  as_root cp -a "$ROOT/package.json" "$ROOT/dist" "$fs/opt/mmdrill/"
  as_root tar -C "$(readlink -f "$ROOT/node_modules")/.." -cf - \
    --exclude='node_modules/@biomejs' --exclude='node_modules/typescript' --exclude='node_modules/@rolldown' \
    --exclude='node_modules/playwright-core' --exclude='node_modules/lightningcss*' --exclude='node_modules/vite' \
    --exclude='node_modules/vitest' --exclude='node_modules/@vitest' --exclude='node_modules/@types' \
    --exclude='node_modules/esbuild' --exclude='node_modules/@esbuild' --exclude='node_modules/.cache' \
    node_modules | as_root tar -C "$fs/opt/mmdrill" -xf -
  # nginx.conf from the provider names the official image's worker user.
  as_root chroot "$fs" sh -c 'id nginx >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin nginx'
  as_root install -m 0755 "$ROOT/scripts/container-entrypoints/"*.sh "$fs/usr/local/bin/"
  log "rootfs ready after $(($(date +%s) - t0)) s ($(as_root du -sh "$fs" | cut -f1))"
  as_root tar -C "$fs" --numeric-owner -cf - . | podman_ns import \
    --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV PGDATA=/var/lib/postgresql/data' \
    - "$base" >/dev/null
  log "imported $base after $(($(date +%s) - t0)) s"
  # One role per tag: the same layers, each with the entrypoint of the image it stands in for.
  tag_role postgres '["docker-entrypoint.sh"]' '["postgres"]' 'STOPSIGNAL SIGINT'
  tag_role nginx '[]' '["nginx","-g","daemon off;"]' 'STOPSIGNAL SIGQUIT'
  tag_role toxiproxy '["/usr/local/bin/toxiproxy-server"]' '["-host=0.0.0.0"]'
  tag_role object-store '["minio-shim.sh"]' '["server","/data"]'
  refresh_double
  podman_ns image prune -f >/dev/null 2>&1 || true
  log "images built in $(($(date +%s) - t0)) s"
}

# The double's image carries this checkout's dist/ on top of the base (a few MB, seconds): cached
# images must not run a test double older than the code under test. Skipped when unchanged. The
# rtcd double's image is the double's with another entrypoint (the same dist/ and node_modules,
# which hold @roamhq/wrtc's native library), so it follows the double's.
refresh_double() {
  local image="localhost/mmdrill/double:$IMAGE_TAG" want have dir
  [[ -f $ROOT/dist/testbed/main.js ]] || die "the test double is not built: run npm run build first"
  want=$(cd "$ROOT" && { find dist -type f -print0 | sort -z | xargs -0 sha256sum; sha256sum scripts/container-entrypoints/rtcd-shim.sh; } | sha256sum | cut -c1-16)
  have=$(podman_ns image inspect --format '{{ index .Labels "org.mmdrill.dist" }}' "$image" 2>/dev/null || true)
  if [[ $want == "$have" ]]; then
    have=$(podman_ns image inspect --format '{{ index .Labels "org.mmdrill.dist" }}' "localhost/mmdrill/rtcd:$IMAGE_TAG" 2>/dev/null || true)
    [[ $want == "$have" ]] || build_rtcd "$want"
    return
  fi
  dir=$(mktemp -d)
  cp -a "$ROOT/dist" "$dir/dist"
  cat >"$dir/Containerfile" <<CONTAINERFILE
FROM localhost/mmdrill/base:$IMAGE_TAG
COPY dist /opt/mmdrill/dist
ENTRYPOINT ["mattermost-shim.sh"]
CMD []
LABEL org.mmdrill.local-image=double org.mmdrill.dist=$want
CONTAINERFILE
  build_from_dir "$image" "$dir"
  log "$image: the double from this checkout's dist/ ($want)"
  build_rtcd "$want"
}

# Builds IMAGE from DIR/Containerfile, removes DIR, and drops the layers the new tag replaced.
build_from_dir() {
  local image=$1 dir=$2
  podman_ns build --pull=never --quiet -f "$dir/Containerfile" -t "$image" "$dir" >/dev/null
  rm -rf "$dir"
  podman_ns image prune -f >/dev/null 2>&1 || true
}

build_rtcd() {
  local want=$1 image="localhost/mmdrill/rtcd:$IMAGE_TAG" dir
  dir=$(mktemp -d)
  install -m 0755 "$ROOT/scripts/container-entrypoints/rtcd-shim.sh" "$dir/rtcd-shim.sh"
  cat >"$dir/Containerfile" <<CONTAINERFILE
FROM localhost/mmdrill/double:$IMAGE_TAG
COPY rtcd-shim.sh /usr/local/bin/rtcd-shim.sh
ENTRYPOINT ["rtcd-shim.sh"]
CMD []
LABEL org.mmdrill.local-image=rtcd org.mmdrill.dist=$want
CONTAINERFILE
  build_from_dir "$image" "$dir"
  log "$image: the rtcd double from this checkout's dist/ ($want)"
}

tag_role() {
  local role=$1 entrypoint=$2 cmd=$3 extra=${4:-}
  local dir file
  dir=$(mktemp -d)
  file="$dir/Containerfile"
  {
    echo "FROM localhost/mmdrill/base:$IMAGE_TAG"
    echo "ENTRYPOINT $entrypoint"
    echo "CMD $cmd"
    echo "LABEL org.mmdrill.local-image=$role"
    [[ -n $extra ]] && echo "$extra"
  } >"$file"
  podman_ns build --pull=never --quiet -f "$file" -t "localhost/mmdrill/$role:$IMAGE_TAG" "$dir" >/dev/null
  rm -rf "$dir"
  log "tagged localhost/mmdrill/$role:$IMAGE_TAG"
}

case "${1:-all}" in
all)
  install_packages
  configure
  start_service
  build_images
  ;;
start)
  install_packages
  configure
  start_service
  ;;
stop) stop_service ;;
images) build_images ;;
*) die "unknown command $1 (all | start | stop | images)" ;;
esac
