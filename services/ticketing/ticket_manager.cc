// Create, get, update, delete and list tickets; their comment and history
// lists; and the projection's hook. Comments are in ticket_comments.cc,
// status, assignment and routing in ticket_status.cc, merges in
// ticket_merge.cc, the support form and the requester linker's step in
// ticket_intake.cc.
#include "services/ticketing/ticket_manager.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "clientele/type/v1/time_range.pb.h"
#include "common/errors.h"
#include "common/page_token.h"
#include "common/proto_time.h"
#include "common/roles.h"
#include "common/status_macros.h"
#include "common/time_range.h"
#include "common/validation.h"
#include "services/ticketing/csat_store.h"
#include "services/ticketing/sla_tracker.h"
#include "services/ticketing/ticket_names.h"
#include "services/ticketing/ticket_rules.h"
#include "services/ticketing/ticket_store.h"
#include "services/ticketing/ticket_writes.h"

namespace clientele::ticketing {
namespace {

constexpr absl::string_view kUpdatablePaths[] = {
    "product",  "subject", "description", "type",
    "priority", "channel", "tags",        "requester"};
constexpr absl::string_view kOutputOnlyPaths[] = {"name",
                                                  "account",
                                                  "status",
                                                  "assignee",
                                                  "team",
                                                  "routing",
                                                  "account_tier",
                                                  "relationship_mode",
                                                  "sla_policy",
                                                  "sla_clocks",
                                                  "csat_survey",
                                                  "create_time",
                                                  "update_time",
                                                  "first_response_time",
                                                  "solve_time",
                                                  "close_time",
                                                  "etag",
                                                  "requester_display_name",
                                                  "requester_email",
                                                  "requester_pending",
                                                  "merged_into",
                                                  "follow_up_of"};

// The fields a client may set on create; everything else is the server's.
v1::Ticket ClientFields(const v1::Ticket& given) {
  v1::Ticket ticket;
  ticket.set_account(given.account());
  ticket.set_requester(given.requester());
  ticket.set_product(given.product());
  ticket.set_subject(given.subject());
  ticket.set_description(given.description());
  ticket.set_type(given.type());
  ticket.set_priority(given.priority());
  ticket.set_channel(given.channel());
  ticket.set_assignee(given.assignee());
  ticket.set_team(given.team());
  *ticket.mutable_tags() = given.tags();
  return ticket;
}

// Whether `path` (one of kUpdatablePaths) differs between `a` and `b`.
bool PathDiffers(const v1::Ticket& a, const v1::Ticket& b,
                 absl::string_view path) {
  if (path == "product") return a.product() != b.product();
  if (path == "subject") return a.subject() != b.subject();
  if (path == "description") return a.description() != b.description();
  if (path == "type") return a.type() != b.type();
  if (path == "priority") return a.priority() != b.priority();
  if (path == "channel") return a.channel() != b.channel();
  if (path == "requester") return a.requester() != b.requester();
  if (path == "tags") {
    return !std::equal(a.tags().begin(), a.tags().end(), b.tags().begin(),
                       b.tags().end());
  }
  return false;
}

// The (time, seq) cursor of a comment or history page token.
absl::StatusOr<std::optional<SeqCursor>> DecodeSeqCursor(
    absl::string_view token, absl::string_view filter_key) {
  if (token.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(std::vector<std::string> parts,
                   DecodePageToken(token, filter_key));
  if (parts.size() != 2) {
    return InvalidFieldError("page_token", "not a token this list issued");
  }
  SeqCursor cursor;
  ASSIGN_OR_RETURN(cursor.time_us, PageTokenInt(parts[0]));
  ASSIGN_OR_RETURN(cursor.seq, PageTokenInt(parts[1]));
  return cursor;
}

// The id of a "tickets/{ticket}" parent; INVALID_ARGUMENT naming "parent".
absl::StatusOr<std::string> ParentId(absl::string_view parent) {
  return ParseResourceName(parent, kTickets, "parent");
}

}  // namespace

// ---------------------------------------------------------------------------
// Pending calls (the linker's credentials, in memory only).

std::string TicketManager::PendingKey(absl::string_view tenant,
                                      absl::string_view ticket_id) {
  return absl::StrCat(tenant, "/", ticket_id);
}

void TicketManager::RememberPendingCall(absl::string_view tenant,
                                        absl::string_view ticket_id,
                                        const Caller& caller) {
  absl::MutexLock lock(&mu_);
  pending_calls_[PendingKey(tenant, ticket_id)] =
      PendingCall{caller.authorization, caller.actor};
}

std::optional<TicketManager::PendingCall> TicketManager::PendingCallOf(
    absl::string_view tenant, absl::string_view ticket_id) {
  absl::MutexLock lock(&mu_);
  auto it = pending_calls_.find(PendingKey(tenant, ticket_id));
  if (it == pending_calls_.end()) return std::nullopt;
  return it->second;
}

void TicketManager::ForgetPendingCall(absl::string_view tenant,
                                      absl::string_view ticket_id) {
  absl::MutexLock lock(&mu_);
  pending_calls_.erase(PendingKey(tenant, ticket_id));
}

void TicketManager::RefusePendingCall(absl::string_view tenant,
                                      absl::string_view ticket_id,
                                      absl::string_view authorization,
                                      bool bad_credentials) {
  absl::MutexLock lock(&mu_);
  PendingCall& call = pending_calls_[PendingKey(tenant, ticket_id)];
  if (!bad_credentials) {
    call.refused = true;
    return;
  }
  if (call.authorization == authorization) call.authorization.clear();
  auto writer = writers_.find(tenant);
  if (writer != writers_.end() && writer->second == authorization) {
    writers_.erase(writer);
  }
}

void TicketManager::RememberWriter(const Caller& caller) {
  if (caller.authorization.empty() || caller.tenant.empty()) return;
  absl::string_view role = caller.actor;
  if (!absl::ConsumePrefix(&role, "role:") ||
      RoleNamed(role) < auth::v1::ROLE_AGENT) {
    return;
  }
  absl::MutexLock lock(&mu_);
  writers_.insert_or_assign(caller.tenant, caller.authorization);
}

std::string TicketManager::WriterOf(absl::string_view tenant) {
  absl::MutexLock lock(&mu_);
  auto it = writers_.find(tenant);
  return it == writers_.end() ? std::string() : it->second;
}

// ---------------------------------------------------------------------------

absl::StatusOr<v1::Ticket> TicketManager::Create(const Caller& caller,
                                                 const v1::Ticket& given) {
  RememberWriter(caller);
  v1::Ticket ticket = ClientFields(given);
  FieldViolations violations;
  std::string account_id;
  std::string requester_id;
  if (ticket.account().empty()) {
    violations.Add("ticket.account", "required: \"accounts/{account}\"");
  } else if (auto id = ParseResourceName(ticket.account(), kAccounts,
                                         "ticket.account");
             id.ok()) {
    account_id = *std::move(id);
  } else {
    violations.Add("ticket.account", "must be \"accounts/{account}\"");
  }
  if (!ticket.requester().empty()) {
    if (auto id = ParseResourceName(ticket.requester(), kContacts,
                                    "ticket.requester");
        id.ok()) {
      requester_id = *std::move(id);
    } else {
      violations.Add("ticket.requester", "must be \"contacts/{contact}\"");
    }
  }
  CheckTicketFields(&ticket, "ticket.", &violations);
  CheckAssignee(ticket.mutable_assignee(), "ticket.assignee", &violations);
  CheckTeam(ticket.mutable_team(), "ticket.team", &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const absl::Time now = NowMicros(*deps_.clock);
  ticket.set_name(TicketName(deps_.ids->NewId()));
  v1::Ticket result;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        TicketWrites writes(deps_, sla_, routing_, caller, txn, now);
        ASSIGN_OR_RETURN(ProjectedAccount account,
                         ResolveAccount(txn, deps_, caller.tenant, account_id));
        if (!requester_id.empty()) {
          RETURN_IF_ERROR(CheckRequesterOf(txn, deps_, caller.tenant,
                                           requester_id, account,
                                           "ticket.requester"));
        }
        v1::Ticket stored = ticket;
        stored.set_account(AccountName(account.account_id));
        stored.set_account_tier(account.tier);
        stored.set_relationship_mode(account.mode);
        RETURN_IF_ERROR(writes.Open(account, "", &stored));
        result = std::move(stored);
        MentionTicket(result, write);
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<v1::Ticket> TicketManager::Get(const Caller& caller,
                                              absl::string_view name) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kTickets, "name"));
  v1::Ticket ticket;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(ticket, LoadTicket(txn, deps_, caller.tenant, id));
        return absl::OkStatus();
      }));
  return ticket;
}

