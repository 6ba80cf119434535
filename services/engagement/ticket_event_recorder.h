// Records ticketing's events (clientele.events.ticketing) as interactions on
// the ticket's account, so that support shapes the relationship score (its
// satisfaction, SLA and backlog components) and the follow-up rules see
// solved tickets. Runs inside the EventConsumer's transaction, so each event
// is applied once; the interactions' ids are derived from what the events
// say as well, so that no replay, duplicate publication or second solve of
// the same ticket records twice:
//
//   TicketCreated        TICKET_OPENED, inbound, at the ticket's creation,
//                        staff user the assignee; one per ticket.
//   TicketUpdated        the same, for a ticket taken while contacts could
//                        not be reached, once it is linked to its account
//                        ("requester" among the changed fields); nothing
//                        when the ticket's TICKET_OPENED is there already.
//   TicketSolved         TICKET_SOLVED, outbound, at the solve, staff user
//                        the assignee; one per ticket (a reopened ticket
//                        solved again is still one ticket solved, and the
//                        TICKET_SOLVED rule's follow-up comes once). For a
//                        client the rule makes the SEND_SURVEY follow-up.
//   CsatSurveyResponded  TICKET_CSAT_RESPONSE, inbound over the web, with
//                        the rating (1-5), staff user the agent; one per
//                        survey.
//   SlaBreached          TICKET_SLA_BREACHED, internal, at the due time,
//                        staff user the assignee; one per ticket, metric and
//                        due time.
//   TicketsMerged        the duplicate's TICKET_OPENED and TICKET_SOLVED go:
//                        the two tickets were one request (its CSAT and
//                        breaches stay: the requester lived them).
//   TicketDeleted        every interaction recorded from the ticket goes.
// Each carries the requester as contact, the ticket as source_ref and
// source TICKETING. Other ticketing events (updates, assignments, status
// changes, comments, at-risk clocks, surveys sent) are not interactions and
// are acknowledged unapplied.
//
// Accounts: a merged account records on its survivor; a deleted or erased
// one records nothing; one that contacts' events have not announced yet
// (ticketing can learn of an account first: FindOrCreateContact) is
// recorded on a placeholder that AccountCreated fills, so nothing is lost
// (InteractionManager::RecordDerived). A ticket with no account yet
// (requester pending) records its TICKET_OPENED when it is linked (above).
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_TICKET_EVENT_RECORDER_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_TICKET_EVENT_RECORDER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "clientele/events/v1/event.pb.h"
#include "common/events/consumer.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/interaction_manager.h"

namespace clientele::engagement {

class TicketEventRecorder {
 public:
  // `interactions` is not owned.
  TicketEventRecorder(const EngagementDeps& deps,
                      InteractionManager* interactions)
      : deps_(deps), interactions_(interactions) {}

  // The EventHandler of the ticketing consumer. DATA_LOSS for a payload
  // that does not parse (retried, so it is never silently skipped). An
  // event whose content breaks the interaction rules (a rating of 7, a
  // malformed account name) is logged and acknowledged: retrying cannot mend
  // it. Store errors are returned (the consumer retries).
  absl::Status Apply(sql::Transaction& txn, const events::StreamEvent& event);
  // The same for an already parsed event (tests).
  absl::Status ApplyEvent(sql::Transaction& txn, absl::string_view tenant,
                          const events::v1::Event& event);

  // The id of the interaction recorded from ticket `ticket` ("tickets/{id}")
  // as TICKET_OPENED or TICKET_SOLVED (the kinds there is one of per
  // ticket). Never an id the server makes itself.
  static std::string OpenedId(absl::string_view ticket);
  static std::string SolvedId(absl::string_view ticket);

 private:
  absl::Status Record(sql::Transaction& txn, absl::string_view tenant,
                      const events::v1::Event& event,
                      v1::Interaction interaction);
  // Deletes every interaction recorded from `ticket` on `account` (or on
  // its survivor).
  absl::Status ForgetTicket(sql::Transaction& txn, absl::string_view tenant,
                            const events::v1::Event& event,
                            absl::string_view account,
                            absl::string_view ticket);

  EngagementDeps deps_;
  InteractionManager* const interactions_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_TICKET_EVENT_RECORDER_H_
