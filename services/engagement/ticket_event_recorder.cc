#include "services/engagement/ticket_event_recorder.h"

#include <openssl/sha.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/log.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/engagement/interaction_store.h"
#include "services/engagement/projection_store.h"

namespace clientele::engagement {
namespace {

using events::v1::Event;

// Interactions recorded from one ticket are looked up this many at a time.
constexpr int kForgetPageSize = 500;

// An interaction id derived from `parts`: the same for the same parts, 43
// characters, and never one the server makes ("tk-" holds a '-', which
// RandomIdGenerator's ids never do).
std::string DerivedId(std::initializer_list<absl::string_view> parts) {
  const std::string key = absl::StrJoin(parts, "\n");
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(),
         digest);
  return absl::StrCat("tk-", absl::BytesToHexString(absl::string_view(
                                 reinterpret_cast<const char*>(digest), 20)));
}

// "TICKET_PRIORITY_HIGH" -> "high".
std::string Lower(const std::string& enum_name, absl::string_view prefix) {
  return absl::AsciiStrToLower(absl::string_view(enum_name).substr(
      std::min(prefix.size(), enum_name.size())));
}

// The first valid one of `times`, else the event's time, else `now`.
google::protobuf::Timestamp OccurTime(
    std::initializer_list<const google::protobuf::Timestamp*> times,
    const Event& event, absl::Time now) {
  for (const google::protobuf::Timestamp* t : times) {
    if (t != nullptr && (t->seconds() != 0 || t->nanos() != 0) &&
        IsValidTimestamp(*t)) {
      return *t;
    }
  }
  if (event.has_occurred_at() && IsValidTimestamp(event.occurred_at())) {
    return event.occurred_at();
  }
  return ToTimestamp(now);
}

// The interaction every ticket kind starts from.
v1::Interaction Base(v1::InteractionKind kind, absl::string_view id,
                     absl::string_view account, absl::string_view requester,
                     absl::string_view ticket, absl::string_view staff_user) {
  v1::Interaction interaction;
  interaction.set_name(absl::StrCat("interactions/", id));
  interaction.set_kind(kind);
  interaction.set_account(std::string(account));
  interaction.set_contact(std::string(requester));
  interaction.set_source_ref(std::string(ticket));
  interaction.set_staff_user(std::string(staff_user));
  // Not contact made for this account alone, nor a standard message:
  // scoring leaves ticket kinds out of personalization either way.
  interaction.set_personalization(v1::PERSONALIZATION_STANDARD);
  interaction.set_channel(v1::INTERACTION_CHANNEL_OTHER);
  return interaction;
}

v1::Interaction Opened(const events::v1::TicketSnapshot& ticket,
                       const Event& event, absl::Time now) {
  v1::Interaction interaction =
      Base(v1::INTERACTION_KIND_TICKET_OPENED,
           TicketEventRecorder::OpenedId(ticket.name()), ticket.account(),
           ticket.requester(), ticket.name(), ticket.assignee());
  interaction.set_direction(v1::INTERACTION_DIRECTION_INBOUND);
  *interaction.mutable_occur_time() =
      OccurTime({&ticket.create_time()}, event, now);
  std::vector<std::string> about;
  if (ticket.type() != events::v1::TICKET_TYPE_UNSPECIFIED) {
    about.push_back(
        Lower(events::v1::TicketType_Name(ticket.type()), "TICKET_TYPE_"));
  }
  if (ticket.priority() != events::v1::TICKET_PRIORITY_UNSPECIFIED) {
    about.push_back(
        absl::StrCat(Lower(events::v1::TicketPriority_Name(ticket.priority()),
                           "TICKET_PRIORITY_"),
                     " priority"));
  }
  interaction.set_summary(about.empty()
                              ? std::string("Support ticket opened")
                              : absl::StrCat("Support ticket opened (",
                                             absl::StrJoin(about, ", "), ")"));
  return interaction;
}

}  // namespace

std::string TicketEventRecorder::OpenedId(absl::string_view ticket) {
  return DerivedId({"opened", ticket});
}

std::string TicketEventRecorder::SolvedId(absl::string_view ticket) {
  return DerivedId({"solved", ticket});
}

