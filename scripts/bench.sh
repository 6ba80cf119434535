#!/usr/bin/env bash
# Benchmarks, each a ratio against the no-op RPC of bench_server measured in
# the same run. The machines are shared and noisy, so baseline and target
# runs alternate (noop, target, noop, target, ...) and medians are compared.
#
#   scripts/bench.sh                   every scenario (those whose service
#                                      does not implement the RPCs yet are
#                                      reported as skipped)
#   scripts/bench.sh noop get_account  just these
#   scripts/bench.sh --list            the scenarios
#   scripts/bench.sh --no-build ...    use the binaries already built
#
# Settings (environment): BENCH_ROUNDS (3), BENCH_DURATION (5s),
# BENCH_WARMUP (1s), BENCH_IMPORT_ROWS (10000), BENCH_SERVER_FLAGS (extra
# flags for every server, e.g. --log_rpcs=false), CLIENTELE_BUILD_DIR
# (build/release), BENCH_BUILD_TYPE (RelWithDebInfo, as scripts/up.sh, so
# that the two share build/release without rebuilding),
# BENCH_RECOMPUTE_REPETITIONS (5), BENCH_CACHE_ACCOUNTS (100000),
# BENCH_TICKETS (100000), BENCH_BTYD_CUSTOMERS (20000),
# BENCH_REPORTING_SCALE (1.0), BENCH_REPORTING_REPETITIONS (5).
#
# Starts its own redis-server and servers on free loopback ports in a temp
# dir, and stops them on exit. See docs/performance.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HOST=127.0.0.1
BUILD_DIR="${CLIENTELE_BUILD_DIR:-$ROOT/build/release}"
BUILD_TYPE="${BENCH_BUILD_TYPE:-RelWithDebInfo}"
ROUNDS="${BENCH_ROUNDS:-3}"
DURATION="${BENCH_DURATION:-5s}"
WARMUP="${BENCH_WARMUP:-1s}"
IMPORT_ROWS="${BENCH_IMPORT_ROWS:-10000}"
RECOMPUTE_REPETITIONS="${BENCH_RECOMPUTE_REPETITIONS:-5}"
CACHE_ACCOUNTS="${BENCH_CACHE_ACCOUNTS:-100000}"
TICKETS="${BENCH_TICKETS:-100000}"
BTYD_CUSTOMERS="${BENCH_BTYD_CUSTOMERS:-20000}"
REPORTING_SCALE="${BENCH_REPORTING_SCALE:-1.0}"
REPORTING_REPETITIONS="${BENCH_REPORTING_REPETITIONS:-5}"
read -r -a SERVER_FLAGS <<<"${BENCH_SERVER_FLAGS:-}"

NOOP=clientele.bench.v1.BenchService/Noop
CONTACTS=clientele.contacts.v1.ContactsService
ENGAGEMENT=clientele.engagement.v1.EngagementService
TICKETING=clientele.ticketing.v1.TicketingService

# ---------------------------------------------------------------- scenarios
# A scenario is a function scenario_<name>. It starts the servers it needs
# (need_server), makes its fixtures (call_once), then measures with
# alternate_runs and declares the table rows it wants with report. A scenario
# whose service does not implement an RPC yet calls skip and returns.
# In-process benchmarks (no gRPC) write their figures to the same results
# files and report rows the same way.
# import_contacts last: engagement would otherwise spend minutes consuming
# the contact events of its ~1M imported rows before it hears of the
# accounts the later scenarios create. ticketing after the scenarios that
# use engagement: it stops engagement (which would record its tickets'
# events during the measured windows), and its own server is stopped at its
# end.
SCENARIOS=(noop get_account create_contact relationship_score
  record_interactions recompute score_cache_memory btyd reporting_scale ticketing
  import_contacts)
declare -A DESCRIBE=()

DESCRIBE[noop]="bench_server Noop vs itself (A/A: the noise floor); p50 at 1 connection, throughput at 8"
scenario_noop() {
  need_server bench_server
  local bench="${PORTS[bench_server]}"
  alternate_runs noop1_a noop1_b -- \
    "--target=$HOST:$bench --method=$NOOP --connections=1" \
    "--target=$HOST:$bench --method=$NOOP --connections=1"
  alternate_runs noop8_a noop8_b -- \
    "--target=$HOST:$bench --method=$NOOP --connections=8" \
    "--target=$HOST:$bench --method=$NOOP --connections=8"
  report "noop A/A, 1 connection" noop1_a noop1_b p50_us ""
  report "noop A/A, 1 connection" noop1_a noop1_b qps ""
  report "noop A/A, 8 connections" noop8_a noop8_b qps ""
  report "noop A/A, 8 connections" noop8_a noop8_b p99_us ""
}

