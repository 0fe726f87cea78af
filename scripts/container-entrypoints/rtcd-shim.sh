#!/bin/bash
# Why: runs mmdrill's rtcd double (dist/testbed/rtcd-main.js, the Calls SFU the double's app nodes
# link to) in place of the official mattermost/rtcd image (built by scripts/setup-containers.sh),
# reading the RTCD_* settings the containers provider gives rtcd: its API/link listener and the
# ICE host address.
set -euo pipefail
listen="0.0.0.0${RTCD_API_HTTP_LISTENADDRESS:-:8045}"
args=(--listen "$listen" --ice-address "${RTCD_RTC_ICEHOSTOVERRIDE:-127.0.0.1}")
cd /opt/mmdrill
exec node dist/testbed/rtcd-main.js "${args[@]}" "$@"
