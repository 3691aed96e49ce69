#!/usr/bin/env bash
# Builds (or finds in the cache) the Go programs the tests run for real: a Kubernetes release built by
# kubetest --build=module, kwok, etcd, fake-gcs-server, gofakes3 and boskos. Everything lands in
# ${KUBETEST_CACHE_DIR:-~/.cache/kubetest}, keyed by version; a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/test/helpers/peers-main.js ] || npx tsc -p .
exec node dist/test/helpers/peers-main.js "$@"
