#include "common/events/relay.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/events/stream_entry.h"
#include "common/log.h"
#include "common/status_macros.h"

namespace clientele::events {
namespace {

using redis::Reply;

void Warn(const std::string& message) {
  LOG(WARNING) << "outbox relay: " << message;
}

// KEYS: the stream of each entry. ARGV[1]: MAXLEN; then, per entry, the
// number n of field/value arguments followed by those n arguments. Returns
// {entries published, "" or the first refusal}.
constexpr char kPublishScript[] =
    "local published = 0 "
    "local a = 2 "
    "for i = 1, #KEYS do "
    "  local n = tonumber(ARGV[a]) "
    "  local id = redis.pcall('XADD', KEYS[i], 'MAXLEN', '~', ARGV[1], '*', "
    "    unpack(ARGV, a + 1, a + n)) "
    "  if type(id) == 'table' and id.err then return {published, id.err} end "
    "  published = published + 1 "
    "  a = a + 1 + n "
    "end "
    "return {published, ''}";

// KEYS[1]: a stream; KEYS[2]: its replay requests. Returns {the seq of the
// stream's newest entry (0 when it is empty or gone or the entry has none,
// -1 when the key is not a stream), the requests as [group, from, ...]},
// and deletes the requests it returns.
constexpr char kCheckScript[] =
    "local last = 0 "
    "local newest = redis.pcall('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1) "
    "if type(newest) == 'table' and newest.err then "
    "  last = -1 "
    "elseif #newest > 0 then "
    "  local f = newest[1][2] "
    "  for i = 1, #f - 1, 2 do "
    "    if f[i] == 'seq' then last = tonumber(f[i + 1]) or 0 end "
    "  end "
    "end "
    "local requests = redis.call('HGETALL', KEYS[2]) "
    "if #requests > 0 then redis.call('DEL', KEYS[2]) end "
    "return {last, requests}";

struct PendingRow {
  int64_t seq = 0;
  int64_t stream_seq = 0;
  std::string event_id;
  std::string stream;
  std::string tenant;
  std::string type;
  std::string payload;
};

std::vector<std::string> EventFields(PendingRow& row) {
  std::vector<std::string> fields = {kEventIdField, std::move(row.event_id),
                                     kTenantField,  std::move(row.tenant),
                                     kTypeField,    std::move(row.type),
                                     kPayloadField, std::move(row.payload)};
  if (row.stream_seq > 0) {
    fields.push_back(kSeqField);
    fields.push_back(absl::StrCat(row.stream_seq));
  }
  return fields;
}

}  // namespace

OutboxRelay::OutboxRelay(sql::Database* db, redis::RedisClient* redis,
                         Clock* clock, OutboxRelayOptions options)
    : db_(db), redis_(redis), clock_(clock), options_(options) {}

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

absl::StatusOr<int> OutboxRelay::Round() {
  if (clock_->Now() >= next_check_) {
    RETURN_IF_ERROR(CheckStreams());
    next_check_ = clock_->Now() + options_.check_interval;
  }
  if (!replay_from_.empty()) return ReplayBatch();
  return PublishBatch();
}

absl::Status OutboxRelay::CheckStreams() {
  // Each stream this database publishes to, with its last published
  // position (0: nothing published is retained).
  std::vector<std::pair<std::string, int64_t>> heads;
  RETURN_IF_ERROR(db_->Read([&](sql::Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> streams,
        txn.Query("SELECT stream, published_seq FROM outbox_streams"));
    for (const sql::Row& stream : streams) {
      heads.emplace_back(stream.String(0), stream.Int(1));
    }
    return absl::OkStatus();
  }));

