#include "services/ticketing/data_subject_manager.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/idempotency.h"
#include "common/page_token.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "common/write_pipeline.h"
#include "services/ticketing/csat_manager.h"
#include "services/ticketing/csat_store.h"
#include "services/ticketing/projection_store.h"
#include "services/ticketing/ticket_store.h"

namespace clientele::ticketing {
namespace {

// Comments are read this many at a time.
constexpr int kCommentBatch = 1000;

int64_t Micros(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() * 1000000 + timestamp.nanos() / 1000;
}

// Every comment of ticket `ticket_id`, oldest first.
absl::StatusOr<std::vector<v1::TicketComment>> AllComments(
    sql::Transaction& txn, TicketStore& tickets, absl::string_view tenant,
    absl::string_view ticket_id) {
  std::vector<v1::TicketComment> comments;
  std::optional<SeqCursor> after;
  while (true) {
    ASSIGN_OR_RETURN(
        std::vector<StoredComment> batch,
        tickets.ListComments(txn, tenant, ticket_id, 0, after, kCommentBatch));
    if (batch.empty()) break;
    const StoredComment& last = batch.back();
    // A comment's position is its occur_time, create_time when unset.
    after = SeqCursor{last.comment.has_occur_time()
                          ? Micros(last.comment.occur_time())
                          : Micros(last.comment.create_time()),
                      last.seq};
    const bool full = batch.size() == static_cast<size_t>(kCommentBatch);
    for (StoredComment& stored : batch) {
      comments.push_back(std::move(stored.comment));
    }
    if (!full) break;
  }
  return comments;
}

}  // namespace

absl::StatusOr<v1::ExportDataSubjectResponse> DataSubjectManager::Export(
    const Caller& caller, const v1::ExportDataSubjectRequest& request) {
  const bool is_account = absl::StartsWith(request.subject(), "accounts/");
  ASSIGN_OR_RETURN(
      std::string id,
      ParseResourceName(request.subject(), is_account ? "accounts" : "contacts",
                        "subject"));
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  const std::string filter =
      absl::StrCat(caller.tenant, "|ExportDataSubject|", request.subject());
  // The key is how many tickets earlier pages held and the last one's id:
  // the next page starts after that id, or at that count if it went since.
  std::optional<std::pair<int64_t, std::string>> cursor;
  if (!request.page_token().empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> parts,
                     DecodePageToken(request.page_token(), filter));
    int64_t count = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &count) || count < 0) {
      return InvalidFieldError("page_token", "not a token of this export");
    }
    cursor.emplace(count, parts[1]);
  }

  const absl::Time now = deps_.clock->Now();
  v1::ExportDataSubjectResponse response;
  SetTimestamp(now, response.mutable_export_time());
  RETURN_IF_ERROR(deps_.database->Read([&](sql::Transaction& txn)
                                           -> absl::Status {
    std::vector<std::string> ids;
    if (is_account) {
      std::string account_id = id;
      // A merged account's tickets moved to its survivor.
      ASSIGN_OR_RETURN(std::optional<ProjectedAccount> account,
                       deps_.projection->FindAccount(txn, caller.tenant, id));
      if (account.has_value()) account_id = account->account_id;
      ASSIGN_OR_RETURN(ids, deps_.tickets->TicketIdsOfAccount(
                                txn, caller.tenant, account_id));
    } else {
      ASSIGN_OR_RETURN(
          ids, deps_.tickets->TicketIdsOfRequester(txn, caller.tenant, id));
    }
    size_t start = 0;
    if (cursor.has_value()) {
      const auto found = std::find(ids.begin(), ids.end(), cursor->second);
      start = found != ids.end()
                  ? static_cast<size_t>(found - ids.begin()) + 1
                  : std::min(static_cast<size_t>(cursor->first), ids.size());
    }
    const size_t end = std::min(ids.size(), start + page_size);
    for (size_t i = start; i < end; ++i) {
      ASSIGN_OR_RETURN(std::optional<v1::Ticket> ticket,
                       deps_.tickets->Find(txn, caller.tenant, ids[i]));
      if (!ticket.has_value()) continue;
      v1::ExportedTicket* exported = response.add_tickets();
      *exported->mutable_ticket() = *std::move(ticket);
      ASSIGN_OR_RETURN(std::vector<v1::TicketComment> comments,
                       AllComments(txn, *deps_.tickets, caller.tenant, ids[i]));
      for (v1::TicketComment& comment : comments) {
        *exported->add_comments() = std::move(comment);
      }
      ASSIGN_OR_RETURN(std::optional<v1::CsatSurvey> survey,
                       deps_.csat->FindByTicket(txn, caller.tenant, ids[i]));
      if (survey.has_value()) {
        survey->clear_token();
        if (survey->state() == v1::CSAT_SURVEY_STATE_SENT &&
            now >= ToTime(survey->expire_time())) {
          survey->set_state(v1::CSAT_SURVEY_STATE_EXPIRED);
        }
        *exported->add_csat_surveys() = *std::move(survey);
      }
    }
    if (end < ids.size()) {
      response.set_next_page_token(
          EncodePageToken(filter, {absl::StrCat(end), ids[end - 1]}));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::Status DataSubjectManager::ApplyErasure(
    sql::Transaction& txn, absl::string_view tenant,
    const events::v1::DataSubjectErased& erased) {
  // What is deleted or overwritten below leaves no earlier page images in
  // the database's files either.
  PurgeDeletedDataAfterCommit(txn, deps_.database);
  std::vector<std::string> forget;
  absl::flat_hash_set<std::string> erased_contacts;
  for (const std::string& name : erased.erased_contacts()) {
    const std::string contact_id = IdOf(name);
    if (contact_id.empty() || !erased_contacts.insert(contact_id).second) {
      continue;
    }
    ASSIGN_OR_RETURN(
        std::vector<std::string> tickets,
        deps_.tickets->TicketIdsOfRequester(txn, tenant, contact_id));
    for (const std::string& ticket_id : tickets) {
      forget.push_back(absl::StrCat("tickets/", ticket_id));
    }
    RETURN_IF_ERROR(deps_.tickets->EraseRequester(txn, tenant, contact_id));
    ASSIGN_OR_RETURN(std::vector<std::string> surveys,
                     csat_->EraseComments(txn, tenant, contact_id, ""));
    forget.insert(forget.end(), surveys.begin(), surveys.end());
    RETURN_IF_ERROR(
        deps_.projection->DeleteEmailsOfContact(txn, tenant, contact_id)
            .status());
    RETURN_IF_ERROR(deps_.projection->DeleteContact(txn, tenant, contact_id));
    forget.push_back(absl::StrCat("contacts/", contact_id));
  }

  const std::string account_id = IdOf(erased.erased_account());
  if (!account_id.empty()) {
    // The account's other tickets (agent-filed, form tickets never linked):
    // their text is about the erased account too.
    ASSIGN_OR_RETURN(
        std::vector<std::string> tickets,
        deps_.tickets->TicketIdsOfAccount(txn, tenant, account_id));
    for (const std::string& ticket_id : tickets) {
      forget.push_back(absl::StrCat("tickets/", ticket_id));
      ASSIGN_OR_RETURN(std::optional<v1::Ticket> ticket,
                       deps_.tickets->Find(txn, tenant, ticket_id));
      if (!ticket.has_value()) continue;
      if (ticket->subject() == kErasedText &&
          ticket->description() == kErasedText &&
          ticket->requester_display_name().empty() &&
          ticket->requester_email().empty()) {
        continue;
      }
      ticket->set_subject(kErasedText);
      ticket->set_description(kErasedText);
      ticket->clear_requester_display_name();
      ticket->clear_requester_email();
      RETURN_IF_ERROR(deps_.tickets->Put(txn, tenant, ticket_id, *ticket));
    }
    ASSIGN_OR_RETURN(std::vector<std::string> surveys,
                     csat_->EraseComments(txn, tenant, "", account_id));
    forget.insert(forget.end(), surveys.begin(), surveys.end());
    ASSIGN_OR_RETURN(
        std::vector<std::string> contacts,
        deps_.projection->ContactsOfAccount(txn, tenant, account_id));
    for (const std::string& contact_id : contacts) {
      RETURN_IF_ERROR(deps_.projection->DeleteContact(txn, tenant, contact_id));
    }
    RETURN_IF_ERROR(
        deps_.projection->DeleteEmailsOfAccount(txn, tenant, account_id)
            .status());
    ASSIGN_OR_RETURN(std::optional<AccountRow> known,
                     deps_.projection->GetAccount(txn, tenant, account_id));
    AccountRow row;
    row.account_id = account_id;
    if (known.has_value()) row = *known;
    row.state = AccountState::kDeleted;
    row.merged_into.clear();
    row.account_manager.clear();
    RETURN_IF_ERROR(deps_.projection->PutAccount(txn, tenant, row));
    forget.push_back(absl::StrCat("accounts/", account_id));
  }
  if (forget.empty()) return absl::OkStatus();
  return ForgetResponsesMentioning(txn, tenant, forget, deps_.clock->Now());
}

}  // namespace clientele::ticketing
