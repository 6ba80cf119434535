// Comments: public replies and internal notes, the status moves they cause
// (an agent's first public reply opens a NEW ticket; a requester reply
// reopens a PENDING or SOLVED one), and the follow-up ticket a requester
// reply to a CLOSED ticket opens.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/ticketing/ticket_manager.h"
#include "services/ticketing/ticket_names.h"
#include "services/ticketing/ticket_rules.h"
#include "services/ticketing/ticket_store.h"
#include "services/ticketing/ticket_writes.h"

namespace clientele::ticketing {
namespace {

absl::Status PublishCommentAdded(TicketWrites& writes, const v1::Ticket& ticket,
                                 const v1::TicketComment& comment) {
  events::v1::Event event;
  auto* payload = event.mutable_ticket_comment_added();
  payload->set_ticket(ticket.name());
  payload->set_account(ticket.account());
  payload->set_comment(comment.name());
  payload->set_visibility(
      static_cast<events::v1::CommentVisibility>(comment.visibility()));
  payload->set_author_type(
      static_cast<events::v1::CommentAuthorType>(comment.author_type()));
  payload->set_author(comment.author());
  return writes.Publish(ticket.name(), std::move(event));
}

// Opens the follow-up of CLOSED `closed` for the requester's `comment`: a
// new ticket of the same account, requester, product, type, priority,
// channel and team, whose description is the reply; the closed ticket's
// history records FOLLOW_UP_OPENED. Returns the new ticket.
absl::StatusOr<v1::Ticket> OpenFollowUp(const TicketingDeps& deps,
                                        TicketWrites& writes,
                                        v1::Ticket* closed,
                                        const v1::TicketComment& comment,
                                        absl::string_view new_id) {
  const std::string& tenant = writes.caller().tenant;
  v1::Ticket follow_up;
  follow_up.set_name(TicketName(new_id));
  follow_up.set_account(closed->account());
  follow_up.set_requester(closed->requester());
  follow_up.set_product(closed->product());
  follow_up.set_subject(closed->subject());
  follow_up.set_description(comment.body());
  follow_up.set_type(closed->type());
  follow_up.set_priority(closed->priority());
  follow_up.set_channel(closed->channel());
  follow_up.set_team(closed->team());
  *follow_up.mutable_tags() = closed->tags();
  follow_up.set_requester_display_name(closed->requester_display_name());
  follow_up.set_requester_email(closed->requester_email());
  follow_up.set_follow_up_of(closed->name());
  std::optional<ProjectedAccount> account;
  if (!closed->account().empty()) {
    ASSIGN_OR_RETURN(account,
                     deps.projection->FindAccount(writes.txn(), tenant,
                                                  IdOf(closed->account())));
  }
  if (account.has_value()) {
    follow_up.set_account(AccountName(account->account_id));
    follow_up.set_account_tier(account->tier);
    follow_up.set_relationship_mode(account->mode);
  } else {
    follow_up.set_account_tier(closed->account_tier());
    follow_up.set_relationship_mode(closed->relationship_mode());
  }
  // Still waiting for its requester: so does the follow-up, linked from the
  // projection once the first one is.
  follow_up.set_requester_pending(closed->requester_pending());
  RETURN_IF_ERROR(writes.Open(account, closed->name(), &follow_up));
  if (follow_up.requester_pending()) {
    RETURN_IF_ERROR(deps.tickets->PutPendingRequester(
        writes.txn(), tenant, new_id,
        absl::StrCat("intake-follow-up-", new_id)));
  }

  v1::TicketHistoryEntry opened =
      writes.Entry(v1::TICKET_HISTORY_KIND_FOLLOW_UP_OPENED);
  opened.set_related(follow_up.name());
  // A CLOSED ticket's clocks are stopped: nothing to reselect.
  RETURN_IF_ERROR(writes.Save({opened}, /*reselect=*/false, closed));
  return follow_up;
}

}  // namespace

absl::StatusOr<CommentResult> TicketManager::AddComment(
    const Caller& caller, absl::string_view parent,
    const v1::TicketComment& given) {
  RememberWriter(caller);
  ASSIGN_OR_RETURN(std::string id,
                   ParseResourceName(parent, kTickets, "parent"));
  v1::TicketComment comment;
  comment.set_visibility(given.visibility());
  comment.set_author_type(given.author_type());
  comment.set_author(given.author());
  comment.set_body(given.body());
  if (given.has_occur_time()) {
    *comment.mutable_occur_time() = given.occur_time();
  }
  FieldViolations violations;
  CheckComment(&comment, "comment.", &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  if (comment.author_type() == v1::COMMENT_AUTHOR_TYPE_AGENT &&
      comment.author().empty()) {
    comment.set_author(caller.actor);
  }
  if (comment.has_occur_time()) {
    SetTimestamp(FromMicros(ToMicros(ToTime(comment.occur_time()))),
                 comment.mutable_occur_time());
  }

  const absl::Time now = NowMicros(*deps_.clock);
  const std::string comment_id = deps_.ids->NewId();
  const std::string follow_up_id = deps_.ids->NewId();
  v1::CreateTicketCommentResponse response;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        TicketWrites writes(deps_, sla_, routing_, caller, txn, now);
        ASSIGN_OR_RETURN(v1::Ticket ticket, writes.Load(id));
        RETURN_IF_ERROR(CheckOccurTime(comment, ToTime(ticket.create_time()),
                                       now, "comment.occur_time"));
        v1::TicketComment stored = comment;
        SetTimestamp(now, stored.mutable_create_time());
        const bool from_requester =
            stored.author_type() == v1::COMMENT_AUTHOR_TYPE_REQUESTER;
        if (from_requester && stored.author().empty()) {
          stored.set_author(ticket.requester());
        }
        const absl::Time occur =
            stored.has_occur_time() ? ToTime(stored.occur_time()) : now;

        if (ticket.status() == v1::TICKET_STATUS_CLOSED) {
          if (!from_requester) {
            return absl::FailedPreconditionError(absl::StrCat(
                ticket.name(),
                " is CLOSED: only a requester reply may follow it (and opens "
                "a follow-up ticket)"));
          }
          ASSIGN_OR_RETURN(
              v1::Ticket follow_up,
              OpenFollowUp(deps_, writes, &ticket, stored, follow_up_id));
          stored.set_name(CommentName(follow_up_id, comment_id));
          RETURN_IF_ERROR(deps_.tickets
                              ->AddComment(txn, caller.tenant, follow_up_id,
                                           comment_id, stored)
                              .status());
          RETURN_IF_ERROR(PublishCommentAdded(writes, follow_up, stored));
          *response.mutable_comment() = stored;
          *response.mutable_ticket() = follow_up;
          MentionTicket(follow_up, write);
          return absl::OkStatus();
        }

        stored.set_name(CommentName(id, comment_id));
        RETURN_IF_ERROR(
            deps_.tickets
                ->AddComment(txn, caller.tenant, id, comment_id, stored)
                .status());
        std::vector<v1::TicketHistoryEntry> entries;
        const v1::TicketStatus previous = ticket.status();
        const bool is_public =
            stored.visibility() == v1::COMMENT_VISIBILITY_PUBLIC_REPLY;
        const auto reply_entry = [&](v1::TicketHistoryKind kind) {
          v1::TicketHistoryEntry entry = writes.Entry(kind, occur);
          entry.set_related(stored.name());
          if (from_requester && !stored.author().empty()) {
            entry.set_actor(stored.author());
          }
          return entry;
        };
        const auto status_entry = [&](v1::TicketStatus to) {
          v1::TicketHistoryEntry entry =
              writes.Entry(v1::TICKET_HISTORY_KIND_STATUS_CHANGED);
          entry.set_previous_status(previous);
          entry.set_status(to);
          return entry;
        };
        if (stored.author_type() == v1::COMMENT_AUTHOR_TYPE_AGENT &&
            is_public) {
          entries.push_back(reply_entry(v1::TICKET_HISTORY_KIND_AGENT_REPLY));
          if (!ticket.has_first_response_time() ||
              occur < ToTime(ticket.first_response_time())) {
            SetTimestamp(occur, ticket.mutable_first_response_time());
          }
          if (previous == v1::TICKET_STATUS_NEW) {
            entries.push_back(status_entry(v1::TICKET_STATUS_OPEN));
            ticket.set_status(v1::TICKET_STATUS_OPEN);
          }
        } else if (from_requester) {
          // The reopen is recorded now; the reply when it was written.
          if (previous == v1::TICKET_STATUS_PENDING ||
              previous == v1::TICKET_STATUS_SOLVED) {
            entries.push_back(status_entry(v1::TICKET_STATUS_OPEN));
            ticket.set_status(v1::TICKET_STATUS_OPEN);
          }
          entries.push_back(
              reply_entry(v1::TICKET_HISTORY_KIND_REQUESTER_REPLY));
        } else {
          entries.push_back(reply_entry(v1::TICKET_HISTORY_KIND_NOTE));
        }
        RETURN_IF_ERROR(writes.Save(entries, /*reselect=*/false, &ticket));
        RETURN_IF_ERROR(PublishCommentAdded(writes, ticket, stored));
        if (ticket.status() != previous) {
          RETURN_IF_ERROR(writes.PublishStatusChanged(ticket, previous));
        }
        *response.mutable_comment() = std::move(stored);
        *response.mutable_ticket() = std::move(ticket);
        MentionTicket(response.ticket(), write);
        return absl::OkStatus();
      }));
  return CommentResult{std::move(*response.mutable_comment()),
                       std::move(*response.mutable_ticket())};
}

}  // namespace clientele::ticketing
