#include "services/ticketing/sqlite_ticket_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/sql/statement.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"
#include "common/validation.h"

namespace clientele::ticketing {
namespace {

using sql::Value;

// The statuses that hold an agent's attention (and count against its
// routing capacity): NEW, OPEN, PENDING, ON_HOLD.
constexpr char kOpenStatuses[] = "(1, 2, 3, 6)";
static_assert(v1::TICKET_STATUS_NEW == 1 && v1::TICKET_STATUS_OPEN == 2 &&
              v1::TICKET_STATUS_PENDING == 3 && v1::TICKET_STATUS_ON_HOLD == 6);

absl::StatusOr<v1::Ticket> ParseTicket(const std::string& bytes) {
  return sql::ParseStored<v1::Ticket>(bytes, "ticket");
}

int64_t TimeMicros(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() * 1000000 + timestamp.nanos() / 1000;
}

// Where a comment sorts: when it was written.
int64_t CommentMicros(const v1::TicketComment& comment) {
  return TimeMicros(comment.has_occur_time() ? comment.occur_time()
                                             : comment.create_time());
}

absl::StatusOr<std::vector<std::string>> QueryIds(
    sql::Transaction& txn, absl::string_view sql,
    absl::Span<const Value> params) {
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(sql, params));
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const sql::Row& row : rows) ids.push_back(row.String(0));
  return ids;
}

// Rewrites (with `edit`) every ticket `select_sql` returns (tenant and one
// value bound; columns ticket_id, data), columns included.
template <typename Edit>
absl::Status RewriteTickets(SqliteTicketStore& store, sql::Transaction& txn,
                            absl::string_view tenant,
                            absl::string_view select_sql,
                            absl::string_view value, Edit edit) {
  const Value params[] = {std::string(tenant), std::string(value)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(select_sql, params));
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(v1::Ticket ticket, ParseTicket(row.String(1)));
    edit(&ticket);
    RETURN_IF_ERROR(store.Put(txn, tenant, row.String(0), ticket));
  }
  return absl::OkStatus();
}