absl::StatusOr<v1::Ticket> TicketManager::Update(
    const Caller& caller, const v1::Ticket& ticket,
    const google::protobuf::FieldMask& mask) {
  RememberWriter(caller);
  ASSIGN_OR_RETURN(std::string id,
                   ParseResourceName(ticket.name(), kTickets, "ticket.name"));
  ASSIGN_OR_RETURN(std::vector<std::string> paths,
                   ResolveUpdateMask(mask, kUpdatablePaths, kOutputOnlyPaths));
  const absl::Time now = NowMicros(*deps_.clock);
  v1::Ticket result;
  bool linked = false;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        TicketWrites writes(deps_, sla_, routing_, caller, txn, now);
        ASSIGN_OR_RETURN(v1::Ticket current, writes.Load(id));
        RETURN_IF_ERROR(
            CheckEtag(ticket.etag(), current.etag(), "ticket.etag"));
        if (current.status() == v1::TICKET_STATUS_CLOSED) {
          return absl::FailedPreconditionError(
              absl::StrCat(current.name(), " is CLOSED and cannot change"));
        }
        v1::Ticket updated = current;
        CopyFieldPaths(ticket, paths, &updated);
        FieldViolations violations;
        CheckTicketFields(&updated, "ticket.", &violations);
        std::string requester_id;
        if (!updated.requester().empty()) {
          auto parsed = ParseResourceName(updated.requester(), kContacts,
                                          "ticket.requester");
          if (parsed.ok()) {
            requester_id = *std::move(parsed);
          } else {
            violations.Add("ticket.requester",
                           "must be \"contacts/{contact}\" or empty");
          }
        }
        RETURN_IF_ERROR(violations.ToStatus());

        std::vector<std::string> changed;
        for (const std::string& path : paths) {
          if (PathDiffers(current, updated, path)) changed.push_back(path);
        }
        if (changed.empty()) {
          result = std::move(current);
          MentionTicket(result, write);
          return absl::OkStatus();
        }
        bool reselect = current.priority() != updated.priority();
        std::vector<v1::TicketHistoryEntry> entries;
        const bool requester_changed =
            current.requester() != updated.requester();
        if (requester_changed && current.requester_pending()) {
          // Linking a form ticket by hand: the requester brings its account.
          if (requester_id.empty()) {
            return InvalidFieldError(
                "ticket.requester",
                "required to link a ticket whose requester is pending");
          }
          ASSIGN_OR_RETURN(std::optional<std::string> of,
                           deps_.projection->AccountOfContact(
                               txn, caller.tenant, requester_id));
          if (!of.has_value()) {
            return NotFoundResourceError(kContactType,
                                         ContactName(requester_id));
          }
          ASSIGN_OR_RETURN(ProjectedAccount account,
                           ResolveAccount(txn, deps_, caller.tenant, *of));
          updated.set_account(AccountName(account.account_id));
          updated.set_account_tier(account.tier);
          updated.set_relationship_mode(account.mode);
          updated.set_requester_pending(false);
          updated.clear_requester_display_name();
          updated.clear_requester_email();
          RETURN_IF_ERROR(
              deps_.tickets->DeletePendingRequester(txn, caller.tenant, id));
          v1::TicketHistoryEntry link =
              writes.Entry(v1::TICKET_HISTORY_KIND_REQUESTER_LINKED);
          link.set_related(updated.requester());
          entries.push_back(std::move(link));
          changed.push_back("account");
          reselect = true;
          linked = true;
        } else if (requester_changed && !requester_id.empty()) {
          ASSIGN_OR_RETURN(ProjectedAccount account,
                           ResolveAccount(txn, deps_, caller.tenant,
                                          IdOf(current.account())));
          RETURN_IF_ERROR(CheckRequesterOf(txn, deps_, caller.tenant,
                                           requester_id, account,
                                           "ticket.requester"));
        }
        v1::TicketHistoryEntry entry =
            writes.Entry(v1::TICKET_HISTORY_KIND_UPDATED);
        for (const std::string& field : changed) {
          entry.add_changed_fields(field);
        }
        entry.set_priority(updated.priority());
        entries.insert(entries.begin(), std::move(entry));
        RETURN_IF_ERROR(writes.Save(entries, reselect, &updated));
        RETURN_IF_ERROR(writes.PublishUpdated(updated, changed));
        result = std::move(updated);
        MentionTicket(result, write);
        return absl::OkStatus();
      }));
  if (linked) ForgetPendingCall(caller.tenant, id);
  return result;
}

