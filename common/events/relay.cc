#include "common/events/relay.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status_macros.h"

namespace clientele::events {
namespace {

void Warn(const std::string& message) {
  LOG(WARNING) << "outbox relay: " << message;
}

// KEYS: one stream per row. ARGV[1]: MAXLEN; then event_id, tenant, type,
// payload per row. Returns {rows published, "" or the first refusal}.
constexpr char kPublishScript[] =
    "local published = 0 "
    "for i = 1, #KEYS do "
    "  local a = 1 + (i - 1) * 4 "
    "  local id = redis.pcall('XADD', KEYS[i], 'MAXLEN', '~', ARGV[1], '*', "
    "    'event_id', ARGV[a + 1], 'tenant', ARGV[a + 2], 'type', ARGV[a + 3], "
    "    'payload', ARGV[a + 4]) "
    "  if type(id) == 'table' and id.err then return {published, id.err} end "
    "  published = published + 1 "
    "end "
    "return {published, ''}";

struct PendingRow {
  int64_t seq = 0;
  std::string event_id;
  std::string stream;
  std::string tenant;
  std::string type;
  std::string payload;
};

}  // namespace

OutboxRelay::OutboxRelay(sql::Database* db, redis::RedisClient* redis,
                         OutboxRelayOptions options)
    : db_(db), redis_(redis), options_(options) {}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Start() {
  thread_ = std::thread([this] { Run(); });
}

void OutboxRelay::Wake() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

void OutboxRelay::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int> OutboxRelay::PublishBatch() {
  std::vector<PendingRow> rows;
  RETURN_IF_ERROR(db_->Read([&](sql::Transaction& txn) -> absl::Status {
    const sql::Value params[] = {int64_t{std::max(1, options_.batch_size)}};
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> result,
        txn.Query("SELECT seq, event_id, stream, tenant, type, payload "
                  "FROM outbox ORDER BY seq LIMIT ?",
                  params));
    rows.reserve(result.size());
    for (const sql::Row& row : result) {
      rows.push_back({row.Int(0), row.String(1), row.String(2), row.String(3),
                      row.String(4), row.String(5)});
    }
    return absl::OkStatus();
  }));
  if (rows.empty()) return 0;

  // One round trip for the whole batch: a script XADDs the rows in order
  // and stops at the first refusal, so a later row is never published
  // before an earlier one.
  std::vector<std::string> args = {"EVAL", kPublishScript,
                                   absl::StrCat(rows.size())};
  args.reserve(4 + rows.size() * 5);
  for (const PendingRow& row : rows) args.push_back(row.stream);
  args.push_back(absl::StrCat(options_.max_stream_length));
  for (PendingRow& row : rows) {
    args.push_back(std::move(row.event_id));
    args.push_back(std::move(row.tenant));
    args.push_back(std::move(row.type));
    args.push_back(std::move(row.payload));
  }
  std::vector<int64_t> published;
  absl::Status publish_status;
  absl::StatusOr<redis::Reply> reply = redis_->Command(args);
  if (!reply.ok()) {
    publish_status = reply.status();
  } else if (reply->type != redis::Reply::Type::kArray ||
             reply->elements.size() != 2 ||
             reply->elements[0].type != redis::Reply::Type::kInteger) {
    // E.g. scripting disabled, or OOM before the first XADD.
    publish_status = absl::InternalError(absl::StrCat(
        "publishing refused: ", reply->type == redis::Reply::Type::kError
                                    ? reply->str
                                    : "unexpected reply"));
  } else {
    const int64_t count = std::clamp<int64_t>(
        reply->elements[0].integer, 0, static_cast<int64_t>(rows.size()));
    for (int64_t i = 0; i < count; ++i) published.push_back(rows[i].seq);
    if (!reply->elements[1].str.empty() &&
        count < static_cast<int64_t>(rows.size())) {
      // E.g. WRONGTYPE or OOM: retried like an outage, since publishing
      // later rows first would reorder the stream.
      publish_status = absl::InternalError(
          absl::StrCat("XADD to ", rows[count].stream,
                       " refused: ", reply->elements[1].str));
    }
  }

  if (!published.empty()) {
    // Deleted by seq rather than "seq <= last": with a database whose
    // sequences can commit out of order, a lower seq may still be unread.
    RETURN_IF_ERROR(db_->Write([&](sql::Transaction& txn) -> absl::Status {
      for (int64_t seq : published) {
        const sql::Value params[] = {seq};
        RETURN_IF_ERROR(
            txn.Exec("DELETE FROM outbox WHERE seq = ?", params).status());
      }
      return absl::OkStatus();
    }));
  }
  if (!publish_status.ok()) return publish_status;
  return static_cast<int>(published.size());
}

void OutboxRelay::Run() {
  absl::Duration backoff = options_.min_backoff;
  int64_t failures = 0;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      wake_ = false;
    }
    absl::StatusOr<int> published = PublishBatch();
    if (!published.ok()) {
      // The first failure and then every tenth, so an outage is visible
      // without flooding the log.
      if (failures % 10 == 0) {
        Warn(absl::StrCat("publishing failed (", failures + 1,
                          " times so far), retrying in ",
                          absl::FormatDuration(backoff), ": ",
                          published.status().ToString()));
      }
      ++failures;
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), backoff);
      backoff = std::min(backoff * 2, options_.max_backoff);
      continue;
    }
    if (failures > 0) {
      Warn(absl::StrCat("publishing again after ", failures, " failures"));
      failures = 0;
    }
    backoff = options_.min_backoff;
    if (*published >= options_.batch_size) continue;  // more rows are waiting
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(this, &OutboxRelay::WakeOrStop),
                         options_.poll_interval);
  }
}

}  // namespace clientele::events