  for (const auto& [stream, head] : heads) {
    const std::string args[] = {"EVAL", kCheckScript, "2", stream,
                                ReplayRequestsKey(stream)};
    ASSIGN_OR_RETURN(Reply reply, redis_->Command(args));
    if (reply.type != Reply::Type::kArray || reply.elements.size() != 2 ||
        reply.elements[0].type != Reply::Type::kInteger) {
      return absl::InternalError(absl::StrCat(
          "checking ", stream, " refused: ",
          reply.type == Reply::Type::kError ? reply.str : "unexpected reply"));
    }
    int64_t from = std::numeric_limits<int64_t>::max();
    const int64_t newest = reply.elements[0].integer;
    if (head > 0 && newest >= 0 && newest < head) {
      // Redis lost the end of the stream. From the entry after its newest
      // one; with nothing left, the last row alone tells every consumer how
      // far behind it is, and each asks for what it lacks.
      from = newest > 0 ? newest + 1 : head;
      Warn(absl::StrCat(stream, " ends at position ", newest,
                        " but was published through ", head,
                        " (Redis lost data): publishing again from ", from));
    }
    const std::vector<Reply>& requests = reply.elements[1].elements;
    for (size_t i = 0; i + 1 < requests.size(); i += 2) {
      int64_t wanted = 0;
      if (!absl::SimpleAtoi(requests[i + 1].str, &wanted) || wanted < 1) {
        continue;
      }
      // Beyond `head` nothing was published: it is waiting and comes anyway.
      if (wanted > head) continue;
      LOG(INFO) << "outbox relay: consumer group " << requests[i].str
                << " asks for " << stream << " again from position " << wanted
                << " (published through " << head << ")";
      from = std::min(from, wanted);
    }
    if (from == std::numeric_limits<int64_t>::max()) continue;
    auto [it, inserted] = replay_from_.emplace(stream, from);
    if (!inserted) it->second = std::min(it->second, from);
  }
  return absl::OkStatus();
}

absl::StatusOr<int> OutboxRelay::ReplayBatch() {
  const auto it = replay_from_.begin();
  const std::string stream = it->first;
  const int64_t from = it->second;
  const int64_t limit = std::max(1, options_.batch_size);
  std::vector<PendingRow> rows;
  RETURN_IF_ERROR(db_->Read([&](sql::Transaction& txn) -> absl::Status {
    const sql::Value params[] = {stream, from, limit};
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> result,
        txn.Query("SELECT stream_seq, event_id, tenant, type, payload "
                  "FROM outbox JOIN outbox_streams USING (stream) "
                  "WHERE stream = ? AND stream_seq >= ? AND "
                  "stream_seq <= published_seq ORDER BY stream_seq LIMIT ?",
                  params));
    rows.reserve(result.size());
    for (const sql::Row& row : result) {
      rows.push_back({0, row.Int(0), row.String(1), stream, row.String(2),
                      row.String(3), row.String(4)});
    }
    return absl::OkStatus();
  }));
  if (rows.empty()) {
    replay_from_.erase(it);
    return 0;
  }

  std::vector<Entry> entries;
  std::vector<int64_t> next_after;  // per entry: where the replay goes on
  int64_t expected = from;
  for (PendingRow& row : rows) {
    if (row.stream_seq > expected) {
      LOG(ERROR) << "outbox relay: " << stream << " positions " << expected
                 << ".." << row.stream_seq - 1
                 << " are no longer in the outbox (past the retention): "
                    "consumers that lack them lose them";
      entries.push_back({stream,
                         {kLostFromField, absl::StrCat(expected), kSeqField,
                          absl::StrCat(row.stream_seq - 1)}});
      next_after.push_back(row.stream_seq);
    }
    expected = row.stream_seq + 1;
    entries.push_back({stream, EventFields(row)});
    next_after.push_back(expected);
  }
  size_t published = 0;
  const absl::Status status = Xadd(entries, &published);
  if (published > 0) it->second = next_after[published - 1];
  RETURN_IF_ERROR(status);
  if (static_cast<int64_t>(rows.size()) < limit) {
    LOG(INFO) << "outbox relay: published " << stream << " again from "
              << "position " << from << " through " << expected - 1;
    replay_from_.erase(it);
  }
  int events = 0;
  for (const Entry& entry : entries) {
    if (entry.fields[0] == kEventIdField) ++events;
  }
  return events;
}

