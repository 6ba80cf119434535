#!/usr/bin/env bash
# Stops what scripts/up.sh started: the four services (SIGTERM, so calls in
# flight finish; SIGKILL only after 20 s) and then redis-server. Leaves no
# process behind and is safe to run when nothing is up.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

QUIET=0
[[ "${1:-}" == "--quiet" ]] && QUIET=1
RUN_DIR="$STATE_DIR/run"
[[ -d "$RUN_DIR" ]] || exit 0

say() { ((QUIET)) || log "$@"; }

stop_pid_file() {  # stop_pid_file <name>
  local file="$RUN_DIR/$1.pid"
  [[ -s "$file" ]] || { rm -f "$file"; return; }
  local pid
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    say "stopping $1 (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 200); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "$1 did not stop in 20s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

for name in reporting ticketing engagement contacts; do
  stop_pid_file "$name"
done
stop_pid_file redis