// The same for comments (columns rowid, data); `edit` may change the author.
template <typename Edit>
absl::Status RewriteComments(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view author, Edit edit) {
  const Value params[] = {std::string(tenant), std::string(author)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT rowid, data FROM ticket_comments WHERE "
                             "tenant = ? AND author = ?",
                             params));
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(
        v1::TicketComment comment,
        sql::ParseStored<v1::TicketComment>(row.String(1), "ticket comment"));
    edit(&comment);
    const Value update[] = {comment.author(),
                            sql::Blob{comment.SerializeAsString()}, row.Int(0)};
    RETURN_IF_ERROR(txn.Exec("UPDATE ticket_comments SET author = ?, data = ? "
                             "WHERE rowid = ?",
                             update)
                        .status());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<v1::Ticket>> SqliteTicketStore::Find(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view ticket_id) {
  const Value params[] = {std::string(tenant), std::string(ticket_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT data FROM tickets WHERE tenant = ? AND ticket_id = ?",
                params));
  if (rows.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(v1::Ticket ticket, ParseTicket(rows[0].String(0)));
  return ticket;
}

absl::Status SqliteTicketStore::Put(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    absl::string_view ticket_id,
                                    const v1::Ticket& ticket) {
  const Value params[] = {std::string(tenant),
                          std::string(ticket_id),
                          IdOf(ticket.account()),
                          IdOf(ticket.requester()),
                          int64_t{ticket.status()},
                          ticket.assignee(),
                          ticket.team(),
                          int64_t{ticket.priority()},
                          int64_t{ticket.type()},
                          CreateMicros(ticket),
                          sql::Blob{ticket.SerializeAsString()}};
  return txn
      .Exec(
          "INSERT INTO tickets (tenant, ticket_id, account_id, requester_id, "
          "status, assignee, team, priority, type, create_us, data) VALUES "
          "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, ticket_id) "
          "DO UPDATE SET account_id = excluded.account_id, requester_id = "
          "excluded.requester_id, status = excluded.status, assignee = "
          "excluded.assignee, team = excluded.team, priority = "
          "excluded.priority, type = excluded.type, create_us = "
          "excluded.create_us, data = excluded.data",
          params)
      .status();
}

absl::Status SqliteTicketStore::Delete(sql::Transaction& txn,
                                       absl::string_view tenant,
                                       absl::string_view ticket_id) {
  const Value params[] = {std::string(tenant), std::string(ticket_id)};
  ASSIGN_OR_RETURN(
      int64_t deleted,
      txn.Exec("DELETE FROM tickets WHERE tenant = ? AND ticket_id = ?",
               params));
  if (deleted == 0) return absl::NotFoundError("ticket not found");
  for (const char* sql :
       {"DELETE FROM ticket_comments WHERE tenant = ? AND ticket_id = ?",
        "DELETE FROM ticket_history WHERE tenant = ? AND ticket_id = ?",
        "DELETE FROM pending_requesters WHERE tenant = ? AND ticket_id = ?"}) {
    RETURN_IF_ERROR(txn.Exec(sql, params).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Ticket>> SqliteTicketStore::List(
    sql::Transaction& txn, absl::string_view tenant, const TicketFilter& filter,
    const std::optional<TicketCursor>& after, int limit) {
  // Only the filters in use become conditions (common/sql/statement.h).
  sql::Statement select{"SELECT data FROM tickets WHERE tenant = ?",
                        {std::string(tenant)}};
  if (!filter.account_id.empty()) {
    select.Append(" AND account_id = ?", {filter.account_id});
  }
  if (!filter.requester_id.empty()) {
    // Spelled like tickets_by_requester's WHERE so SQLite may use it.
    select.Append(" AND requester_id != '' AND requester_id = ?",
                  {filter.requester_id});
  }
  if (!filter.statuses.empty()) select.AppendIn(" AND status", filter.statuses);
  if (filter.priority != 0) {
    select.Append(" AND priority = ?", {int64_t{filter.priority}});
  }
  if (!filter.assignee.empty()) {
    select.Append(" AND assignee != '' AND assignee = ?", {filter.assignee});
  }
  if (!filter.team.empty()) select.Append(" AND team = ?", {filter.team});
  if (filter.type != 0) select.Append(" AND type = ?", {int64_t{filter.type}});
  if (filter.create_start_us != std::numeric_limits<int64_t>::min()) {
    select.Append(" AND create_us >= ?", {filter.create_start_us});
  }
  if (filter.create_end_us != std::numeric_limits<int64_t>::max()) {
    select.Append(" AND create_us < ?", {filter.create_end_us});
  }
  if (after.has_value()) {
    select.Append(" AND (create_us, ticket_id) < (?, ?)",
                  {after->create_us, after->id});
  }
  select.Append(" ORDER BY create_us DESC, ticket_id DESC LIMIT ?",
                {int64_t{limit}});
  return sql::QueryStored<v1::Ticket>(txn, select.sql, select.params, "ticket");
}

absl::StatusOr<std::vector<std::string>>
SqliteTicketStore::OpenTicketIdsOfAccount(sql::Transaction& txn,
                                          absl::string_view tenant,
                                          absl::string_view account_id) {
  const Value params[] = {std::string(tenant), std::string(account_id)};
  return QueryIds(txn,
                  absl::StrCat("SELECT ticket_id FROM tickets WHERE tenant = ? "
                               "AND account_id = ? AND status IN ",
                               kOpenStatuses, " ORDER BY create_us, ticket_id"),
                  params);
}

absl::StatusOr<int64_t> SqliteTicketStore::CountOpenAssigned(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view assignee) {
  if (assignee.empty()) return 0;
  const Value params[] = {std::string(tenant), std::string(assignee)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat("SELECT count(*) FROM tickets WHERE tenant = ? "
                             "AND assignee != '' AND assignee = ? AND status "
                             "IN ",
                             kOpenStatuses),
                params));
  return rows.empty() ? 0 : rows[0].Int(0);
}

absl::StatusOr<std::vector<std::string>> SqliteTicketStore::TicketIdsOfAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value params[] = {std::string(tenant), std::string(account_id)};
  return QueryIds(txn,
                  "SELECT ticket_id FROM tickets WHERE tenant = ? AND "
                  "account_id = ? ORDER BY create_us, ticket_id",
                  params);
}

absl::StatusOr<std::vector<std::string>>
SqliteTicketStore::TicketIdsOfRequester(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view contact_id) {
  if (contact_id.empty()) return std::vector<std::string>();
  const Value params[] = {std::string(tenant), std::string(contact_id)};
  return QueryIds(txn,
                  "SELECT ticket_id FROM tickets WHERE tenant = ? AND "
                  "requester_id != '' AND requester_id = ? ORDER BY "
                  "create_us, ticket_id",
                  params);
}

absl::Status SqliteTicketStore::PutPendingRequester(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view ticket_id, absl::string_view request_id) {
  const Value params[] = {std::string(tenant), std::string(ticket_id),
                          std::string(request_id)};
  return txn
      .Exec(
          "INSERT INTO pending_requesters (tenant, ticket_id, request_id) "
          "VALUES (?, ?, ?) ON CONFLICT (tenant, ticket_id) DO UPDATE SET "
          "request_id = excluded.request_id",
          params)
      .status();
}

absl::Status SqliteTicketStore::DeletePendingRequester(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view ticket_id) {
  const Value params[] = {std::string(tenant), std::string(ticket_id)};
  return txn
      .Exec("DELETE FROM pending_requesters WHERE tenant = ? AND ticket_id = ?",
            params)
      .status();
}

absl::StatusOr<std::vector<PendingRequester>>
SqliteTicketStore::PendingRequesters(sql::Transaction& txn,
                                     absl::string_view tenant, int limit) {
  // Ticket ids sort by creation time (RandomIdGenerator).
  const Value params[] = {std::string(tenant), int64_t{limit}};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT ticket_id, request_id FROM "
                             "pending_requesters WHERE tenant = ? ORDER BY "
                             "ticket_id LIMIT ?",
                             params));
  std::vector<PendingRequester> pending;
  pending.reserve(rows.size());
  for (const sql::Row& row : rows) {
    pending.push_back({row.String(0), row.String(1)});
  }
  return pending;
}

