// The rules of tickets: create (idempotent by request_id), get, update by
// mask and etag, delete, list with filters and page tokens; comments (public
// replies and internal notes, with the status moves they cause), history,
// status changes (ticket_rules.h has the transition table), assignment,
// routing (routing_manager.h), merging duplicates, and the support form's
// intake. Every change commits with its history entries, its SLA clocks
// (SlaTracker) and its event (clientele.events.v1 Ticket*) in one
// transaction.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKET_MANAGER_H_
#define CLIENTELE_SERVICES_TICKETING_TICKET_MANAGER_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "clientele/ticketing/v1/csat_survey.pb.h"
#include "clientele/ticketing/v1/ticket.pb.h"
#include "clientele/ticketing/v1/ticket_comment.pb.h"
#include "clientele/ticketing/v1/ticketing_service.pb.h"
#include "common/caller.h"
#include "common/sql/database.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/ticketing/ticketing_deps.h"

namespace clientele::ticketing {

class SlaTracker;      // sla_tracker.h
class CsatManager;     // csat_manager.h
class RoutingManager;  // routing_manager.h

// What CreateTicketComment answers: the comment and the ticket after it. For
// a requester reply to a CLOSED ticket, `ticket` is the follow-up ticket the
// reply opened (which holds the comment).
struct CommentResult {
  v1::TicketComment comment;
  v1::Ticket ticket;
};

// What ChangeTicketStatus answers.
struct StatusChangeResult {
  v1::Ticket ticket;
  // The survey issued by a change to SOLVED, with its token.
  std::optional<v1::CsatSurvey> csat_survey;
};

class TicketManager {
 public:
  // Limits from the contract (ticket.proto, ticketing_service.proto).
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kDefaultHistoryPageSize = 100;
  static constexpr int kMaxPageSize = 1000;
  static constexpr int kMaxMergeSources = 20;

  // Uses deps.database, events, clock, ids, tickets, projection and
  // contacts; `sla`, `csat` and `routing` are not owned and must outlive
  // this.
  TicketManager(const TicketingDeps& deps, SlaTracker* sla, CsatManager* csat,
                RoutingManager* routing)
      : deps_(deps), sla_(sla), csat_(csat), routing_(routing) {}

  // `notify` is called (after the commit, on the caller's thread; it must
  // not block) each time the support form takes a ticket with its requester
  // pending: the wiring passes the RequesterLinker's Wake, so the ticket is
  // offered to contacts again without waiting for the next period (the
  // linker depends on this manager, not the other way round). Set it once,
  // before serving.
  void SetPendingRequesterListener(std::function<void()> notify) {
    pending_requester_listener_ = std::move(notify);
  }

  // Opens `ticket` (output-only fields are ignored) as NEW: tier and mode
  // from the projection, routed (RoutingManager) unless an assignee is given
  // (then MANUAL), SLA policy chosen and clocks started; history CREATED and
  // ROUTED; publishes TicketCreated. A merged account is replaced by its
  // survivor. INVALID_ARGUMENT naming "ticket.<field>" for bad fields;
  // NOT_FOUND (ResourceInfo "accounts/{id}" / "contacts/{id}") for an account
  // or requester ticketing does not know; INVALID_ARGUMENT naming
  // "ticket.requester" for a requester of another account. Idempotent by the
  // call's request_id.
  absl::StatusOr<v1::Ticket> Create(const Caller& caller,
                                    const v1::Ticket& ticket);

  // The support form's intake (see SubmitTicketForm in the contract). The
  // email is looked up in the projection; when missing, contacts is asked
  // (outside any transaction) with request id "intake-" + the call's
  // request_id (a fresh one without); when contacts is down or slow
  // (UNAVAILABLE, DEADLINE_EXCEEDED) the ticket is created requester_pending
  // and linked later by the RequesterLinker. Other errors of contacts are
  // returned. Idempotent by the call's request_id.
  absl::StatusOr<v1::SubmitTicketFormResponse> SubmitForm(
      const Caller& caller, const v1::SubmitTicketFormRequest& request);