absl::Status TicketManager::Delete(const Caller& caller, absl::string_view name,
                                   absl::string_view etag) {
  RememberWriter(caller);
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kTickets, "name"));
  v1::DeleteTicketResponse response;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        TicketWrites writes(deps_, sla_, routing_, caller, txn,
                            NowMicros(*deps_.clock));
        ASSIGN_OR_RETURN(v1::Ticket current, writes.Load(id));
        RETURN_IF_ERROR(CheckEtag(etag, current.etag(), "etag"));
        RETURN_IF_ERROR(sla_->Forget(txn, caller.tenant, id));
        if (deps_.csat != nullptr) {
          RETURN_IF_ERROR(deps_.csat->DeleteOfTicket(txn, caller.tenant, id));
        }
        RETURN_IF_ERROR(deps_.tickets->Delete(txn, caller.tenant, id));
        events::v1::Event event;
        auto* payload = event.mutable_ticket_deleted();
        payload->set_ticket(current.name());
        payload->set_account(current.account());
        RETURN_IF_ERROR(writes.Publish(current.name(), std::move(event)));
        response.set_name(current.name());
        write.Mentions(current.name());
        return absl::OkStatus();
      }));
  ForgetPendingCall(caller.tenant, id);
  return absl::OkStatus();
}

absl::StatusOr<v1::ListTicketsResponse> TicketManager::List(
    const Caller& caller, const v1::ListTicketsRequest& request) {
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  FieldViolations violations;
  TicketFilter filter;
  if (!request.account().empty()) {
    auto id = ParseResourceName(request.account(), kAccounts, "account");
    if (id.ok()) {
      filter.account_id = *std::move(id);
    } else {
      violations.Add("account", "must be \"accounts/{account}\"");
    }
  }
  if (!request.requester().empty()) {
    auto id = ParseResourceName(request.requester(), kContacts, "requester");
    if (id.ok()) {
      filter.requester_id = *std::move(id);
    } else {
      violations.Add("requester", "must be \"contacts/{contact}\"");
    }
  }
  // One entry per status at most: a longer list is refused whole, without
  // an answer as long as it.
  const int max_statuses = v1::TicketStatus_descriptor()->value_count() - 1;
  if (request.statuses_size() > max_statuses) {
    violations.Add("statuses",
                   absl::StrCat("at most ", max_statuses, " statuses"));
  }
  for (int i = 0; i < request.statuses_size() && i < max_statuses; ++i) {
    const int status = request.statuses(i);
    if (!v1::TicketStatus_IsValid(status) ||
        status == v1::TICKET_STATUS_UNSPECIFIED) {
      violations.Add(absl::StrCat("statuses[", i, "]"),
                     absl::StrCat("unknown value ", status));
    } else if (std::find(filter.statuses.begin(), filter.statuses.end(),
                         status) == filter.statuses.end()) {
      filter.statuses.push_back(status);
    }
  }
  std::sort(filter.statuses.begin(), filter.statuses.end());
  if (!v1::TicketPriority_IsValid(request.priority())) {
    violations.Add("priority",
                   absl::StrCat("unknown value ", request.priority()));
  }
  filter.priority = request.priority();
  filter.assignee = request.assignee();
  CheckAssignee(&filter.assignee, "assignee", &violations);
  filter.team = request.team();
  CheckTeam(&filter.team, "team", &violations);
  if (!v1::TicketType_IsValid(request.type())) {
    violations.Add("type", absl::StrCat("unknown value ", request.type()));
  }
  filter.type = request.type();
  CheckTimeRange(request.create_time_range(), "create_time_range",
                 &filter.create_start_us, &filter.create_end_us, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  // The statuses, one part each, end at "/".
  std::vector<std::string> parts = {caller.tenant, filter.account_id,
                                    filter.requester_id};
  for (int status : filter.statuses) parts.push_back(absl::StrCat(status));
  parts.insert(
      parts.end(),
      {"/", absl::StrCat(filter.priority), filter.assignee, filter.team,
       absl::StrCat(filter.type), absl::StrCat(filter.create_start_us),
       absl::StrCat(filter.create_end_us)});
  const std::string filter_key = PageTokenFilter("ListTickets", parts);
  ASSIGN_OR_RETURN(
      std::optional<TicketCursor> after,
      DecodeIntIdPageToken<TicketCursor>(request.page_token(), filter_key));

  std::vector<v1::Ticket> rows;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        TicketFilter resolved = filter;
        if (!filter.account_id.empty()) {
          // A merged account's tickets moved to its survivor.
          ASSIGN_OR_RETURN(std::optional<ProjectedAccount> account,
                           deps_.projection->FindAccount(txn, caller.tenant,
                                                         filter.account_id));
          if (account.has_value()) resolved.account_id = account->account_id;
        }
        ASSIGN_OR_RETURN(rows, deps_.tickets->List(txn, caller.tenant, resolved,
                                                   after, page_size + 1));
        return absl::OkStatus();
      }));
  v1::ListTicketsResponse response;
  const bool more = rows.size() > static_cast<size_t>(page_size);
  if (more) rows.resize(page_size);
  for (v1::Ticket& row : rows) *response.add_tickets() = std::move(row);
  if (more) {
    const v1::Ticket& last = response.tickets(page_size - 1);
    response.set_next_page_token(EncodeIntIdPageToken(
        filter_key, CreateMicros(last), IdOf(last.name())));
  }
  return response;
}