absl::StatusOr<std::vector<std::string>>
SqliteTicketStore::TenantsWithPendingRequesters(sql::Transaction& txn) {
  return QueryIds(txn,
                  "SELECT DISTINCT tenant FROM pending_requesters ORDER BY "
                  "tenant",
                  {});
}

absl::Status SqliteTicketStore::EraseRequester(sql::Transaction& txn,
                                               absl::string_view tenant,
                                               absl::string_view contact_id) {
  if (contact_id.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(RewriteTickets(
      *this, txn, tenant,
      "SELECT ticket_id, data FROM tickets WHERE tenant = ? AND requester_id "
      "!= '' AND requester_id = ?",
      contact_id, [](v1::Ticket* ticket) {
        ticket->clear_requester_display_name();
        ticket->clear_requester_email();
        ticket->set_subject(kErasedText);
        ticket->set_description(kErasedText);
      }));
  return RewriteComments(
      txn, tenant, absl::StrCat("contacts/", contact_id),
      [](v1::TicketComment* comment) { comment->set_body(kErasedText); });
}

absl::Status SqliteTicketStore::MoveAccount(sql::Transaction& txn,
                                            absl::string_view tenant,
                                            absl::string_view from_account_id,
                                            absl::string_view to_account_id) {
  if (from_account_id == to_account_id) return absl::OkStatus();
  const std::string to_name = absl::StrCat("accounts/", to_account_id);
  return RewriteTickets(*this, txn, tenant,
                        "SELECT ticket_id, data FROM tickets WHERE tenant = ? "
                        "AND account_id = ?",
                        from_account_id, [&](v1::Ticket* ticket) {
                          ticket->set_account(to_name);
                        });
}

absl::Status SqliteTicketStore::MoveRequester(sql::Transaction& txn,
                                              absl::string_view tenant,
                                              absl::string_view from_contact_id,
                                              absl::string_view to_contact_id,
                                              absl::string_view to_account_id) {
  if (from_contact_id.empty() || from_contact_id == to_contact_id) {
    return absl::OkStatus();
  }
  const std::string to_name = absl::StrCat("contacts/", to_contact_id);
  const std::string to_account = absl::StrCat("accounts/", to_account_id);
  RETURN_IF_ERROR(RewriteTickets(
      *this, txn, tenant,
      "SELECT ticket_id, data FROM tickets WHERE tenant = ? AND requester_id "
      "!= '' AND requester_id = ?",
      from_contact_id, [&](v1::Ticket* ticket) {
        ticket->set_requester(to_name);
        if (!to_account_id.empty()) ticket->set_account(to_account);
      }));
  return RewriteComments(
      txn, tenant, absl::StrCat("contacts/", from_contact_id),
      [&](v1::TicketComment* comment) { comment->set_author(to_name); });
}

absl::StatusOr<int64_t> SqliteTicketStore::AddComment(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view ticket_id, absl::string_view comment_id,
    const v1::TicketComment& comment) {
  const Value params[] = {std::string(tenant),
                          std::string(ticket_id),
                          std::string(comment_id),
                          CommentMicros(comment),
                          int64_t{comment.visibility()},
                          comment.author(),
                          sql::Blob{comment.SerializeAsString()}};
  RETURN_IF_ERROR(txn.Exec("INSERT INTO ticket_comments (tenant, ticket_id, "
                           "comment_id, occur_us, visibility, author, data) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)",
                           params)
                      .status());
  return txn.LastInsertId();
}

absl::StatusOr<std::vector<StoredComment>> SqliteTicketStore::ListComments(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view ticket_id, int visibility,
    const std::optional<SeqCursor>& after, int limit) {
  sql::Statement select{
      "SELECT rowid, data FROM ticket_comments WHERE tenant = ? AND "
      "ticket_id = ?",
      {std::string(tenant), std::string(ticket_id)}};
  if (visibility != 0) {
    select.Append(" AND visibility = ?", {int64_t{visibility}});
  }
  if (after.has_value()) {
    select.Append(" AND (occur_us, rowid) > (?, ?)",
                  {after->time_us, after->seq});
  }
  select.Append(" ORDER BY occur_us, rowid LIMIT ?", {int64_t{limit}});
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query(select.sql, select.params));
  std::vector<StoredComment> comments;
  comments.reserve(rows.size());
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(
        v1::TicketComment comment,
        sql::ParseStored<v1::TicketComment>(row.String(1), "ticket comment"));
    comments.push_back({std::move(comment), row.Int(0)});
  }
  return comments;
}

