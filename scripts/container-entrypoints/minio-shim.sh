#!/bin/bash
# Why: mmdrill's local stand-in for the minio/minio image (built by scripts/setup-containers.sh):
# takes MinIO's `server DIR --address :PORT` and MINIO_ROOT_USER/MINIO_ROOT_PASSWORD, and runs
# versitygw (Apache-2.0) on DIR with the same credentials and MinIO's liveness path, which the
# containers provider waits on. Credentials travel in the environment, never on argv.
set -euo pipefail
[[ ${1:-} == server ]] || { echo "minio-shim: only 'server DIR [--address :PORT]' is supported" >&2; exit 2; }
dir=${2:?minio-shim: server needs a directory}
shift 2
address=:9000
while [[ $# -gt 0 ]]; do
  case $1 in
  --address) address=$2; shift 2 ;;
  *) shift ;;
  esac
done
mkdir -p "$dir"
export ROOT_ACCESS_KEY_ID="${MINIO_ROOT_USER:?MINIO_ROOT_USER is required}"
export ROOT_SECRET_ACCESS_KEY="${MINIO_ROOT_PASSWORD:?MINIO_ROOT_PASSWORD is required}"
unset MINIO_ROOT_USER MINIO_ROOT_PASSWORD
exec versitygw --port "$address" --health /minio/health/live posix "$dir"
