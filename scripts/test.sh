#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer and
# runs every test (ctest: unit, service and suite tests against real
# processes, a real redis-server and real SQLite files) and `buf lint`.
# Installs what is missing first. Extra arguments go to ctest
# (e.g. scripts/test.sh -R events).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BUILD_DIR="${CLIENTELE_TEST_BUILD_DIR:-$ROOT/build/asan}"

ensure_dependencies

log "buf lint"
(cd "$ROOT" && "$BUF" lint)

log "building with ASan + UBSan in ${BUILD_DIR#$ROOT/}"
start=$(date +%s)
configure_and_build "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLIENTELE_SANITIZE=ON
log "build took $(( $(date +%s) - start ))s"

log "ctest"
cd "$BUILD_DIR"
ctest --output-on-failure -j "$(nproc)" "$@"