DESCRIBE[get_account]="contacts GetAccount of one account at 8 connections vs noop at 8 (issue 4: >= 50% of noop qps)"
scenario_get_account() {
  need_server bench_server
  need_server contacts
  local account
  account="$(create_account)" || {
    skip "contacts does not create accounts yet: $account"
    return
  }
  alternate_runs noop8 get_account8 -- \
    "--target=$HOST:${PORTS[bench_server]} --method=$NOOP --connections=8" \
    "--target=$HOST:${PORTS[contacts]} --method=$CONTACTS/GetAccount --connections=8 --request={\"name\":\"$account\"}"
  report "GetAccount / noop, 8 connections" noop8 get_account8 qps ">=0.5"
  report "GetAccount / noop, 8 connections" noop8 get_account8 p50_us ""
  report "GetAccount / noop, 8 connections" noop8 get_account8 p99_us ""
}

DESCRIBE[create_contact]="contacts CreateContact (a unique email per call) at 8 connections vs noop at 8"
scenario_create_contact() {
  need_server bench_server
  need_server contacts
  local account
  account="$(create_account)" || {
    skip "contacts does not create accounts yet: $account"
    return
  }
  # The email carries the round and the per-call counter: unique in the run.
  local contact="{\"contact\":{\"account\":\"$account\",\"given_name\":\"Bench\",\"family_name\":\"Contact {{n}}\",\"emails\":[{\"address\":\"c-{{round}}-{{n}}@bench.example.com\"}]}}"
  alternate_runs noop8 create_contact8 -- \
    "--target=$HOST:${PORTS[bench_server]} --method=$NOOP --connections=8" \
    "--target=$HOST:${PORTS[contacts]} --method=$CONTACTS/CreateContact --connections=8 --request=$contact"
  report "CreateContact / noop, 8 connections" noop8 create_contact8 qps ""
  report "CreateContact / noop, 8 connections" noop8 create_contact8 p50_us ""
  report "CreateContact / noop, 8 connections" noop8 create_contact8 p99_us ""
}

DESCRIBE[import_contacts]="contacts ImportContacts, $IMPORT_ROWS rows a call, one call at a time: rows/s (issue 4: >= 20,000/s)"
scenario_import_contacts() {
  need_server contacts
  local account
  account="$(create_account)" || {
    skip "contacts does not create accounts yet: $account"
    return
  }
  local round
  for round in probe $(seq "$ROUNDS"); do
    import_file "$account" "$round" >"$WORK/import-$round.json"
  done
  # Every row must be created, or the rate means nothing: one probe call
  # (with emails no round uses) shows that the import works.
  local probe
  probe="$(call_once "${PORTS[contacts]}" "$CONTACTS/ImportContacts" \
    --request_file="$WORK/import-probe.json" 2>&1)" || {
    skip "ImportContacts does not work yet: ${probe:0:300}"
    return
  }
  local created
  created="$(python3 -c 'import json, sys; print(json.load(sys.stdin).get("created_count", 0))' <<<"$probe")"
  ((created == IMPORT_ROWS)) || die "the probe import created $created of $IMPORT_ROWS rows"
  # rows/s = rows / mean call time (see alternate_runs), over 15s windows.
  BENCH_DURATION_OVERRIDE="${BENCH_IMPORT_DURATION:-15s}" ROWS_PER_CALL="$IMPORT_ROWS" \
    alternate_runs "" import_contacts -- "" \
    "--target=$HOST:${PORTS[contacts]} --method=$CONTACTS/ImportContacts --connections=1 --deadline=60s --request_file=$WORK/import-{{round}}.json"
  report "ImportContacts, $IMPORT_ROWS rows/call" "" import_contacts rows_per_s "abs>=20000"
  report "ImportContacts, $IMPORT_ROWS rows/call" "" import_contacts p50_us ""
}

# wait_for_projection <account>: until engagement has the account from
# contacts' events (its score answers).
wait_for_projection() {
  for _ in $(seq 300); do
    call_once "${PORTS[engagement]}" "$ENGAGEMENT/GetRelationshipScore" \
      --request="{\"name\":\"$1/relationshipScore\"}" >/dev/null 2>&1 && return
    sleep 0.1
  done
  die "engagement never learnt $1 from contacts' events"
}

# batch_file <account> <n>: a BatchRecordInteractionsRequest of n
# interactions (a mix of relationship and transactional kinds), none of which
# creates follow-ups.
batch_file() {
  python3 - "$1" "$2" <<'PY'
import json, sys, time
account, n = sys.argv[1], int(sys.argv[2])
kinds = ["INTERACTION_KIND_EMAIL", "INTERACTION_KIND_CALL",
         "INTERACTION_KIND_MEETING", "INTERACTION_KIND_ADVICE_SESSION",
         "INTERACTION_KIND_RETAINER_INVOICE"]
now = int(time.time())
rows = []
for i in range(n):
    row = {"account": account, "kind": kinds[i % len(kinds)],
           "occur_time": {"seconds": now - 3600 * (i % 2000)},
           "direction": "INTERACTION_DIRECTION_INBOUND",
           "channel": "INTERACTION_CHANNEL_EMAIL", "staff_user": "bench"}
    if row["kind"] == "INTERACTION_KIND_RETAINER_INVOICE":
        row["amount"] = {"currency_code": "EUR", "amount_minor_units": 250000}
    rows.append(row)
print(json.dumps({"interactions": rows}))
PY
}

