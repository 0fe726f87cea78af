#!/bin/bash
# Why: runs mmdrill's Mattermost test double (dist/testbed/main.js) in place of the official
# Mattermost image (built by scripts/setup-containers.sh), reading the MM_* settings the containers
# provider gives an app node: listen addresses, database and replica (the double reads those two
# from the environment itself), and the S3 file store.
set -euo pipefail
listen="0.0.0.0${MM_SERVICESETTINGS_LISTENADDRESS:-:8065}"
metrics="0.0.0.0${MM_METRICSSETTINGS_LISTENADDRESS:-:8067}"
args=(--node-id "${MMDRILL_NODE_ID:-$(hostname)}" --listen "$listen" --metrics-listen "$metrics")
if [[ ${MM_FILESETTINGS_DRIVERNAME:-} == amazons3 ]]; then
  args+=(--s3-endpoint "http://$MM_FILESETTINGS_AMAZONS3ENDPOINT"
    --s3-bucket "${MM_FILESETTINGS_AMAZONS3BUCKET:-mattermost}" --s3-region "${MM_FILESETTINGS_AMAZONS3REGION:-us-east-1}")
fi
if [[ -n ${MM_CALLS_RTCD_SERVICE_URL:-} ]]; then args+=(--rtcd-url "$MM_CALLS_RTCD_SERVICE_URL"); fi
cd /opt/mmdrill
exec node dist/testbed/main.js "${args[@]}" "$@"