absl::StatusOr<v1::ListTicketCommentsResponse> TicketManager::ListComments(
    const Caller& caller, const v1::ListTicketCommentsRequest& request) {
  ASSIGN_OR_RETURN(std::string id, ParentId(request.parent()));
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  if (!v1::CommentVisibility_IsValid(request.visibility())) {
    return InvalidFieldError(
        "visibility", absl::StrCat("unknown value ", request.visibility()));
  }
  const std::string filter_key =
      PageTokenFilter("ListTicketComments",
                      {caller.tenant, id, absl::StrCat(request.visibility())});
  ASSIGN_OR_RETURN(std::optional<SeqCursor> after,
                   DecodeSeqCursor(request.page_token(), filter_key));
  std::vector<StoredComment> rows;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        RETURN_IF_ERROR(LoadTicket(txn, deps_, caller.tenant, id).status());
        ASSIGN_OR_RETURN(rows, deps_.tickets->ListComments(
                                   txn, caller.tenant, id, request.visibility(),
                                   after, page_size + 1));
        return absl::OkStatus();
      }));
  v1::ListTicketCommentsResponse response;
  const bool more = rows.size() > static_cast<size_t>(page_size);
  if (more) rows.resize(page_size);
  for (StoredComment& row : rows) {
    *response.add_comments() = std::move(row.comment);
  }
  if (more) {
    const v1::TicketComment& last = response.comments(page_size - 1);
    const std::string key[] = {
        absl::StrCat(TimestampMicros(
            last.has_occur_time() ? last.occur_time() : last.create_time())),
        absl::StrCat(rows.back().seq)};
    response.set_next_page_token(EncodePageToken(filter_key, key));
  }
  return response;
}