DESCRIBE[relationship_score]="engagement GetRelationshipScore (warm cache) at 8 and 1 connections vs noop (issue 5)"
scenario_relationship_score() {
  need_server bench_server
  need_server contacts
  need_server engagement
  local account
  account="$(create_account)" || die "cannot create an account: $account"
  wait_for_projection "$account"
  batch_file "$account" 200 >"$WORK/history.json"
  call_once "${PORTS[engagement]}" "$ENGAGEMENT/BatchRecordInteractions" \
    --request_file="$WORK/history.json" >/dev/null || die "cannot record history"
  local request="--request={\"name\":\"$account/relationshipScore\"}"
  alternate_runs noop8 score8 -- \
    "--target=$HOST:${PORTS[bench_server]} --method=$NOOP --connections=8" \
    "--target=$HOST:${PORTS[engagement]} --method=$ENGAGEMENT/GetRelationshipScore --connections=8 $request"
  report "GetRelationshipScore (warm) / noop, 8 connections" noop8 score8 qps ">=0.7"
  alternate_runs noop1 score1 -- \
    "--target=$HOST:${PORTS[bench_server]} --method=$NOOP --connections=1" \
    "--target=$HOST:${PORTS[engagement]} --method=$ENGAGEMENT/GetRelationshipScore --connections=1 $request"
  report "GetRelationshipScore (warm) / noop, 1 connection" noop1 score1 p50_us "<=1.3"
  report "GetRelationshipScore (warm) / noop, 1 connection" noop1 score1 qps ""
  # The warm read answers on the gRPC thread (from memory); the noop above
  # hops to the worker pool like every other RPC. Against a noop that
  # answers inline too, the read's own cost shows.
  need_server bench_inline
  alternate_runs inline8 score8i -- \
    "--target=$HOST:${PORTS[bench_inline]} --method=$NOOP --connections=8" \
    "--target=$HOST:${PORTS[engagement]} --method=$ENGAGEMENT/GetRelationshipScore --connections=8 $request"
  report "GetRelationshipScore (warm) / inline noop, 8 connections" inline8 score8i qps ""
  alternate_runs inline1 score1i -- \
    "--target=$HOST:${PORTS[bench_inline]} --method=$NOOP --connections=1" \
    "--target=$HOST:${PORTS[engagement]} --method=$ENGAGEMENT/GetRelationshipScore --connections=1 $request"
  report "GetRelationshipScore (warm) / inline noop, 1 connection" inline1 score1i p50_us ""
}

DESCRIBE[record_interactions]="engagement BatchRecordInteractions, 1,000 a call, one call at a time: rows/s (issue 5: >= 50,000/s)"
scenario_record_interactions() {
  need_server contacts
  need_server engagement
  local account
  account="$(create_account)" || die "cannot create an account: $account"
  wait_for_projection "$account"
  batch_file "$account" 1000 >"$WORK/batch.json"
  BENCH_DURATION_OVERRIDE="${BENCH_RECORD_DURATION:-15s}" ROWS_PER_CALL=1000 \
    alternate_runs "" record_interactions -- "" \
    "--target=$HOST:${PORTS[engagement]} --method=$ENGAGEMENT/BatchRecordInteractions --connections=1 --deadline=60s --request_file=$WORK/batch.json"
  report "BatchRecordInteractions, 1,000 per call" "" record_interactions rows_per_s "abs>=50000"
  report "BatchRecordInteractions, 1,000 per call" "" record_interactions p50_us ""
}

DESCRIBE[recompute]="engagement score recompute in-process (ScoreManager::ComputeNow over SQLite): 100,000 vs 10 interactions over the same two years (issue 5: <= 2x)"
scenario_recompute() {
  local bin="$BUILD_DIR/bench/score_recompute_bench"
  [[ -x "$bin" ]] || die "$bin is not built"
  log "score_recompute_bench, $RECOMPUTE_REPETITIONS repetitions (interleaved)"
  # Repetitions of the cases run in random order, so noise on the shared
  # machine spreads over all of them, as alternate_runs does for servers.
  "$bin" --histories=10,1000,10000,100000 \
    --benchmark_repetitions="$RECOMPUTE_REPETITIONS" \
    --benchmark_enable_random_interleaving=true \
    --benchmark_out="$WORK/recompute.json" --benchmark_out_format=json >&2 ||
    die "score_recompute_bench failed"
  # One line per repetition into results/<scenario>-recompute_<n>.jsonl.
  python3 - "$WORK/recompute.json" "$WORK/results/$CURRENT" <<'PY'
import json, sys
out, prefix = sys.argv[1], sys.argv[2]
to_us = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}
runs = [b for b in json.load(open(out))["benchmarks"]
        if b.get("run_type") == "iteration"]
if not runs or any(b.get("error_occurred") for b in runs):
    sys.exit("score_recompute_bench reported errors or no runs")
for b in runs:
    n = b["run_name"].rsplit("/", 1)[1]
    row = {"us_per_compute": b["real_time"] * to_us[b["time_unit"]],
           "buckets": b.get("buckets"), "interactions": b.get("interactions")}
    with open(f"{prefix}-recompute_{n}.jsonl", "a") as f:
        f.write(json.dumps(row) + "\n")
