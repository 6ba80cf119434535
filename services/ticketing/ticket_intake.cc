// The support form's intake (SubmitTicketForm) and the requester linker's
// step: find the requester by email in the projection, else ask contacts
// (outside any transaction) with a request id derived from the call; when
// contacts is down or slow, take the ticket anyway (requester_pending) and
// link it once contacts answers, retrying with the same request id.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/ticketing/contacts_directory.h"
#include "services/ticketing/ticket_manager.h"
#include "services/ticketing/ticket_names.h"
#include "services/ticketing/ticket_rules.h"
#include "services/ticketing/ticket_store.h"
#include "services/ticketing/ticket_writes.h"

namespace clientele::ticketing {
namespace {

// Contacts could not answer in time: the ticket is taken without its
// requester, and linked later.
bool ContactsUnreachable(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable ||
         status.code() == absl::StatusCode::kDeadlineExceeded;
}

// The requester known for an email: from the projection, or as contacts
// answered.
struct Requester {
  std::string contact_id;
  ProjectedAccount account;
  // Whether contacts answered (the projection's email map is then filled).
  bool from_contacts = false;
  bool created = false;
};

// The projection's requester of `email_key`, when both the email and its
// account are known.
absl::StatusOr<std::optional<Requester>> KnownRequester(
    sql::Transaction& txn, const TicketingDeps& deps, absl::string_view tenant,
    absl::string_view email_key) {
  ASSIGN_OR_RETURN(std::optional<RequesterRef> ref,
                   deps.projection->FindEmail(txn, tenant, email_key));
  if (!ref.has_value()) return std::nullopt;
  ASSIGN_OR_RETURN(std::optional<ProjectedAccount> account,
                   deps.projection->FindAccount(txn, tenant, ref->account_id));
  if (!account.has_value()) return std::nullopt;
  return Requester{ref->contact_id, *std::move(account), false, false};
}

// What contacts found, with the account as the projection knows it (or, when
// its events have not arrived yet, as contacts described it).
absl::StatusOr<Requester> FromContacts(sql::Transaction& txn,
                                       const TicketingDeps& deps,
                                       absl::string_view tenant,
                                       absl::string_view email_key,
                                       const FoundRequester& found) {
  RETURN_IF_ERROR(deps.projection->PutEmail(
      txn, tenant, email_key,
      RequesterRef{found.contact_id, found.account_id}));
  ASSIGN_OR_RETURN(std::optional<ProjectedAccount> account,
                   deps.projection->FindAccount(txn, tenant, found.account_id));
  Requester requester;
  requester.contact_id = found.contact_id;
  requester.from_contacts = true;
  requester.created = found.created;
  if (account.has_value()) {
    requester.account = *std::move(account);
  } else {
    requester.account.account_id = found.account_id;
    requester.account.tier = found.tier;
    requester.account.account_manager = found.account_manager;
  }
  return requester;
}

void SetRequester(const Requester& requester, v1::Ticket* ticket) {
  ticket->set_account(AccountName(requester.account.account_id));
  ticket->set_requester(ContactName(requester.contact_id));
  ticket->set_account_tier(requester.account.tier);
  ticket->set_relationship_mode(requester.account.mode);
  ticket->set_requester_pending(false);
  ticket->clear_requester_display_name();
  ticket->clear_requester_email();
}

}  // namespace

absl::StatusOr<v1::SubmitTicketFormResponse> TicketManager::SubmitForm(
    const Caller& caller, const v1::SubmitTicketFormRequest& request) {
  RememberWriter(caller);
  FieldViolations violations;
  std::string display_name = request.name();
  CheckText(&display_name, "name", kMaxRequesterNameChars, /*required=*/true,
            /*multiline=*/false, &violations);
  std::string email_key;
  if (absl::StatusOr<std::string> key = EmailKey(request.email(), "email");
      key.ok()) {
    email_key = *std::move(key);
  } else {
    for (const FieldViolation& v : FieldViolationsOf(key.status())) {
      violations.Add(v.field, v.description);
    }
  }
  v1::Ticket ticket;
  ticket.set_product(request.product());
  CheckText(ticket.mutable_product(), "product", kMaxProductChars,
            /*required=*/false, /*multiline=*/false, &violations);
  std::string problem = request.problem();
  CheckText(&problem, "problem", kMaxDescriptionChars, /*required=*/true,
            /*multiline=*/true, &violations);
  std::string subject = request.subject();
  CheckText(&subject, "subject", kMaxSubjectChars, /*required=*/false,
            /*multiline=*/false, &violations);
  if (!v1::TicketPriority_IsValid(request.priority())) {
    violations.Add("priority",
                   absl::StrCat("unknown value ", request.priority()));
  }
  if (!v1::TicketType_IsValid(request.type())) {
    violations.Add("type", absl::StrCat("unknown value ", request.type()));
  }
  if (!v1::TicketChannel_IsValid(request.channel())) {
    violations.Add("channel",
                   absl::StrCat("unknown value ", request.channel()));
  }
  RETURN_IF_ERROR(violations.ToStatus());
  ticket.set_subject(subject.empty() ? SubjectFromProblem(problem) : subject);
  ticket.set_description(problem);
  ticket.set_priority(request.priority());
  ticket.set_type(request.type());
  ticket.set_channel(request.channel() == v1::TICKET_CHANNEL_UNSPECIFIED
                         ? v1::TICKET_CHANNEL_WEB
                         : request.channel());
  CheckTicketFields(&ticket, "", &violations);  // defaults type and priority
  RETURN_IF_ERROR(violations.ToStatus());

  std::optional<Requester> known;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(known,
                         KnownRequester(txn, deps_, caller.tenant, email_key));
        return absl::OkStatus();
      }));
  // Asked outside any transaction: a network call must not hold the writer.
  const std::string contacts_request_id =
      absl::StrCat("intake-", caller.request_id.empty() ? deps_.ids->NewId()
                                                        : caller.request_id);
  std::optional<FoundRequester> found;
  if (!known.has_value()) {
    absl::StatusOr<FoundRequester> answer =
        deps_.contacts == nullptr
            ? absl::UnavailableError("no contacts service configured")
            : deps_.contacts->FindOrCreate(caller, email_key, display_name,
                                           contacts_request_id);
    if (answer.ok()) {
      found = *std::move(answer);
    } else if (!ContactsUnreachable(answer.status())) {
      return answer.status();
    } else {
      LOG(WARNING) << "contacts unreachable for a form ticket, taking it with "
                      "its requester pending: "
                   << answer.status();
    }
  }

  const absl::Time now = NowMicros(*deps_.clock);
  const std::string id = deps_.ids->NewId();
  ticket.set_name(TicketName(id));
  v1::SubmitTicketFormResponse response;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        TicketWrites writes(deps_, sla_, routing_, caller, txn, now);
        v1::Ticket stored = ticket;
        std::optional<Requester> requester = known;
        if (found.has_value()) {
          ASSIGN_OR_RETURN(requester, FromContacts(txn, deps_, caller.tenant,
                                                   email_key, *found));
        }
        if (requester.has_value()) {
          SetRequester(*requester, &stored);
          RETURN_IF_ERROR(writes.Open(requester->account, "", &stored));
          response.set_requester_created(requester->created);
        } else {
          stored.set_requester_pending(true);
          stored.set_requester_display_name(display_name);
          stored.set_requester_email(
              std::string(absl::StripAsciiWhitespace(request.email())));
          RETURN_IF_ERROR(writes.Open(std::nullopt, "", &stored));
          RETURN_IF_ERROR(deps_.tickets->PutPendingRequester(
              txn, caller.tenant, id, contacts_request_id));
        }
        *response.mutable_ticket() = std::move(stored);
        MentionTicket(response.ticket(), write);
        return absl::OkStatus();
      }));
  if (response.ticket().requester_pending()) {
    RememberPendingCall(caller.tenant, IdOf(response.ticket().name()), caller);
    if (pending_requester_listener_) pending_requester_listener_();
  }
  return response;
}

