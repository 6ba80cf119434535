#include "services/reporting/projector.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/log.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/projector_parts.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {
namespace projector_internal {

int64_t MicrosOf(const google::protobuf::Timestamp& timestamp) {
  if (!IsValidTimestamp(timestamp)) return 0;
  return ToMicros(ToTime(timestamp));
}

std::optional<int64_t> DayOfDate(const type::v1::Date& date) {
  if (date.year() < 1 || date.month() < 1 || date.month() > 12 ||
      date.day() < 1 || date.day() > 31) {
    return std::nullopt;
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  // CivilDay normalizes 31 February to 3 March: not a date.
  if (day.month() != date.month() || day.day() != date.day()) {
    return std::nullopt;
  }
  return day - absl::CivilDay(1970, 1, 1);
}

absl::Status PutVersion(sql::Transaction& txn, absl::string_view table,
                        absl::string_view key_column, const EventContext& ctx,
                        const std::string& key,
                        const std::vector<Column>& columns) {
  std::string names;
  std::string placeholders;
  for (const Column& column : columns) {
    absl::StrAppend(&names, ", ", column.first);
    absl::StrAppend(&placeholders, ", ?");
  }
  ASSIGN_OR_RETURN(std::vector<sql::Row> current,
                   txn.Query(absl::StrCat("SELECT from_us", names, " FROM ",
                                          table, " WHERE tenant = ? AND ",
                                          key_column, " = ? AND to_us = ?"),
                             {ctx.tenant, key, kOpenEndUs}));
  int64_t start_us = ctx.at_us;
  if (!current.empty()) {
    const sql::Row& row = current.front();
    bool same = true;
    for (size_t i = 0; i < columns.size() && same; ++i) {
      same = row.value(i + 1) == columns[i].second;
    }
    if (same) return absl::OkStatus();
    const int64_t current_from = row.Int(0);
    start_us = std::max(start_us, current_from);
    if (start_us == current_from) {
      RETURN_IF_ERROR(
          txn.Exec(absl::StrCat("DELETE FROM ", table, " WHERE tenant = ? AND ",
                                key_column, " = ? AND from_us = ?"),
                   {ctx.tenant, key, current_from})
              .status());
    } else {
      RETURN_IF_ERROR(txn.Exec(absl::StrCat("UPDATE ", table,
                                            " SET to_us = ? WHERE tenant = ? "
                                            "AND ",
                                            key_column, " = ? AND from_us = ?"),
                               {start_us, ctx.tenant, key, current_from})
                          .status());
    }
  }
  std::vector<sql::Value> params = {ctx.tenant, key, start_us, kOpenEndUs};
  for (const Column& column : columns) params.push_back(column.second);
  return txn
      .Exec(absl::StrCat("INSERT INTO ", table, " (tenant, ", key_column,
                         ", from_us, to_us", names, ") VALUES (?, ?, ?, ?",
                         placeholders, ")"),
            params)
      .status();
}

absl::StatusOr<std::optional<std::string>> ResolveAccount(
    sql::Transaction& txn, const std::string& tenant,
    const std::string& account_id) {
  std::string id = account_id;
  // Merges chain (a survivor merged away later); a cycle cannot happen in
  // contacts, the bound only keeps a corrupt read model from looping.
  for (int hop = 0; hop < 16; ++hop) {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        txn.Query("SELECT state, merged_into FROM account_versions "
                  "WHERE tenant = ? AND account_id = ? "
                  "ORDER BY from_us DESC LIMIT 1",
                  {tenant, id}));
    if (rows.empty() || rows[0].Int(0) == 0) return id;
    if (rows[0].Int(0) != 2 || rows[0].String(1).empty()) return std::nullopt;
    id = rows[0].String(1);
  }
  return id;
}

}  // namespace projector_internal

namespace {

using projector_internal::EventContext;

std::string PayloadName(const events::v1::Event& event) {
  const auto* field = events::v1::Event::descriptor()->FindFieldByNumber(
      static_cast<int>(event.payload_case()));
  return field == nullptr ? "no payload" : field->name();
}

}  // namespace

void Projector::LogSkippedOnce(const std::string& kind,
                               absl::string_view message) const {
  {
    absl::MutexLock lock(&mu_);
    if (!logged_.insert(kind).second) return;
  }
  LOG(INFO) << message;
}

bool Projector::Parse(absl::string_view stream,
                      const events::StreamEvent& entry,
                      events::v1::Event* event) const {
  if (!event->ParseFromString(entry.payload)) {
    LogSkippedOnce(absl::StrCat("unparsable ", entry.type),
                   absl::StrCat("skipping ", stream, " event ", entry.event_id,
                                " of type ", entry.type,
                                ": its payload does not parse (further ones "
                                "of this type are skipped silently)"));
    return false;
  }
  if (event->tenant().empty()) event->set_tenant(entry.tenant);
  return true;
}

