#!/usr/bin/env bash
# Brings the whole suite up on its embedded defaults: a local redis-server
# (loopback, AOF on) and the four services on SQLite files, all under
# .clientele/ in the checkout. Installs what is missing and builds first.
#
#   scripts/up.sh            stays in the foreground; Ctrl-C stops everything
#   scripts/up.sh --detach   returns once every service is SERVING;
#                            scripts/down.sh stops them
#
# Safe to re-run: a suite that is already up is stopped and started again
# (with the same data and the same demo token).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DETACH=0
for arg in "$@"; do
  case "$arg" in
    --detach|-d) DETACH=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

HOST=127.0.0.1
REDIS_PORT="${CLIENTELE_REDIS_PORT:-6390}"
BUILD_DIR="${CLIENTELE_BUILD_DIR:-$ROOT/build/release}"
SERVICES=(contacts:7001 engagement:7002 ticketing:7003 reporting:7004)

ensure_dependencies
log "building (release) in ${BUILD_DIR#$ROOT/}"
configure_and_build "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCLIENTELE_SANITIZE=OFF

"$ROOT/scripts/down.sh" --quiet

mkdir -p "$STATE_DIR"/{data,redis,logs,run}

# The demo tenant's token: made once, kept across runs. The token file holds
# only its SHA-256.
TOKEN_FILE="$STATE_DIR/tokens.txt"
DEMO_TOKEN_FILE="$STATE_DIR/demo-token"
if [[ ! -s "$DEMO_TOKEN_FILE" ]]; then
  (umask 077; head -c 24 /dev/urandom | base64 | tr '+/' '-_' > "$DEMO_TOKEN_FILE")
fi
DEMO_TOKEN="$(cat "$DEMO_TOKEN_FILE")"
{
  echo "# sha256(token) tenant role -- written by scripts/up.sh"
  printf '%s demo admin\n' "$(printf '%s' "$DEMO_TOKEN" | sha256sum | cut -d' ' -f1)"
} > "$TOKEN_FILE"

# The secret that signs client portal links (reporting's dashboard): made
# once and kept, so that links handed out keep working across runs.
PORTAL_SECRET_FILE="$STATE_DIR/portal-secret"
if [[ ! -s "$PORTAL_SECRET_FILE" ]]; then
  (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$PORTAL_SECRET_FILE")
fi

log "starting redis-server on $HOST:$REDIS_PORT (AOF on, data in .clientele/redis)"
redis-server --bind "$HOST" --port "$REDIS_PORT" --dir "$STATE_DIR/redis" \
  --appendonly yes --appendfsync everysec --save "" --daemonize yes \
  --pidfile "$STATE_DIR/run/redis.pid" --logfile "$STATE_DIR/logs/redis.log"
for _ in $(seq 100); do
  redis-cli -h "$HOST" -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -h "$HOST" -p "$REDIS_PORT" ping >/dev/null 2>&1 || die "redis-server did not start (see .clientele/logs/redis.log)"

for entry in "${SERVICES[@]}"; do
  name="${entry%%:*}"
  port="${entry##*:}"
  extra=()
  [[ "$name" == reporting ]] && extra=(--portal_secret_file="$PORTAL_SECRET_FILE")
  log "starting $name on $HOST:$port"
  setsid "$BUILD_DIR/services/$name/$name" \
    --host="$HOST" --port="$port" \
    --data_dir="$STATE_DIR/data" --token_file="$TOKEN_FILE" \
    --redis_address="$HOST:$REDIS_PORT" "${extra[@]}" \
    >>"$STATE_DIR/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE_DIR/run/$name.pid"
done

health() {  # health <port> -> prints the serving status
  "$BUF" curl --protocol grpc --http2-prior-knowledge --timeout 2s \
    "http://$HOST:$1/grpc.health.v1.Health/Check" 2>/dev/null | tr -d ' \n'
}
for entry in "${SERVICES[@]}"; do
  name="${entry%%:*}"
  port="${entry##*:}"
  status=""
  for _ in $(seq 300); do
    status="$(health "$port")"
    [[ "$status" == '{"status":"SERVING"}' ]] && break
    kill -0 "$(cat "$STATE_DIR/run/$name.pid")" 2>/dev/null ||
      die "$name exited; see .clientele/logs/$name.log"
    sleep 0.1
  done
  [[ "$status" == '{"status":"SERVING"}' ]] ||
    die "$name is not SERVING after 300 tries; see .clientele/logs/$name.log"
done

log "seeding the demo tenant (safe to repeat: it creates only what it cannot find)"
PYTHONPATH="$BUILD_DIR/gen/python" /usr/bin/python3 "$ROOT/scripts/seed_demo.py" \
  "$HOST:7001" "$HOST:7002" "$HOST:7003" "$DEMO_TOKEN" ||
  die "seeding the demo tenant failed"

BUF_REL="${BUF#$ROOT/}"
cat <<INFO

Clientele is up: contacts :7001, engagement :7002, ticketing :7003, reporting :7004
(redis :$REDIS_PORT; data, logs and pids in .clientele/).

Demo tenant token:  $DEMO_TOKEN
Dashboard:          http://$HOST:7104/  (reporting's web dashboard; log in with the token)
Client portal:      an account's page on the dashboard creates its client's link

Try it (buf is installed in $BUF_REL):
  export TOKEN=$DEMO_TOKEN
  $BUF_REL curl --protocol grpc --http2-prior-knowledge --list-services http://$HOST:7001
  $BUF_REL curl --protocol grpc --http2-prior-knowledge http://$HOST:7001/grpc.health.v1.Health/Check
  $BUF_REL curl --protocol grpc --http2-prior-knowledge -H "authorization: Bearer \$TOKEN" \\
      -d '{"page_size": 10}' http://$HOST:7001/clientele.contacts.v1.ContactsService/ListAccounts
  $BUF_REL curl --protocol grpc --http2-prior-knowledge -H "authorization: Bearer \$TOKEN" \\
      -d '{"query": "yildiz"}' http://$HOST:7001/clientele.contacts.v1.ContactsService/SearchContacts

INFO

if ((DETACH)); then
  echo "Running in the background; stop with scripts/down.sh"
  exit 0
fi

echo "Press Ctrl-C to stop."
trap '"$ROOT/scripts/down.sh"; exit 0' INT TERM
while true; do
  for entry in "${SERVICES[@]}"; do
    name="${entry%%:*}"
    if ! kill -0 "$(cat "$STATE_DIR/run/$name.pid" 2>/dev/null || echo 0)" 2>/dev/null; then
      echo "$name stopped unexpectedly; see .clientele/logs/$name.log" >&2
      "$ROOT/scripts/down.sh"
      exit 1
    fi
  done
  sleep 1 &
  wait $! || true
done
