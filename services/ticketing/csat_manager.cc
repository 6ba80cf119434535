#include "services/ticketing/csat_manager.h"

#include <openssl/rand.h>

#include <cstdint>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "clientele/events/v1/event.pb.h"
#include "common/auth.h"
#include "common/errors.h"
#include "common/page_token.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/time_range.h"
#include "common/validation.h"
#include "common/write_pipeline.h"
#include "services/ticketing/csat_store.h"
#include "services/ticketing/projection_store.h"
#include "services/ticketing/ticket_store.h"

namespace clientele::ticketing {
namespace {

constexpr char kSurveys[] = "csatSurveys";
constexpr char kSurveyType[] = "clientele.ticketing.v1.CsatSurvey";
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 1000;
constexpr int kMaxCommentChars = 2000;
// 256 bits: guessing one is out of the question, so looking a token up by
// its hash needs no rate limit to stay safe.
constexpr int kTokenBytes = 32;

std::string SurveyName(absl::string_view id) {
  return absl::StrCat(kSurveys, "/", id);
}

// A new survey token: kTokenBytes from OpenSSL's CSPRNG, base64url without
// padding (safe in a link).
absl::StatusOr<std::string> NewToken() {
  unsigned char bytes[kTokenBytes];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return absl::UnavailableError("no randomness for a CSAT survey token");
  }
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

// Times are kept to whole microseconds, as the store sorts and compares them.
absl::Time WholeMicros(absl::Time time) {
  return absl::FromUnixMicros(absl::ToUnixMicros(time));
}

// The survey as callers see it at `now`: never its token, and EXPIRED when
// it was not answered in time.
v1::CsatSurvey Presented(v1::CsatSurvey survey, absl::Time now) {
  survey.clear_token();
  if (survey.state() == v1::CSAT_SURVEY_STATE_SENT &&
      now >= ToTime(survey.expire_time())) {
    survey.set_state(v1::CSAT_SURVEY_STATE_EXPIRED);
  }
  return survey;
}

absl::Status Unauthenticated() {
  return absl::UnauthenticatedError(
      "the survey's token is missing or not valid for this survey");
}

absl::Status AppendEvent(sql::Transaction& txn, const TicketingDeps& deps,
                         const Caller& caller, absl::string_view subject,
                         events::v1::Event event) {
  event.set_request_id(caller.trace_id);
  event.set_actor(caller.actor);
  return deps.events->Append(txn, caller.tenant, subject, std::move(event));
}

}  // namespace

absl::StatusOr<std::optional<v1::CsatSurvey>> CsatManager::IssueOnSolve(
    sql::Transaction& txn, const Caller& caller, absl::Time now,
    v1::Ticket* ticket) {
  // One survey per ticket, ever: reopening and solving again asks nobody
  // twice.
  if (!ticket->csat_survey().empty()) return std::nullopt;
  const std::string ticket_id = IdOf(ticket->name());
  ASSIGN_OR_RETURN(std::optional<v1::CsatSurvey> existing,
                   deps_.csat->FindByTicket(txn, caller.tenant, ticket_id));
  if (existing.has_value()) {
    ticket->set_csat_survey(existing->name());
    return std::nullopt;
  }

  now = WholeMicros(now);
  const std::string id = deps_.ids->NewId();
  ASSIGN_OR_RETURN(std::string token, NewToken());
  v1::CsatSurvey survey;
  survey.set_name(SurveyName(id));
  survey.set_ticket(ticket->name());
  survey.set_account(ticket->account());
  survey.set_requester(ticket->requester());
  survey.set_state(v1::CSAT_SURVEY_STATE_SENT);
  SetTimestamp(now, survey.mutable_send_time());
  SetTimestamp(WholeMicros(now + deps_.csat_survey_ttl),
               survey.mutable_expire_time());
  RETURN_IF_ERROR(
      deps_.csat->Insert(txn, caller.tenant, id, survey, Sha256Hex(token)));

  v1::TicketHistoryEntry entry;
  entry.set_kind(v1::TICKET_HISTORY_KIND_CSAT_SENT);
  SetTimestamp(now, entry.mutable_occur_time());
  entry.set_actor(caller.actor);
  entry.set_related(survey.name());
  RETURN_IF_ERROR(
      deps_.tickets->AppendHistory(txn, caller.tenant, ticket_id, entry));

  events::v1::Event event;
  events::v1::CsatSurveySent* sent = event.mutable_csat_survey_sent();
  sent->set_csat_survey(survey.name());
  sent->set_ticket(survey.ticket());
  sent->set_account(survey.account());
  sent->set_requester(survey.requester());
  sent->set_agent(ticket->assignee());
  *sent->mutable_expire_time() = survey.expire_time();
  RETURN_IF_ERROR(
      AppendEvent(txn, deps_, caller, survey.name(), std::move(event)));

  ticket->set_csat_survey(survey.name());
  survey.set_token(std::move(token));
  return survey;
}

absl::StatusOr<v1::CsatSurvey> CsatManager::Get(const Caller& caller,
                                                absl::string_view name) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kSurveys, "name"));
  std::optional<v1::CsatSurvey> survey;
  RETURN_IF_ERROR(deps_.database->Read([&](sql::Transaction& txn) {
    ASSIGN_OR_RETURN(survey, deps_.csat->Find(txn, caller.tenant, id));
    return absl::OkStatus();
  }));
  if (!survey.has_value()) {
    return NotFoundResourceError(kSurveyType, SurveyName(id));
  }
  return Presented(*std::move(survey), deps_.clock->Now());
}