absl::Status TicketEventRecorder::Apply(
    sql::Transaction& txn, const events::StreamEvent& stream_event) {
  // Most of the stream (comments, assignments, status changes) is not for
  // us: skipped without parsing.
  static const auto* const kHandled = new std::vector<std::string>{
      events::v1::TicketCreated::descriptor()->full_name(),
      events::v1::TicketUpdated::descriptor()->full_name(),
      events::v1::TicketSolved::descriptor()->full_name(),
      events::v1::CsatSurveyResponded::descriptor()->full_name(),
      events::v1::SlaBreached::descriptor()->full_name(),
      events::v1::TicketsMerged::descriptor()->full_name(),
      events::v1::TicketDeleted::descriptor()->full_name(),
  };
  if (!stream_event.type.empty() &&
      std::find(kHandled->begin(), kHandled->end(), stream_event.type) ==
          kHandled->end()) {
    return absl::OkStatus();
  }
  Event event;
  if (!event.ParseFromString(stream_event.payload)) {
    return absl::DataLossError(
        absl::StrCat("event ", stream_event.event_id, " does not parse"));
  }
  return ApplyEvent(txn, stream_event.tenant, event);
}

absl::Status TicketEventRecorder::Record(sql::Transaction& txn,
                                         absl::string_view tenant,
                                         const Event& event,
                                         v1::Interaction interaction) {
  const std::string kind = v1::InteractionKind_Name(interaction.kind());
  const std::string account = interaction.account();
  absl::StatusOr<InteractionManager::DerivedOutcome> outcome =
      interactions_->RecordDerived(txn, tenant, event,
                                   v1::INTERACTION_SOURCE_TICKETING,
                                   std::move(interaction));
  if (absl::IsInvalidArgument(outcome.status())) {
    LOG(ERROR) << "ticketing event " << event.event_id() << " (tenant "
               << tenant << ") makes no valid " << kind
               << " interaction; skipped: " << outcome.status();
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(outcome.status());
  if (*outcome == InteractionManager::DerivedOutcome::kAccountGone) {
    LOG(WARNING) << "ticketing event " << event.event_id() << " (tenant "
                 << tenant << ") is about " << account
                 << ", which was deleted; no " << kind << " recorded";
  }
  return absl::OkStatus();
}

absl::Status TicketEventRecorder::ForgetTicket(sql::Transaction& txn,
                                               absl::string_view tenant,
                                               const Event& event,
                                               absl::string_view account,
                                               absl::string_view ticket) {
  auto id = ParseResourceName(account, "accounts", "account");
  if (!id.ok()) return absl::OkStatus();  // never recorded anything
  // Where the account's interactions are: itself (a placeholder too), or
  // its survivor.
  ASSIGN_OR_RETURN(std::optional<ProjectedAccount> known,
                   deps_.projection->Find(txn, tenant, *id));
  if (!known.has_value() || known->state == ProjectedState::kGone) {
    return absl::OkStatus();
  }
  if (known->state == ProjectedState::kMerged) {
    ASSIGN_OR_RETURN(known, deps_.projection->Resolve(txn, tenant, *id));
    if (!known.has_value()) return absl::OkStatus();
  }
  InteractionFilter filter;
  filter.kinds = {v1::INTERACTION_KIND_TICKET_OPENED,
                  v1::INTERACTION_KIND_TICKET_SOLVED,
                  v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE,
                  v1::INTERACTION_KIND_TICKET_SLA_BREACHED};
  std::vector<std::string> ids;
  std::optional<TimelineCursor> after;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<v1::Interaction> page,
                     deps_.interactions->List(txn, tenant, known->id, filter,
                                              after, kForgetPageSize));
    for (const v1::Interaction& interaction : page) {
      if (interaction.source() == v1::INTERACTION_SOURCE_TICKETING &&
          interaction.source_ref() == ticket) {
        ids.push_back(IdOf(interaction.name()));
      }
    }
    if (static_cast<int>(page.size()) < kForgetPageSize) break;
    ASSIGN_OR_RETURN(after, TimelineCursor::FromKey(
                                TimelineCursor::KeyOf(page.back()), "cursor"));
  }
  for (const std::string& interaction_id : ids) {
    RETURN_IF_ERROR(
        interactions_->DeleteDerived(txn, tenant, event, interaction_id)
            .status());
  }
  return absl::OkStatus();
}