PY
  report "Score recompute, 100,000 vs 10 interactions" recompute_10 recompute_100000 us_per_compute "<=2"
  report "Score recompute, 100,000 vs 1,000 interactions" recompute_1000 recompute_100000 us_per_compute ""
}

DESCRIBE[score_cache_memory]="Redis used_memory per cached score: one real FULL score put for $CACHE_ACCOUNTS accounts through RedisScoreCache::Put, on a private redis-server"
scenario_score_cache_memory() {
  local bin="$BUILD_DIR/bench/score_cache_memory"
  [[ -x "$bin" ]] || die "$bin is not built"
  # Its own redis-server: servers of other scenarios write to the shared one.
  start_redis cache_memory_redis
  local port="${PORTS[cache_memory_redis]}" round json
  for round in $(seq "$ROUNDS"); do
    redis-cli -h "$HOST" -p "$port" FLUSHALL >/dev/null
    log "round $round/$ROUNDS: $CACHE_ACCOUNTS cached scores"
    json="$("$bin" --redis_address="$HOST:$port" --accounts="$CACHE_ACCOUNTS")" ||
      die "score_cache_memory failed"
    echo "$json" >&2
    echo "$json" >>"$WORK/results/$CURRENT-cached_scores.jsonl"
  done
  report "Redis per cached FULL score, $CACHE_ACCOUNTS accounts" "" cached_scores bytes_per_score ""
  report "Redis per cached FULL score, $CACHE_ACCOUNTS accounts" "" cached_scores score_bytes ""
}

DESCRIBE[btyd]="bench/btyd_eval: the customer model on $BTYD_CUSTOMERS synthetic customers of a known buy-till-you-die process (Pareto/NBD, CDNOW parameters): how well strength ranks who buys again after the cut, against recency and the true process (issue 12)"
scenario_btyd() {
  local bin="$BUILD_DIR/bench/btyd_eval" out
  [[ -x "$bin" ]] || die "$bin is not built"
  # Deterministic (a fixed seed), so one run is the figure, whatever ROUNDS.
  log "btyd_eval --customers=$BTYD_CUSTOMERS"
  out="$("$bin" --customers="$BTYD_CUSTOMERS")" || die "btyd_eval failed"
  echo "$out" >&2
  # Its last line is JSON: one results file per ranking (strength, recency,
  # frequency, pareto_nbd, oracle) with its figures (docs/performance.md).
  python3 -c 'import json, sys
r = json.loads(sys.argv[1])
for key in ("strength", "recency", "frequency", "pareto_nbd", "oracle"):
    row = {m: r[f"{key}_{m}"] for m in
           ("auc", "top_decile_lift", "spearman", "top_decile_share")}
    with open(f"{sys.argv[2]}-{key}.jsonl", "a") as f:
        f.write(json.dumps(row) + "\n")' "$(tail -n 1 <<<"$out")" "$WORK/results/$CURRENT" ||
    die "btyd_eval printed no figures"
  local metric
  for metric in auc top_decile_lift spearman top_decile_share; do
    report "BTYD population: strength / recency" recency strength "$metric" ""
  done
  for metric in auc top_decile_lift spearman top_decile_share; do
    report "BTYD population: strength / Pareto-NBD ceiling" pareto_nbd strength "$metric" ""
  done
}

DESCRIBE[reporting_scale]="bench/reporting_scale --scale=$REPORTING_SCALE: reporting's read model filled through its own event consumers (512 events a transaction) from a synthetic history of 100,000 accounts, 5,000,000 interactions and 200,000 tickets (times the scale), then every report at 1% and at full size in the same run (issue 13: ingestion >= 50,000 events/s; each report <= 2x its latency at 1%; peak RSS reported)"
scenario_reporting_scale() {
  local bin="$BUILD_DIR/bench/reporting_scale"
  [[ -x "$bin" ]] || die "$bin is not built"
  # One run: both sizes and their reports alternate inside it; the
  # repetitions are its own.
  log "reporting_scale --scale=$REPORTING_SCALE --repetitions=$REPORTING_REPETITIONS"
  "$bin" --scale="$REPORTING_SCALE" --repetitions="$REPORTING_REPETITIONS" \
    --work_dir="$WORK/reporting_scale" --output="$WORK/reporting_scale.json" >&2 ||
    die "reporting_scale failed"
  rm -rf "$WORK/reporting_scale"
  # Results files: ingestion and memory one row each; each report one row
  # per timed call at each size (the table takes their medians).
  python3 - "$WORK/reporting_scale.json" "$WORK/results/$CURRENT" <<'PY' ||
import json, sys
figures, prefix = json.load(open(sys.argv[1])), sys.argv[2]
def put(label, row):
    with open(f"{prefix}-{label}.jsonl", "a") as f:
        f.write(json.dumps(row) + "\n")
for model in ("small", "full"):
    put(f"ingest_{model}", {key: figures[model][key]
                            for key in ("events_per_s", "interactions_per_s")})
put("memory", {"peak_rss_mib": figures["peak_rss_mib_after_ingest"],
               "database_mib": figures["full"]["database_bytes"] / 2**20})
for key, report in figures["reports"].items():
    for ms in report["small_ms"]:
        put(f"{key}_1pct", {"ms": ms})
    for ms in report["full_ms"]:
        put(f"{key}_full", {"ms": ms})
PY
    die "reporting_scale wrote no figures"
  report "Reporting ingestion, full size, 512 events a transaction" "" ingest_full events_per_s "abs>=50000"
  report "Reporting ingestion, full size, 512 events a transaction" "" ingest_full interactions_per_s ""
  report "Reporting ingestion, 1% size" "" ingest_small events_per_s ""
  report "Reporting in-process peak RSS after ingestion (MiB)" "" memory peak_rss_mib ""
  report "Reporting database at full size (MiB)" "" memory database_mib ""
  local key
  for key in portfolio support workload at_risk funnel retention pipeline report_accounts; do
    report "Report $key: full size / 1%" "${key}_1pct" "${key}_full" ms "<=2"
  done
}