absl::StatusOr<v1::ListCsatSurveysResponse> CsatManager::List(
    const Caller& caller, const v1::ListCsatSurveysRequest& request) {
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  FieldViolations violations;
  CsatFilter filter;
  if (!request.ticket().empty()) {
    absl::StatusOr<std::string> id =
        ParseResourceName(request.ticket(), "tickets", "ticket");
    if (id.ok()) {
      filter.ticket_id = *std::move(id);
    } else {
      violations.Add("ticket", "must be \"tickets/{ticket}\"");
    }
  }
  if (!request.account().empty()) {
    absl::StatusOr<std::string> id =
        ParseResourceName(request.account(), "accounts", "account");
    if (id.ok()) {
      filter.account_id = *std::move(id);
    } else {
      violations.Add("account", "must be \"accounts/{account}\"");
    }
  }
  if (!v1::CsatSurveyState_IsValid(request.state())) {
    violations.Add("state", absl::StrCat("unknown value ", request.state()));
  }
  filter.state = request.state();
  CheckTimeRange(request.send_time_range(), "send_time_range",
                 &filter.send_start_us, &filter.send_end_us, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const std::string filter_key = PageTokenFilter(
      "ListCsatSurveys",
      {caller.tenant, filter.ticket_id, filter.account_id,
       absl::StrCat(filter.state), absl::StrCat(filter.send_start_us),
       absl::StrCat(filter.send_end_us)});
  ASSIGN_OR_RETURN(
      std::optional<CsatCursor> after,
      DecodeIntIdPageToken<CsatCursor>(request.page_token(), filter_key));

  const absl::Time now = deps_.clock->Now();
  filter.now = now;
  std::vector<v1::CsatSurvey> rows;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        CsatFilter resolved = filter;
        if (!filter.account_id.empty()) {
          // A merged account's surveys moved to its survivor.
          ASSIGN_OR_RETURN(std::optional<ProjectedAccount> account,
                           deps_.projection->FindAccount(txn, caller.tenant,
                                                         filter.account_id));
          if (account.has_value()) resolved.account_id = account->account_id;
        }
        ASSIGN_OR_RETURN(rows, deps_.csat->List(txn, caller.tenant, resolved,
                                                after, page_size + 1));
        return absl::OkStatus();
      }));
  v1::ListCsatSurveysResponse response;
  const bool more = rows.size() > static_cast<size_t>(page_size);
  if (more) rows.resize(page_size);
  for (v1::CsatSurvey& row : rows) {
    *response.add_csat_surveys() = Presented(std::move(row), now);
  }
  if (more) {
    const v1::CsatSurvey& last = response.csat_surveys(page_size - 1);
    response.set_next_page_token(EncodeIntIdPageToken(
        filter_key, TimestampMicros(last.send_time()), IdOf(last.name())));
  }
  return response;
}