absl::StatusOr<int> OutboxRelay::PublishBatch() {
  std::vector<PendingRow> rows;
  RETURN_IF_ERROR(db_->Read([&](sql::Transaction& txn) -> absl::Status {
    const sql::Value params[] = {int64_t{std::max(1, options_.batch_size)}};
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> result,
        txn.Query("SELECT outbox.seq, outbox.stream_seq, outbox.event_id, "
                  "stream, outbox.tenant, outbox.type, outbox.payload "
                  "FROM outbox JOIN outbox_streams USING (stream) "
                  "WHERE outbox.stream_seq > outbox_streams.published_seq "
                  "ORDER BY outbox.seq LIMIT ?",
                  params));
    rows.reserve(result.size());
    for (const sql::Row& row : result) {
      rows.push_back({row.Int(0), row.Int(1), row.String(2), row.String(3),
                      row.String(4), row.String(5), row.String(6)});
    }
    return absl::OkStatus();
  }));
  if (rows.empty()) return 0;

  std::vector<Entry> entries;
  entries.reserve(rows.size());
  for (PendingRow& row : rows) {
    entries.push_back({row.stream, EventFields(row)});
  }
  size_t published = 0;
  const absl::Status publish_status = Xadd(entries, &published);

  if (published > 0) {
    // One mark per stream: the entries went out in position order, so the
    // highest published position covers every row below it. (Positions
    // commit in order: appends to a stream serialize on its counter row.)
    absl::flat_hash_map<std::string, int64_t> published_through;
    for (size_t i = 0; i < published; ++i) {
      int64_t& through = published_through[rows[i].stream];
      through = std::max(through, rows[i].stream_seq);
    }
    const int64_t now = absl::ToUnixMicros(clock_->Now());
    RETURN_IF_ERROR(db_->Write([&](sql::Transaction& txn) -> absl::Status {
      for (const auto& [stream, through] : published_through) {
        const sql::Value params[] = {through, now, stream};
        RETURN_IF_ERROR(txn.Exec("UPDATE outbox_streams SET published_seq = "
                                 "max(published_seq, ?), published_at_us = ? "
                                 "WHERE stream = ?",
                                 params)
                            .status());
      }
      return absl::OkStatus();
    }));
  }
  RETURN_IF_ERROR(publish_status);
  return static_cast<int>(published);
}

absl::Status OutboxRelay::Xadd(const std::vector<Entry>& entries,
                               size_t* published) {
  *published = 0;
  if (entries.empty()) return absl::OkStatus();
  // One round trip for the whole batch: a script XADDs the entries in order
  // and stops at the first refusal, so a later entry is never published
  // before an earlier one.
  std::vector<std::string> args = {"EVAL", kPublishScript,
                                   absl::StrCat(entries.size())};
  for (const Entry& entry : entries) args.push_back(entry.stream);
  args.push_back(absl::StrCat(options_.max_stream_length));
  for (const Entry& entry : entries) {
    args.push_back(absl::StrCat(entry.fields.size()));
    args.insert(args.end(), entry.fields.begin(), entry.fields.end());
  }
  ASSIGN_OR_RETURN(Reply reply, redis_->Command(args));
  if (reply.type != Reply::Type::kArray || reply.elements.size() != 2 ||
      reply.elements[0].type != Reply::Type::kInteger) {
    // E.g. scripting disabled, or OOM before the first XADD.
    return absl::InternalError(absl::StrCat(
        "publishing refused: ",
        reply.type == Reply::Type::kError ? reply.str : "unexpected reply"));
  }
  *published = static_cast<size_t>(std::clamp<int64_t>(
      reply.elements[0].integer, 0, static_cast<int64_t>(entries.size())));
  if (!reply.elements[1].str.empty() && *published < entries.size()) {
    // E.g. WRONGTYPE or OOM: retried like an outage, since publishing later
    // entries first would reorder the stream.
    return absl::InternalError(
        absl::StrCat("XADD to ", entries[*published].stream,
                     " refused: ", reply.elements[1].str));
  }
  return absl::OkStatus();
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
    absl::StatusOr<int> published = Round();
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
    // More rows are waiting, or a replay goes on.
    if (*published >= options_.batch_size || !replay_from_.empty()) continue;
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(this, &OutboxRelay::WakeOrStop),
                         options_.poll_interval);
  }
}

}  // namespace clientele::events