absl::Status TicketEventRecorder::ApplyEvent(sql::Transaction& txn,
                                             absl::string_view tenant,
                                             const Event& event) {
  const absl::Time now = deps_.clock->Now();
  switch (event.payload_case()) {
    case Event::kTicketCreated: {
      const events::v1::TicketSnapshot& ticket =
          event.ticket_created().ticket();
      // Taken while contacts was down: recorded once it is linked.
      if (ticket.account().empty()) return absl::OkStatus();
      return Record(txn, tenant, event, Opened(ticket, event, now));
    }
    case Event::kTicketUpdated: {
      const auto& updated = event.ticket_updated();
      const events::v1::TicketSnapshot& ticket = updated.ticket();
      bool linked = false;
      for (const std::string& field : updated.changed_fields()) {
        if (field == "requester" || field == "account") linked = true;
      }
      if (!linked || ticket.account().empty()) return absl::OkStatus();
      // Recorded at most once per ticket: nothing when TicketCreated (or an
      // earlier link) recorded it.
      return Record(txn, tenant, event, Opened(ticket, event, now));
    }
    case Event::kTicketSolved: {
      const auto& solved = event.ticket_solved();
      const events::v1::TicketSnapshot& ticket = solved.ticket();
      if (ticket.account().empty()) return absl::OkStatus();
      v1::Interaction interaction =
          Base(v1::INTERACTION_KIND_TICKET_SOLVED, SolvedId(ticket.name()),
               ticket.account(), ticket.requester(), ticket.name(),
               ticket.assignee());
      interaction.set_direction(v1::INTERACTION_DIRECTION_OUTBOUND);
      *interaction.mutable_occur_time() =
          OccurTime({&ticket.solve_time()}, event, now);
      interaction.set_summary(solved.sla_breached()
                                  ? "Support ticket solved, after an SLA breach"
                                  : "Support ticket solved");
      return Record(txn, tenant, event, std::move(interaction));
    }
    case Event::kCsatSurveyResponded: {
      const auto& responded = event.csat_survey_responded();
      if (responded.account().empty()) return absl::OkStatus();
      v1::Interaction interaction =
          Base(v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE,
               responded.csat_survey().empty()
                   ? DerivedId({"csat-event", event.event_id()})
                   : DerivedId({"csat", responded.csat_survey()}),
               responded.account(), responded.requester(), responded.ticket(),
               responded.agent());
      interaction.set_direction(v1::INTERACTION_DIRECTION_INBOUND);
      interaction.set_channel(v1::INTERACTION_CHANNEL_WEB);
      interaction.set_rating(responded.rating());
      *interaction.mutable_occur_time() = OccurTime({}, event, now);
      interaction.set_summary(absl::StrCat(
          "Support satisfaction survey answered: ", responded.rating(),
          " of 5"));
      return Record(txn, tenant, event, std::move(interaction));
    }
    case Event::kSlaBreached: {
      const auto& breached = event.sla_breached();
      const events::v1::TicketSnapshot& ticket = breached.ticket();
      if (ticket.account().empty()) return absl::OkStatus();
      std::string metric =
          Lower(events::v1::SlaMetric_Name(breached.metric()), "SLA_METRIC_");
      v1::Interaction interaction =
          Base(v1::INTERACTION_KIND_TICKET_SLA_BREACHED,
               breached.has_due_time()
                   ? DerivedId({"sla-breached", ticket.name(), metric,
                                absl::StrCat(breached.due_time().seconds(), ".",
                                             breached.due_time().nanos())})
                   : DerivedId({"sla-breached-event", event.event_id()}),
               ticket.account(), ticket.requester(), ticket.name(),
               ticket.assignee());
      interaction.set_direction(v1::INTERACTION_DIRECTION_INTERNAL);
      *interaction.mutable_occur_time() =
          OccurTime({&breached.due_time()}, event, now);
      absl::StrReplaceAll({{"_", " "}}, &metric);
      interaction.set_summary(
          absl::StrCat("Support SLA breached: ", metric, " target missed"));
      return Record(txn, tenant, event, std::move(interaction));
    }
    case Event::kTicketsMerged: {
      // The duplicate and the ticket it went into were one request.
      const std::string& source = event.tickets_merged().source();
      RETURN_IF_ERROR(
          interactions_->DeleteDerived(txn, tenant, event, OpenedId(source))
              .status());
      return interactions_->DeleteDerived(txn, tenant, event, SolvedId(source))
          .status();
    }
    case Event::kTicketDeleted: {
      const auto& deleted = event.ticket_deleted();
      return ForgetTicket(txn, tenant, event, deleted.account(),
                          deleted.ticket());
    }
    default:
      return absl::OkStatus();
  }
}

}  // namespace clientele::engagement