DESCRIBE[ticketing]="ticketing with $TICKETS open tickets (filled through CreateTicket, not measured), every first-response clock breached: GetTicket vs noop (qps at 8, p50 at 1), ListSlaAlerts first page p50 at 1 vs GetTicket's, CreateTicket at 8 (issue 11: GetTicket >= 50% of noop qps; ListSlaAlerts p50 <= 3x GetTicket's)"
scenario_ticketing() {
  need_server bench_server
  need_server contacts
  # engagement consumes ticketing's events: it would be recording the fill's
  # tickets and breaches while the RPCs below are measured.
  stop_server engagement
  need_server ticketing
  local out policy
  # Every ticket gets a first-response target of one minute (the least a
  # policy takes) and a resolution target of 30 days: a minute after the
  # fill, each has one breached clock and one running, not yet at risk.
  policy="$(call_once "${PORTS[ticketing]}" "$TICKETING/CreateSlaPolicy" --request='{
    "sla_policy": {"display_name": "Bench: first response within a minute",
      "rank": 0, "first_response_target": "60s", "resolution_target": "2592000s"}}' 2>&1)" || {
    [[ "$policy" == *UNIMPLEMENTED* ]] || die "cannot create an SLA policy: $policy"
    skip "ticketing does not implement SLA policies yet"
    return
  }
  local account contact
  account="$(create_account)" || die "cannot create an account: $account"
  out="$(call_once "${PORTS[contacts]}" "$CONTACTS/CreateContact" --request="{
    \"contact\": {\"account\": \"$account\", \"given_name\": \"Bench\",
      \"family_name\": \"Requester\", \"emails\": [{\"address\": \"requester@bench.example.com\"}]}}" 2>&1)" ||
    die "cannot create the requester: $out"
  contact="$(json_field contact.name <<<"$out")"
  local ticket="{\"ticket\":{\"account\":\"$account\",\"requester\":\"$contact\",\"product\":\"Retainer\",\"subject\":\"Bench ticket {{n}}\",\"description\":\"The invoice of this month does not match the retainer agreed; please check the hours billed.\",\"type\":\"TICKET_TYPE_PROBLEM\",\"priority\":\"TICKET_PRIORITY_NORMAL\",\"channel\":\"TICKET_CHANNEL_EMAIL\",\"tags\":[\"billing\"]}}"
  # Ticketing learns the account and the requester from contacts' events:
  # NOT_FOUND until then. The first ticket made is the one GetTicket reads.
  local first=""
  for _ in $(seq 1200); do
    out="$(call_once "${PORTS[ticketing]}" "$TICKETING/CreateTicket" --request="$ticket" 2>&1)" && {
      first="$(json_field ticket.name <<<"$out")"
      break
    }
    [[ "$out" == *NOT_FOUND* ]] || die "CreateTicket failed: $out"
    sleep 0.1
  done
  [[ -n "$first" ]] || die "ticketing never learnt $account from contacts' events"
  # The fill: through the API, as agents and forms would, outside the
  # measured runs. The last ticket is made alone: the SLA job publishes
  # breaches in due order, so its breach is the last one.
  log "filling: $((TICKETS - 2)) more tickets through CreateTicket at 8 connections"
  out="$(grpc_load --target="$HOST:${PORTS[ticketing]}" --method="$TICKETING/CreateTicket" \
    --token="$TOKEN" --connections=8 --calls="$((TICKETS - 2))" --duration=2h \
    --deadline=60s --request="$ticket")" || die "the fill failed: $out"
  echo "$out" >&2
  out="$(call_once "${PORTS[ticketing]}" "$TICKETING/CreateTicket" --request="$ticket" 2>&1)" ||
    die "CreateTicket failed: $out"
  local last
  last="$(json_field ticket.name <<<"$out")"
  # Measured once the SLA job has published every breach (one event and
  # history entry per ticket, once): the steady state, not the catch-up.
  log "waiting for the SLA job to publish the breach of $last (due a minute after it was made)"
  local waited=0
  for (( ; ; waited += 5)); do
    out="$(call_once "${PORTS[ticketing]}" "$TICKETING/ListTicketHistory" \
      --request="{\"parent\":\"$last\",\"page_size\":1000}" 2>&1)" ||
      die "ListTicketHistory failed: $out"
    [[ "$out" == *TICKET_HISTORY_KIND_SLA_BREACHED* ]] && break
    ((waited < 3600)) || die "the SLA job did not publish the breach of $last within an hour"
    sleep 5
  done
  log "breaches published after ${waited}s"
  # The figure means something only if the first page is full of alerts.
  out="$(call_once "${PORTS[ticketing]}" "$TICKETING/ListSlaAlerts" 2>&1)" ||
    die "ListSlaAlerts failed: $out"
  python3 -c 'import json, sys
