#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer and
# runs every test (ctest: unit, service and suite tests against real
# processes, a real redis-server and real SQLite files), `buf lint` and the
# static checks (scripts/check_static.sh).
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

# The static checks (scripts/check_static.sh: clang's thread-safety analysis
# and clang-tidy) need the generated headers, so they start after the build,
# beside ctest and at a lower priority: tests spend much of their time
# waiting on processes, Redis and SQLite, and the checks fill that time.
# Skipped when ctest is given arguments (a run of some tests).
static_pid=""
if (($# == 0)); then
  log "static checks, beside ctest (output in ${BUILD_DIR#$ROOT/}/static-check.log)"
  nice -n 10 "$ROOT/scripts/check_static.sh" "$BUILD_DIR" \
    >"$BUILD_DIR/static-check.log" 2>&1 &
  static_pid=$!
  trap 'kill "$static_pid" 2>/dev/null || true' EXIT
fi

log "ctest"
cd "$BUILD_DIR"
start=$(date +%s)
ctest_status=0
ctest --output-on-failure -j "$(nproc)" "$@" || ctest_status=$?
log "ctest took $(( $(date +%s) - start ))s"

static_status=0
if [[ -n "$static_pid" ]]; then
  wait "$static_pid" || static_status=$?
  if ((static_status != 0)); then
    cat "$BUILD_DIR/static-check.log" >&2
  else
    tail -n 1 "$BUILD_DIR/static-check.log" >&2
  fi
fi
((ctest_status == 0 && static_status == 0))