absl::StatusOr<v1::CsatSurvey> CsatManager::Submit(
    const Caller& caller, const v1::SubmitCsatResponseRequest& request) {
  // Who may answer comes first: someone without the token learns nothing
  // about the survey, not even whether the rest of the request would do.
  if (request.token().empty()) return Unauthenticated();
  ASSIGN_OR_RETURN(std::string id,
                   ParseResourceName(request.name(), kSurveys, "name"));
  const std::string token_hash = Sha256Hex(request.token());
  std::optional<CsatTokenRef> ref;
  RETURN_IF_ERROR(deps_.database->Read([&](sql::Transaction& txn) {
    ASSIGN_OR_RETURN(ref, deps_.csat->FindToken(txn, token_hash));
    return absl::OkStatus();
  }));
  if (!ref.has_value() || ref->survey_id != id) return Unauthenticated();

  FieldViolations violations;
  if (request.rating() < 1 || request.rating() > 5) {
    violations.Add("rating",
                   "must be 1 (very dissatisfied) to 5 (very "
                   "satisfied)");
  }
  std::string comment = request.comment();
  CheckText(&comment, "comment", kMaxCommentChars, /*required=*/false,
            /*multiline=*/true, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  // From here the survey's tenant scopes everything, the request_id's
  // stored answer included.
  Caller scoped = caller;
  scoped.tenant = ref->tenant;
  const absl::Time now = WholeMicros(deps_.clock->Now());
  v1::SubmitCsatResponseResponse response;
  RETURN_IF_ERROR(deps_.writes().Run(
      scoped, &response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        ASSIGN_OR_RETURN(std::optional<v1::CsatSurvey> found,
                         deps_.csat->Find(txn, scoped.tenant, id));
        // The ticket (and its survey) went since the token was read.
        if (!found.has_value()) return Unauthenticated();
        v1::CsatSurvey survey = *std::move(found);
        if (survey.state() == v1::CSAT_SURVEY_STATE_RESPONDED) {
          return absl::FailedPreconditionError(
              "the survey has already been answered");
        }
        if (now >= ToTime(survey.expire_time())) {
          return absl::FailedPreconditionError(
              "the survey has expired and no longer accepts answers");
        }
        survey.set_state(v1::CSAT_SURVEY_STATE_RESPONDED);
        survey.set_rating(request.rating());
        survey.set_comment(comment);
        SetTimestamp(now, survey.mutable_respond_time());
        RETURN_IF_ERROR(deps_.csat->Update(txn, scoped.tenant, id, survey));

        const std::string ticket_id = IdOf(survey.ticket());
        ASSIGN_OR_RETURN(std::optional<v1::Ticket> ticket,
                         deps_.tickets->Find(txn, scoped.tenant, ticket_id));
        Caller responder = scoped;
        responder.actor =
            survey.requester().empty() ? "requester" : survey.requester();
        if (ticket.has_value()) {
          v1::TicketHistoryEntry entry;
          entry.set_kind(v1::TICKET_HISTORY_KIND_CSAT_RESPONDED);
          SetTimestamp(now, entry.mutable_occur_time());
          entry.set_actor(responder.actor);
          entry.set_related(survey.name());
          RETURN_IF_ERROR(deps_.tickets->AppendHistory(txn, scoped.tenant,
                                                       ticket_id, entry));
        }

        events::v1::Event event;
        events::v1::CsatSurveyResponded* responded =
            event.mutable_csat_survey_responded();
        responded->set_csat_survey(survey.name());
        responded->set_ticket(survey.ticket());
        responded->set_account(survey.account());
        responded->set_requester(survey.requester());
        responded->set_rating(survey.rating());
        if (ticket.has_value()) {
          responded->set_agent(ticket->assignee());
          responded->set_relationship_mode(ticket->relationship_mode());
          responded->set_account_tier(ticket->account_tier());
        }
        RETURN_IF_ERROR(AppendEvent(txn, deps_, responder, survey.name(),
                                    std::move(event)));

        // The stored answer holds the comment: erasing the requester or
        // the account forgets it.
        write.Mentions(survey.name());
        if (!survey.account().empty()) write.Mentions(survey.account());
        if (!survey.requester().empty()) write.Mentions(survey.requester());
        *response.mutable_csat_survey() = std::move(survey);
        return absl::OkStatus();
      }));
  return Presented(std::move(*response.mutable_csat_survey()), now);
}

absl::Status CsatManager::OnAccountsMerged(sql::Transaction& txn,
                                           absl::string_view tenant,
                                           absl::string_view from_account_id,
                                           absl::string_view to_account_id) {
  ASSIGN_OR_RETURN(std::vector<v1::CsatSurvey> surveys,
                   deps_.csat->ListOfAccount(txn, tenant, from_account_id));
  for (v1::CsatSurvey& survey : surveys) {
    survey.set_account(absl::StrCat("accounts/", to_account_id));
    RETURN_IF_ERROR(
        deps_.csat->Update(txn, tenant, IdOf(survey.name()), survey));
  }
  return absl::OkStatus();
}

absl::Status CsatManager::OnContactsMerged(sql::Transaction& txn,
                                           absl::string_view tenant,
                                           absl::string_view from_contact_id,
                                           absl::string_view to_contact_id) {
  ASSIGN_OR_RETURN(std::vector<v1::CsatSurvey> surveys,
                   deps_.csat->ListOfRequester(txn, tenant, from_contact_id));
  for (v1::CsatSurvey& survey : surveys) {
    survey.set_requester(absl::StrCat("contacts/", to_contact_id));
    RETURN_IF_ERROR(
        deps_.csat->Update(txn, tenant, IdOf(survey.name()), survey));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> CsatManager::EraseComments(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id, absl::string_view account_id) {
  std::vector<v1::CsatSurvey> surveys;
  if (!contact_id.empty()) {
    ASSIGN_OR_RETURN(surveys,
                     deps_.csat->ListOfRequester(txn, tenant, contact_id));
  }
  if (!account_id.empty()) {
    ASSIGN_OR_RETURN(std::vector<v1::CsatSurvey> of_account,
                     deps_.csat->ListOfAccount(txn, tenant, account_id));
    for (v1::CsatSurvey& survey : of_account) {
      surveys.push_back(std::move(survey));
    }
  }
  std::vector<std::string> names;
  for (v1::CsatSurvey& survey : surveys) {
    if (survey.comment().empty()) continue;
    survey.clear_comment();
    RETURN_IF_ERROR(
        deps_.csat->Update(txn, tenant, IdOf(survey.name()), survey));
    names.push_back(survey.name());
  }
  return names;
}

}  // namespace clientele::ticketing