r = json.load(sys.stdin)
alerts = r.get("sla_alerts", [])
if len(alerts) != 50 or not r.get("next_page_token") or any(a.get("state") != "SLA_ALERT_STATE_BREACHED" for a in alerts):
    sys.exit("the first page of ListSlaAlerts is not 50 breaches with more to come: %d alerts" % len(alerts))' <<<"$out" ||
    die "unexpected ListSlaAlerts page"

  local noop="--target=$HOST:${PORTS[bench_server]} --method=$NOOP"
  local tk="--target=$HOST:${PORTS[ticketing]} --method=$TICKETING"
  local get="--request={\"name\":\"$first\"}"
  alternate_runs noop1 get_ticket1 sla_alerts1 -- \
    "$noop --connections=1" \
    "$tk/GetTicket --connections=1 $get" \
    "$tk/ListSlaAlerts --connections=1"
  report "GetTicket / noop, 1 connection" noop1 get_ticket1 p50_us ""
  report "ListSlaAlerts, first page of 50 / GetTicket, 1 connection" get_ticket1 sla_alerts1 p50_us "<=3"
  report "ListSlaAlerts, first page of 50 / GetTicket, 1 connection" get_ticket1 sla_alerts1 p99_us ""
  report "ListSlaAlerts, first page of 50 / noop, 1 connection" noop1 sla_alerts1 p50_us ""
  alternate_runs noop8 get_ticket8 -- \
    "$noop --connections=8" \
    "$tk/GetTicket --connections=8 $get"
  report "GetTicket / noop, 8 connections" noop8 get_ticket8 qps ">=0.5"
  report "GetTicket / noop, 8 connections" noop8 get_ticket8 p50_us ""
  report "GetTicket / noop, 8 connections" noop8 get_ticket8 p99_us ""
  # Last: it adds tickets (the subjects differ per call, like the fill's).
  alternate_runs noop8c create_ticket8 -- \
    "$noop --connections=8" \
    "$tk/CreateTicket --connections=8 --request=$ticket"
  report "CreateTicket / noop, 8 connections" noop8c create_ticket8 qps ""
  report "CreateTicket / noop, 8 connections" noop8c create_ticket8 p50_us ""
  report "CreateTicket / noop, 8 connections" noop8c create_ticket8 p99_us ""
  # Its SLA job would publish the breaches of the tickets just made during
  # the next scenarios, and its consumer would follow their contacts.
  stop_server ticketing
}

# ---------------------------------------------------------------- machinery
declare -A PORTS=() PIDS=()
WORK=""
REDIS_PID=""
TOKEN=""
REPORT_ROWS=()
SKIPPED=()