absl::Status SqliteTicketStore::AppendHistory(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view ticket_id, const v1::TicketHistoryEntry& entry) {
  const Value params[] = {std::string(tenant), std::string(ticket_id),
                          TimeMicros(entry.occur_time()),
                          sql::Blob{entry.SerializeAsString()}};
  return txn
      .Exec(
          "INSERT INTO ticket_history (tenant, ticket_id, occur_us, data) "
          "VALUES (?, ?, ?, ?)",
          params)
      .status();
}

absl::StatusOr<std::vector<v1::TicketHistoryEntry>> SqliteTicketStore::History(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view ticket_id) {
  const Value params[] = {std::string(tenant), std::string(ticket_id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT data FROM ticket_history WHERE tenant = ? "
                             "AND ticket_id = ? ORDER BY occur_us, rowid",
                             params));
  return sql::ParseStoredColumn<v1::TicketHistoryEntry>(rows, 0,
                                                        "ticket history entry");
}

absl::StatusOr<std::vector<StoredHistoryEntry>> SqliteTicketStore::HistoryPage(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view ticket_id, const std::optional<SeqCursor>& after,
    int limit) {
  sql::Statement select{
      "SELECT rowid, data FROM ticket_history WHERE tenant = ? AND ticket_id "
      "= ?",
      {std::string(tenant), std::string(ticket_id)}};
  if (after.has_value()) {
    select.Append(" AND (occur_us, rowid) > (?, ?)",
                  {after->time_us, after->seq});
  }
  select.Append(" ORDER BY occur_us, rowid LIMIT ?", {int64_t{limit}});
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query(select.sql, select.params));
  std::vector<StoredHistoryEntry> entries;
  entries.reserve(rows.size());
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(v1::TicketHistoryEntry entry,
                     sql::ParseStored<v1::TicketHistoryEntry>(
                         row.String(1), "ticket history entry"));
    entries.push_back({std::move(entry), row.Int(0)});
  }
  return entries;
}

absl::StatusOr<std::optional<v1::RoutingPolicy>>
SqliteTicketStore::FindRoutingPolicy(sql::Transaction& txn,
                                     absl::string_view tenant) {
  const Value params[] = {std::string(tenant)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT data FROM routing_policies WHERE tenant = ?", params));
  if (rows.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(
      v1::RoutingPolicy policy,
      sql::ParseStored<v1::RoutingPolicy>(rows[0].String(0), "routing policy"));
  return policy;
}

absl::Status SqliteTicketStore::PutRoutingPolicy(
    sql::Transaction& txn, absl::string_view tenant,
    const v1::RoutingPolicy& policy) {
  const Value params[] = {std::string(tenant),
                          sql::Blob{policy.SerializeAsString()}};
  return txn
      .Exec(
          "INSERT INTO routing_policies (tenant, data) VALUES (?, ?) ON "
          "CONFLICT (tenant) DO UPDATE SET data = excluded.data",
          params)
      .status();
}

absl::StatusOr<std::string> SqliteTicketStore::RoundRobinCursor(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view team) {
  const Value params[] = {std::string(tenant), std::string(team)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT agent FROM routing_cursor WHERE tenant = "
                             "? AND team = ?",
                             params));
  return rows.empty() ? std::string() : rows[0].String(0);
}

absl::Status SqliteTicketStore::SetRoundRobinCursor(sql::Transaction& txn,
                                                    absl::string_view tenant,
                                                    absl::string_view team,
                                                    absl::string_view agent) {
  const Value params[] = {std::string(tenant), std::string(team),
                          std::string(agent)};
  return txn
      .Exec(
          "INSERT INTO routing_cursor (tenant, team, agent) VALUES (?, ?, ?) "
          "ON CONFLICT (tenant, team) DO UPDATE SET agent = excluded.agent",
          params)
      .status();
}

}  // namespace clientele::ticketing