absl::StatusOr<v1::ListTicketHistoryResponse> TicketManager::ListHistory(
    const Caller& caller, const v1::ListTicketHistoryRequest& request) {
  ASSIGN_OR_RETURN(std::string id, ParentId(request.parent()));
  ASSIGN_OR_RETURN(int page_size,
                   ResolvePageSize(request.page_size(), kDefaultHistoryPageSize,
                                   kMaxPageSize));
  const std::string filter_key =
      PageTokenFilter("ListTicketHistory", {caller.tenant, id});
  ASSIGN_OR_RETURN(std::optional<SeqCursor> after,
                   DecodeSeqCursor(request.page_token(), filter_key));
  std::vector<StoredHistoryEntry> rows;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        RETURN_IF_ERROR(LoadTicket(txn, deps_, caller.tenant, id).status());
        ASSIGN_OR_RETURN(
            rows, deps_.tickets->HistoryPage(txn, caller.tenant, id, after,
                                             page_size + 1));
        return absl::OkStatus();
      }));
  v1::ListTicketHistoryResponse response;
  const bool more = rows.size() > static_cast<size_t>(page_size);
  if (more) rows.resize(page_size);
  for (StoredHistoryEntry& row : rows) {
    *response.add_entries() = std::move(row.entry);
  }
  if (more) {
    const std::string key[] = {
        absl::StrCat(
            TimestampMicros(response.entries(page_size - 1).occur_time())),
        absl::StrCat(rows.back().seq)};
    response.set_next_page_token(EncodePageToken(filter_key, key));
  }
  return response;
}