cleanup() {
  local name
  for name in "${!PIDS[@]}"; do
    kill -TERM "${PIDS[$name]}" 2>/dev/null || true
  done
  for name in "${!PIDS[@]}"; do
    wait "${PIDS[$name]}" 2>/dev/null || true
  done
  if [[ -n "$REDIS_PID" ]]; then
    kill -TERM "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  if [[ -n "$WORK" && -z "${BENCH_KEEP:-}" ]]; then
    rm -rf "$WORK"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

grpc_load() { "$BUILD_DIR/bench/grpc_load" "$@"; }

# json_field <a.b.c>: that field of the JSON object on stdin.
json_field() {
  python3 -c 'import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1].split("."):
    value = value[key]
print(value)' "$1"
}

# call_once <port> <method> [flags...]: one call, the response JSON on stdout.
call_once() {
  local port="$1" method="$2"
  shift 2
  grpc_load --once --target="$HOST:$port" --method="$method" --token="$TOKEN" \
    --deadline=60s "$@"
}

# start_redis [name]: a redis-server at PORTS[<name>], once. The default,
# "redis", is the one every server uses (stopped after them); another name
# is a private one, stopped with the servers.
start_redis() {
  local name="${1:-redis}"
  [[ -n "${PORTS[$name]:-}" ]] && return
  local port
  port="$(free_port)"
  mkdir -p "$WORK/$name"
  redis-server --bind "$HOST" --port "$port" --dir "$WORK/$name" \
    --appendonly yes --appendfsync everysec --save "" \
    >"$WORK/$name.log" 2>&1 </dev/null &
  if [[ "$name" == redis ]]; then
    REDIS_PID=$!
  else
    PIDS[$name]=$!
  fi
  PORTS[$name]="$port"
  for _ in $(seq 100); do
    redis-cli -h "$HOST" -p "$port" ping >/dev/null 2>&1 && return
    sleep 0.1
  done
  die "redis-server did not start (see $WORK/$name.log)"
}

# need_server <name>: starts bench_server or services/<name>/<name> once.
need_server() {
  local name="$1"
  [[ -n "${PORTS[$name]:-}" ]] && return
  start_redis
  local path="$BUILD_DIR/services/$name/$name" extra=()
  [[ "$name" == bench_server ]] && path="$BUILD_DIR/bench/bench_server"
  # bench_inline: a second bench_server whose Noop answers on the gRPC
  # thread, the fastest any RPC of the framework can answer.
  [[ "$name" == bench_inline ]] && path="$BUILD_DIR/bench/bench_server" extra=(--noop_inline)
  # ticketing calls contacts (the support form's FindOrCreateContact).
  if [[ "$name" == ticketing ]]; then
    need_server contacts
    extra=(--contacts_address="$HOST:${PORTS[contacts]}")
  fi
  [[ -x "$path" ]] || die "$path is not built"
  local port
  port="$(free_port)"
  "$path" --host="$HOST" --port="$port" --data_dir="$WORK/data" \
    --token_file="$WORK/tokens.txt" --redis_address="$HOST:${PORTS[redis]}" \
    --readiness_interval=100ms "${extra[@]}" "${SERVER_FLAGS[@]}" \
    >"$WORK/$name.log" 2>&1 </dev/null &
  PIDS[$name]=$!
  PORTS[$name]="$port"
  for _ in $(seq 300); do
    if [[ "$(grpc_load --once --target="$HOST:$port" --deadline=1s \
      --method=grpc.health.v1.Health/Check 2>/dev/null)" == *'"SERVING"'* ]]; then
      return
    fi
    kill -0 "${PIDS[$name]}" 2>/dev/null || die "$name exited; see $WORK/$name.log"
    sleep 0.1
  done
  die "$name is not SERVING after 30s; see $WORK/$name.log"
}

# stop_server <name>: stops a server need_server started, if it runs; a
# later need_server starts it again on the same data.
stop_server() {
  local name="$1"
  [[ -n "${PIDS[$name]:-}" ]] || return 0
  log "stopping $name"
  kill -TERM "${PIDS[$name]}" 2>/dev/null || true
  wait "${PIDS[$name]}" 2>/dev/null || true
  unset "PIDS[$name]" "PORTS[$name]"
}

# create_account: makes a fixture account; its name on stdout, or the error.
create_account() {
  local out
  out="$(call_once "${PORTS[contacts]}" "$CONTACTS/CreateAccount" --request='{
    "account": {"display_name": "Bench Law Partners", "kind": "ACCOUNT_KIND_ORGANIZATION",
      "segment": "ACCOUNT_SEGMENT_B2B", "tier": "ACCOUNT_TIER_PREMIUM",
      "lifecycle_stage": "LIFECYCLE_STAGE_ACTIVE",
      "commercial_terms": {"model": "COMMERCIAL_MODEL_RETAINER",
        "billing_cycle": "BILLING_CYCLE_MONTHLY"},
      "locale": "en-GB", "time_zone": "Europe/London"}}' 2>&1)" || {
    echo "$out"
    return 1
  }
  python3 -c 'import json, sys; print(json.load(sys.stdin)["account"]["name"])' <<<"$out"
}

# import_file <account> <run>: an ImportContactsRequest of IMPORT_ROWS rows
# whose emails are unique per run and per call ({{n}}).
import_file() {
  python3 - "$1" "$IMPORT_ROWS" "$2" <<'PY'
import json, sys
account, rows, run = sys.argv[1], int(sys.argv[2]), sys.argv[3]
print(json.dumps({
    "default_account": account,
    "rows": [{"row_key": str(i),
              "contact": {"given_name": "Import", "family_name": f"Row {i}",
                          "emails": [{"address": f"i-{run}-{{{{n}}}}-{i}@bench.example.com"}]}}
             for i in range(rows)]}))
PY
}

skip() {
  SKIPPED+=("$CURRENT: $*")
  log "skipping $CURRENT: $*"
}