  // The ticket named `name` ("tickets/{id}"). INVALID_ARGUMENT naming "name"
  // when malformed; NOT_FOUND when missing or another tenant's.
  absl::StatusOr<v1::Ticket> Get(const Caller& caller, absl::string_view name);

  // Applies the fields of `ticket` named by `mask` (product, subject,
  // description, type, priority, channel, tags, requester) and publishes
  // TicketUpdated; a change that changes nothing returns the ticket as it
  // is. A priority change re-selects the SLA policy. Setting the requester
  // of a requester_pending ticket links it (its account comes from the
  // contact; history REQUESTER_LINKED); otherwise the requester must belong
  // to the ticket's account. INVALID_ARGUMENT for a bad mask or values;
  // ABORTED for a stale etag; NOT_FOUND when missing; FAILED_PRECONDITION
  // when CLOSED.
  absl::StatusOr<v1::Ticket> Update(const Caller& caller,
                                    const v1::Ticket& ticket,
                                    const google::protobuf::FieldMask& mask);

  // Deletes the ticket with its comments, history and SLA clocks and
  // publishes TicketDeleted. ABORTED when `etag` is set and stale; NOT_FOUND
  // when missing.
  absl::Status Delete(const Caller& caller, absl::string_view name,
                      absl::string_view etag);

  // One page of tickets matching every filter of `request`, newest first.
  // INVALID_ARGUMENT naming the bad filter, page_size or page_token; more
  // `statuses` than there are statuses is a bad filter.
  absl::StatusOr<v1::ListTicketsResponse> List(
      const Caller& caller, const v1::ListTicketsRequest& request);

  // Adds a comment to ticket `parent` (see CreateTicketComment in the
  // contract). A requester reply to a CLOSED ticket opens a follow-up ticket
  // (follow_up_of set; FOLLOW_UP_OPENED on the closed one) which carries the
  // comment and is returned as the result's ticket; an agent or system
  // comment on a CLOSED ticket answers FAILED_PRECONDITION. INVALID_ARGUMENT
  // naming "comment.<field>" (occur_time in the future or before the
  // ticket's creation included). Idempotent by the call's request_id.
  absl::StatusOr<CommentResult> AddComment(const Caller& caller,
                                           absl::string_view parent,
                                           const v1::TicketComment& comment);

  // One page of ticket `request.parent`'s comments, oldest first.
  absl::StatusOr<v1::ListTicketCommentsResponse> ListComments(
      const Caller& caller, const v1::ListTicketCommentsRequest& request);

  // One page of ticket `request.parent`'s history, oldest first.
  absl::StatusOr<v1::ListTicketHistoryResponse> ListHistory(
      const Caller& caller, const v1::ListTicketHistoryRequest& request);

  // Moves the ticket to `status` (ticket_rules.h: AllowedTransition); the
  // current status returns it unchanged. SOLVED sets solve_time, issues the
  // CSAT survey (once per ticket) and publishes TicketSolved; other changes
  // publish TicketStatusChanged; CLOSED sets close_time. FAILED_PRECONDITION
  // for a change the table forbids; ABORTED for a stale etag. Idempotent by
  // the call's request_id.
  absl::StatusOr<StatusChangeResult> ChangeStatus(const Caller& caller,
                                                  absl::string_view name,
                                                  v1::TicketStatus status,
                                                  absl::string_view etag);

  // Assigns by hand (routing reason MANUAL; history ROUTED).
  // INVALID_ARGUMENT when neither assignee, team nor clear_assignee is given;
  // FAILED_PRECONDITION when CLOSED; ABORTED for a stale etag.
  absl::StatusOr<v1::Ticket> Assign(const Caller& caller,
                                    const v1::AssignTicketRequest& request);

  // Re-runs automatic routing. FAILED_PRECONDITION when SOLVED or CLOSED;
  // ABORTED for a stale etag. Idempotent by the call's request_id.
  absl::StatusOr<v1::Ticket> Route(const Caller& caller, absl::string_view name,
                                   absl::string_view etag);