absl::Status Projector::Apply(sql::Transaction& txn, absl::string_view stream,
                              const events::StreamEvent& entry) const {
  events::v1::Event event;
  if (!Parse(stream, entry, &event)) return absl::OkStatus();
  return ApplyEvent(txn, stream, event);
}

absl::Status Projector::ApplyEvent(sql::Transaction& txn,
                                   absl::string_view stream,
                                   const events::v1::Event& event) const {
  projector_internal::PendingWrites pending;
  RETURN_IF_ERROR(ApplyHolding(txn, stream, event, pending));
  return pending.Finish(txn);
}

absl::Status Projector::ApplyHeld(sql::Transaction& txn,
                                  absl::string_view stream,
                                  const events::StreamEvent& entry) const {
  events::v1::Event event;
  if (!Parse(stream, entry, &event)) return absl::OkStatus();
  absl::MutexLock lock(&held_mu_);
  return ApplyHolding(txn, stream, event, held_);
}

absl::Status Projector::FinishTransaction(sql::Transaction& txn,
                                          bool ok) const {
  absl::MutexLock lock(&held_mu_);
  if (ok) return held_.Finish(txn);
  held_.Clear();
  return absl::OkStatus();
}

events::EventConsumerOptions Projector::ConsumerTuning() const {
  events::EventConsumerOptions options;
  options.batch_size = kConsumerBatchSize;
  options.read_bytes = kConsumerReadBytes;
  options.apply_read_in_one_transaction = true;
  options.finish_transaction = [this](sql::Transaction& txn, bool ok) {
    return FinishTransaction(txn, ok);
  };
  return options;
}

events::EventHandler Projector::HandlerFor(std::string stream) const {
  return [this, stream = std::move(stream)](sql::Transaction& txn,
                                            const events::StreamEvent& entry) {
    return ApplyHeld(txn, stream, entry);
  };
}

absl::Status Projector::ApplyHolding(
    sql::Transaction& txn, absl::string_view stream,
    const events::v1::Event& event,
    projector_internal::PendingWrites& pending) const {
  if (event.tenant().empty() || !event.has_occurred_at() ||
      !IsValidTimestamp(event.occurred_at())) {
    LogSkippedOnce("no tenant or time",
                   absl::StrCat("skipping event ", event.event_id(),
                                ": no tenant or no valid occurred_at"));
    return absl::OkStatus();
  }
  const EventContext ctx{event.tenant(), ToMicros(ToTime(event.occurred_at())),
                         &pending};
  // The retention shares of the accounts an account event changes, before
  // it (with everything held written, so the rows are whole) and after it.
  // Account events hold no revenue rows of their own.
  ASSIGN_OR_RETURN(
      const absl::btree_set<std::string> retention_accounts,
      projector_internal::RetentionAccountsOf(txn, ctx.tenant, event));
  projector_internal::RetentionMoves retention;
  if (!retention_accounts.empty()) {
    RETURN_IF_ERROR(pending.Flush(txn));
    for (const std::string& id : retention_accounts) {
      RETURN_IF_ERROR(retention.Before(txn, ctx.tenant, id));
    }
  }
  ASSIGN_OR_RETURN(bool used,
                   projector_internal::ApplyContactsEvent(txn, ctx, event));
  if (!used) {
    ASSIGN_OR_RETURN(used,
                     projector_internal::ApplyEngagementEvent(txn, ctx, event));
  }
  if (!used) {
    ASSIGN_OR_RETURN(used,
                     projector_internal::ApplyOrderEvent(txn, ctx, event));
  }
  if (!used) {
    ASSIGN_OR_RETURN(used,
                     projector_internal::ApplyTicketingEvent(txn, ctx, event));
  }
  if (!used) {
    const std::string name = PayloadName(event);
    LogSkippedOnce(name, absl::StrCat("reports do not use ", name,
                                      " events: skipping them"));
  }
  RETURN_IF_ERROR(projector_internal::AfterEventAggregates(txn, ctx, event));
  if (!retention_accounts.empty()) {
    for (const std::string& id : retention_accounts) {
      RETURN_IF_ERROR(retention.After(txn, ctx.tenant, id));
      RETURN_IF_ERROR(
          projector_internal::RefreshAtRiskAccount(txn, ctx.tenant, id));
    }
    RETURN_IF_ERROR(retention.Write(txn));
  }
  pending.RaiseWatermark(ctx.tenant, std::string(stream), ctx.at_us);
  return absl::OkStatus();
}

}  // namespace clientele::reporting