# alternate_runs <baseline label> <target label>... -- <baseline flags> <target flags>...
# Runs baseline then each target in turn, ROUNDS times; each run's JSON is
# appended to $WORK/results/<scenario>-<label>.jsonl. An empty label skips
# that side. "{{round}}" in the flags becomes the round number. A run that
# fails (a non-OK status, or no call at all) stops the benchmark: a figure
# with failures is no figure.
alternate_runs() {
  local labels=() all_flags=()
  while (($#)) && [[ "$1" != -- ]]; do
    labels+=("$1")
    shift
  done
  (($#)) && shift
  all_flags=("$@")
  ((${#labels[@]} == ${#all_flags[@]})) ||
    die "alternate_runs: ${#labels[@]} labels but ${#all_flags[@]} flag sets"
  local round label flags i
  for round in $(seq "$ROUNDS"); do
    for i in "${!labels[@]}"; do
      label="${labels[$i]}" flags="${all_flags[$i]}"
      [[ -z "$label" ]] && continue
      flags="${flags//\{\{round\}\}/$round}"
      local -a args
      read -r -a args <<<"${flags%%--request=*}"
      [[ "$flags" == *--request=* ]] && args+=("--request=${flags#*--request=}")
      log "round $round/$ROUNDS: $label"
      local json
      json="$(grpc_load "${args[@]}" --token="$TOKEN" \
        --duration="${BENCH_DURATION_OVERRIDE:-$DURATION}" --warmup="$WARMUP")" ||
        die "$label failed: $json"
      if [[ -n "${ROWS_PER_CALL:-}" ]]; then
        json="$(python3 -c 'import json, sys
r = json.loads(sys.argv[1])
# One call at a time, back to back: rows / mean call time. (Calls per window
# would be off by up to one whole call in a window of only a dozen.)
r["rows_per_s"] = round(int(sys.argv[2]) * 1e6 / r["mean_us"], 1) if r["mean_us"] else 0
print(json.dumps(r))' "$json" "$ROWS_PER_CALL")"
      fi
      echo "$json" >>"$WORK/results/$CURRENT-$label.jsonl"
      echo "$json" >&2
    done
  done
}

# report <title> <baseline label or ""> <target label> <metric> <goal>
# goal: ">=0.5" / "<=1.3" on the ratio, "abs>=20000" on the target's median.
report() {
  REPORT_ROWS+=("$1|${2:+$CURRENT-$2}|$CURRENT-$3|$4|$5")
}

print_table() {
  printf '%s\n' "${REPORT_ROWS[@]}" >"$WORK/report-rows"
  python3 - "$WORK/results" "$WORK/report-rows" <<'PY'
import json, os, statistics, sys
results, report_rows = sys.argv[1], sys.argv[2]
def fmt(value):
    # Figures below 10 (rank statistics such as an AUC) keep three decimals.
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
def median(label, metric):
    with open(os.path.join(results, label + ".jsonl")) as f:
        values = [json.loads(line)[metric] for line in f if line.strip()]
    return statistics.median(values), len(values)
rows = [("benchmark", "metric", "baseline (median)", "target (median)", "ratio", "goal", "verdict")]
for line in open(report_rows).read().splitlines():
    if not line:
        continue
    title, base, target, metric, goal = line.split("|")
    t, n = median(target, metric)
    if base:
        b, _ = median(base, metric)
        ratio = t / b if b else float("nan")
        ratio_text = f"{ratio:.2f}"
    else:
        b, ratio, ratio_text = None, None, "-"
    verdict = ""
    if goal.startswith("abs>="):
        verdict = "PASS" if t >= float(goal[5:]) else "FAIL"
    elif goal.startswith(">="):
        verdict = "PASS" if ratio >= float(goal[2:]) else "FAIL"
    elif goal.startswith("<="):
        verdict = "PASS" if ratio <= float(goal[2:]) else "FAIL"
    rows.append((title, metric, "-" if b is None else fmt(b), fmt(t),
                 ratio_text, goal.replace("abs", "") or "-", verdict))
widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
for i, r in enumerate(rows):
    print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
    if i == 0:
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
PY
}

main() {
  local build=1 selected=()
  for arg in "$@"; do
    case "$arg" in
      --no-build) build=0 ;;
      --list)
        for s in "${SCENARIOS[@]}"; do
          printf '%-20s %s\n' "$s" "${DESCRIBE[$s]}"
        done
        exit 0 ;;
      -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
      -*) die "unknown option: $arg (try --help)" ;;
      *)
        declare -F "scenario_$arg" >/dev/null || die "unknown scenario: $arg (try --list)"
        selected+=("$arg") ;;
    esac
  done
  ((${#selected[@]})) || selected=("${SCENARIOS[@]}")

  if ((build)); then
    ensure_dependencies
    log "building ($BUILD_TYPE) in ${BUILD_DIR#"$ROOT"/}"
    mkdir -p "$ROOT/build"
    # The build tree is shared with other builds (scripts/up.sh, engineers).
    exec {lock}>"$ROOT/build/.build.lock"
    flock "$lock"
    configure_and_build "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
      -DCLIENTELE_SANITIZE=OFF >/dev/null
    flock -u "$lock"
  fi
  [[ -x "$BUILD_DIR/bench/grpc_load" ]] || die "$BUILD_DIR/bench/grpc_load is not built"

  WORK="$(mktemp -d -t clientele-bench-XXXXXX)"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$WORK/data" "$WORK/results"
  TOKEN="$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')"
  printf '%s bench admin\n' "$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)" \
    >"$WORK/tokens.txt"

  for CURRENT in "${selected[@]}"; do
    log "scenario $CURRENT"
    "scenario_$CURRENT"
  done

  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC') $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || true)" \
    "$(nproc) cores; rounds=$ROUNDS duration=$DURATION warmup=$WARMUP; build ${BUILD_DIR#"$ROOT"/} ($BUILD_TYPE)"
  ((${#REPORT_ROWS[@]})) && print_table
  local s
  for s in "${SKIPPED[@]}"; do echo "skipped: $s"; done
}

main "$@"