absl::StatusOr<int> TicketManager::LinkPendingRequesters(
    absl::string_view tenant, int limit) {
  std::vector<PendingRequester> pending;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(pending,
                         deps_.tickets->PendingRequesters(txn, tenant, limit));
        return absl::OkStatus();
      }));
  int linked = 0;
  for (const PendingRequester& waiting : pending) {
    Caller caller;
    caller.tenant = std::string(tenant);
    caller.actor = std::string(kSystemActor);
    caller.trace_id = waiting.request_id;
    std::optional<v1::Ticket> ticket;
    std::optional<Requester> known;
    std::string email_key;
    RETURN_IF_ERROR(
        deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
          ASSIGN_OR_RETURN(ticket,
                           deps_.tickets->Find(txn, tenant, waiting.ticket_id));
          if (!ticket.has_value() || !ticket->requester_pending()) {
            return absl::OkStatus();
          }
          absl::StatusOr<std::string> key =
              EmailKey(ticket->requester_email(), "requester_email");
          if (!key.ok()) return absl::OkStatus();  // erased meanwhile
          email_key = *std::move(key);
          ASSIGN_OR_RETURN(known,
                           KnownRequester(txn, deps_, tenant, email_key));
          return absl::OkStatus();
        }));
    const bool stale = !ticket.has_value() || !ticket->requester_pending() ||
                       email_key.empty();
    std::optional<FoundRequester> found;
    if (!stale && !known.has_value()) {
      // The intake caller's credentials, else the tenant's freshest (the
      // header comment of PendingCall says why); with neither, wait for the
      // email to appear in the projection.
      std::optional<PendingCall> call =
          PendingCallOf(tenant, waiting.ticket_id);
      if (call.has_value() && call->refused) continue;
      caller.authorization = call.has_value() && !call->authorization.empty()
                                 ? call->authorization
                                 : WriterOf(tenant);
      if (caller.authorization.empty() || deps_.contacts == nullptr) continue;
      absl::StatusOr<FoundRequester> answer = deps_.contacts->FindOrCreate(
          caller, email_key, ticket->requester_display_name(),
          waiting.request_id);
      if (!answer.ok()) {
        if (!ContactsUnreachable(answer.status())) {
          // Credentials contacts does not take are dropped (others may
          // do); any other refusal is for good: stop asking, an agent can
          // still set the requester by hand.
          LOG(WARNING) << "contacts refused the requester of tickets/"
                       << waiting.ticket_id << ": " << answer.status();
          RefusePendingCall(
              tenant, waiting.ticket_id, caller.authorization,
              /*bad_credentials=*/absl::IsUnauthenticated(answer.status()) ||
                  absl::IsPermissionDenied(answer.status()));
        }
        continue;
      }
      found = *std::move(answer);
    }
    const absl::Time now = NowMicros(*deps_.clock);
    bool done = false;
    v1::Ticket unused;  // no request_id: nothing is stored
    RETURN_IF_ERROR(deps_.writes().Run(
        caller, &unused, [&](WriteScope& write) -> absl::Status {
          sql::Transaction& txn = write.txn();
          if (stale) {
            return deps_.tickets->DeletePendingRequester(txn, tenant,
                                                         waiting.ticket_id);
          }
          TicketWrites writes(deps_, sla_, routing_, caller, txn, now);
          ASSIGN_OR_RETURN(v1::Ticket current, writes.Load(waiting.ticket_id));
          if (!current.requester_pending()) {
            return deps_.tickets->DeletePendingRequester(txn, tenant,
                                                         waiting.ticket_id);
          }
          std::optional<Requester> requester = known;
          if (found.has_value()) {
            ASSIGN_OR_RETURN(
                requester, FromContacts(txn, deps_, tenant, email_key, *found));
          }
          SetRequester(*requester, &current);
          v1::TicketHistoryEntry entry =
              writes.Entry(v1::TICKET_HISTORY_KIND_REQUESTER_LINKED);
          entry.set_related(current.requester());
          RETURN_IF_ERROR(writes.Save({entry}, /*reselect=*/true, &current));
          RETURN_IF_ERROR(
              writes.PublishUpdated(current, {"account", "requester"}));
          RETURN_IF_ERROR(deps_.tickets->DeletePendingRequester(
              txn, tenant, waiting.ticket_id));
          done = true;
          return absl::OkStatus();
        }));
    ForgetPendingCall(tenant, waiting.ticket_id);
    if (done) ++linked;
  }
  return linked;
}

}  // namespace clientele::ticketing