  // Merges `sources` into `target` (see MergeTickets in the contract).
  // INVALID_ARGUMENT for a bad, repeated or self-referencing name or more
  // than kMaxMergeSources; NOT_FOUND for a missing ticket;
  // FAILED_PRECONDITION for a CLOSED target or source (a source already
  // merged into this target is taken as done: the merge is idempotent).
  absl::StatusOr<v1::MergeTicketsResponse> Merge(
      const Caller& caller, const v1::MergeTicketsRequest& request);

  // Re-selects the SLA policy of each ticket of `account_id` not yet SOLVED
  // or CLOSED after its tier, mode or account manager changed in the
  // projection; refreshes the tickets' account_tier and relationship_mode.
  // Called by the projection updater inside its transaction `txn`; appends
  // TicketUpdated for each ticket whose tier, mode or policy changed.
  absl::Status OnAccountChanged(sql::Transaction& txn, const Caller& caller,
                                absl::string_view account_id);

  // Links the requester_pending tickets of `tenant` (at most `limit`,
  // oldest first) whose requester is now known: from the projection's email
  // map, else by asking contacts again with the request id the intake used
  // and credentials held in memory (see "Credentials for contacts" below;
  // with none, the ticket waits for the projection or for a ticketing write
  // of the tenant to bring some). Each link: account and requester set,
  // history REQUESTER_LINKED, SLA reselected, TicketUpdated (changed_fields
  // account, requester). Contacts down or slow leaves the ticket for the
  // next sweep; another refusal stops asking for it (until a restart). Returns
  // how many were linked; errors are the database's.
  absl::StatusOr<int> LinkPendingRequesters(absl::string_view tenant,
                                            int limit);

 private:
  // Credentials for contacts. The linker asks contacts on behalf of the
  // people who use ticketing, with a bearer token ("authorization" exactly
  // as a caller sent it), which is kept in memory only: a token is never
  // written to the database. It uses, in this order:
  //  1. the intake caller's own credentials for the ticket it took;
  //  2. else (a restart since, or contacts refused them as not valid) the
  //     freshest credentials of the ticket's tenant: those of the last
  //     caller of role agent or above (what FindOrCreateContact needs; read
  //     from the "role:<role>" actor) whose ticketing write (any write of
  //     this manager: create, form, update, comment, status, assign, route,
  //     merge, delete) came with an authorization header. Callers without
  //     one (the event consumers, the linker itself) never count.
  // So after a restart a pending ticket links as soon as anyone of its
  // tenant works on tickets and contacts answers, besides the projection
  // (another form from the same address) and UpdateTicket setting its
  // requester. Credentials contacts answers UNAUTHENTICATED or
  // PERMISSION_DENIED to are dropped.
  struct PendingCall {
    std::string authorization;
    std::string actor;
    // Contacts refused the requester for good: not asked again.
    bool refused = false;
  };
  static std::string PendingKey(absl::string_view tenant,
                                absl::string_view ticket_id);
  void RememberPendingCall(absl::string_view tenant,
                           absl::string_view ticket_id, const Caller& caller);
  std::optional<PendingCall> PendingCallOf(absl::string_view tenant,
                                           absl::string_view ticket_id);
  void ForgetPendingCall(absl::string_view tenant, absl::string_view ticket_id);
  // Contacts refused the ticket's requester: marks the ticket refused, or,
  // when `bad_credentials`, drops `authorization` (from the ticket's call
  // and as the tenant's) and leaves the ticket to other credentials.
  void RefusePendingCall(absl::string_view tenant, absl::string_view ticket_id,
                         absl::string_view authorization, bool bad_credentials);
  // Every write calls this first: keeps `caller`'s credentials as its
  // tenant's freshest when it qualifies (see above).
  void RememberWriter(const Caller& caller);
  // The tenant's freshest credentials; "" when none.
  std::string WriterOf(absl::string_view tenant);

  TicketingDeps deps_;
  SlaTracker* sla_;
  CsatManager* csat_;
  RoutingManager* routing_;
  std::function<void()> pending_requester_listener_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, PendingCall> pending_calls_
      ABSL_GUARDED_BY(mu_);
  // Tenant -> the authorization of its latest qualifying writer.
  absl::flat_hash_map<std::string, std::string> writers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKET_MANAGER_H_