absl::Status TicketManager::OnAccountChanged(sql::Transaction& txn,
                                             const Caller& caller,
                                             absl::string_view account_id) {
  ASSIGN_OR_RETURN(
      std::optional<ProjectedAccount> account,
      deps_.projection->FindAccount(txn, caller.tenant, account_id));
  // Deleted or unknown: its tickets keep what they had. Merged: the
  // survivor's tickets are refreshed when the survivor changes.
  if (!account.has_value() || account->account_id != account_id) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(
      std::vector<std::string> ids,
      deps_.tickets->OpenTicketIdsOfAccount(txn, caller.tenant, account_id));
  TicketWrites writes(deps_, sla_, routing_, caller, txn,
                      NowMicros(*deps_.clock));
  for (const std::string& id : ids) {
    ASSIGN_OR_RETURN(v1::Ticket ticket, writes.Load(id));
    std::vector<std::string> changed;
    if (ticket.account_tier() != account->tier) {
      ticket.set_account_tier(account->tier);
      changed.push_back("account_tier");
    }
    if (ticket.relationship_mode() != account->mode) {
      ticket.set_relationship_mode(account->mode);
      changed.push_back("relationship_mode");
    }
    if (changed.empty()) continue;
    v1::TicketHistoryEntry entry =
        writes.Entry(v1::TICKET_HISTORY_KIND_UPDATED);
    for (const std::string& field : changed) entry.add_changed_fields(field);
    entry.set_priority(ticket.priority());
    RETURN_IF_ERROR(writes.Save({entry}, /*reselect=*/true, &ticket));
    RETURN_IF_ERROR(writes.PublishUpdated(ticket, changed));
  }
  return absl::OkStatus();
}

}  // namespace clientele::ticketing
