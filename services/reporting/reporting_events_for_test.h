// Test-only: builders of the events reports read, as the services publish
// them (see reporting_fixture_for_test.h, which includes this). Builders take
// plain structs whose fields default to something sensible (set them by
// name, in declaration order); ids go without their collection prefix (the
// builders add "accounts/", "tickets/", ...). Every event carries its tenant
// (default "acme") and occurred_at = `time`.
#ifndef CLIENTELE_SERVICES_REPORTING_REPORTING_EVENTS_FOR_TEST_H_
#define CLIENTELE_SERVICES_REPORTING_REPORTING_EVENTS_FOR_TEST_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clientele/events/v1/event.pb.h"
#include "common/proto_time.h"

namespace clientele::reporting::testing {

// A moment in UTC.
inline absl::Time Utc(int year, int month, int day, int hour = 0,
                      int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0),
                         absl::UTCTimeZone());
}

// Microseconds since the epoch of Utc(...), as the tables store times.
inline int64_t UtcUs(int year, int month, int day, int hour = 0,
                     int minute = 0) {
  return ToMicros(Utc(year, month, day, hour, minute));
}

// A process-wide unique id with `prefix`, for ids a test does not name.
inline std::string UniqueIdForTest(absl::string_view prefix) {
  static std::atomic<int64_t> next{0};
  return absl::StrCat(prefix, ++next);
}

inline type::v1::Date ToDateProto(absl::CivilDay day) {
  type::v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

// An envelope for `tenant` at `time` from `source`, about `subject`.
inline events::v1::Event Envelope(const std::string& tenant, absl::Time time,
                                  const std::string& source,
                                  const std::string& subject) {
  events::v1::Event event;
  event.set_tenant(tenant);
  SetTimestamp(time, event.mutable_occurred_at());
  event.set_source_service(source);
  event.set_subject(subject);
  event.set_actor("u-test");
  return event;
}

// ---- contacts ---------------------------------------------------------

struct AccountFields {
  std::string tenant = "acme";
  std::string id;
  // occurred_at and update_time; create_time too unless set.
  absl::Time time = absl::UnixEpoch();
  std::optional<absl::Time> create_time;
  type::v1::AccountKind kind = type::v1::ACCOUNT_KIND_ORGANIZATION;
  type::v1::AccountSegment segment = type::v1::ACCOUNT_SEGMENT_B2B;
  type::v1::AccountTier tier = type::v1::ACCOUNT_TIER_STANDARD;
  std::string owner = "u-owner";
  std::string account_manager;
  type::v1::RelationshipMode declared_mode =
      type::v1::RELATIONSHIP_MODE_UNSPECIFIED;
  std::optional<absl::CivilDay> acquisition_date;
  // Commercial terms: set only when model is not UNSPECIFIED.
  type::v1::CommercialModel model = type::v1::COMMERCIAL_MODEL_UNSPECIFIED;
  type::v1::BillingCycle billing_cycle = type::v1::BILLING_CYCLE_UNSPECIFIED;
  int64_t recurring_minor = 0;
  std::string recurring_currency = "EUR";
  std::optional<absl::CivilDay> contract_start;
  std::optional<absl::CivilDay> contract_end;
};

inline void FillAccountSnapshot(const AccountFields& f,
                                events::v1::AccountSnapshot* account) {
  account->set_name(absl::StrCat("accounts/", f.id));
  account->set_kind(f.kind);
  account->set_segment(f.segment);
  account->set_tier(f.tier);
  account->set_owner(f.owner);
  account->set_account_manager(f.account_manager);
  account->set_declared_mode(f.declared_mode);
  if (f.acquisition_date) {
    *account->mutable_acquisition_date() = ToDateProto(*f.acquisition_date);
  }
  if (f.model != type::v1::COMMERCIAL_MODEL_UNSPECIFIED) {
    auto* terms = account->mutable_commercial_terms();
    terms->set_model(f.model);
    terms->set_billing_cycle(f.billing_cycle);
    if (f.recurring_minor != 0) {
      terms->mutable_recurring_amount()->set_currency_code(
          f.recurring_currency);
      terms->mutable_recurring_amount()->set_amount_minor_units(
          f.recurring_minor);
    }
    if (f.contract_start) {
      *terms->mutable_contract_start_date() = ToDateProto(*f.contract_start);
    }
    if (f.contract_end) {
      *terms->mutable_contract_end_date() = ToDateProto(*f.contract_end);
    }
  }
  SetTimestamp(f.create_time.value_or(f.time), account->mutable_create_time());
  SetTimestamp(f.time, account->mutable_update_time());
}

inline events::v1::Event AccountCreated(const AccountFields& f) {
  events::v1::Event event =
      Envelope(f.tenant, f.time, "contacts", absl::StrCat("accounts/", f.id));
  FillAccountSnapshot(f, event.mutable_account_created()->mutable_account());
  return event;
}

inline events::v1::Event AccountUpdated(const AccountFields& f) {
  events::v1::Event event =
      Envelope(f.tenant, f.time, "contacts", absl::StrCat("accounts/", f.id));
  FillAccountSnapshot(f, event.mutable_account_updated()->mutable_account());
  return event;
}

inline events::v1::Event AccountDeleted(const std::string& id, absl::Time time,
                                        const std::string& tenant = "acme") {
  events::v1::Event event =
      Envelope(tenant, time, "contacts", absl::StrCat("accounts/", id));
  event.mutable_account_deleted()->set_account(absl::StrCat("accounts/", id));
  return event;
}

// `merged` merged into survivor.id; `survivor` is the survivor after it
// (survivor.time is the event's time).
inline events::v1::Event AccountsMerged(const AccountFields& survivor,
                                        const std::string& merged) {
  events::v1::Event event = Envelope(survivor.tenant, survivor.time, "contacts",
                                     absl::StrCat("accounts/", survivor.id));
  auto* payload = event.mutable_accounts_merged();
  payload->set_survivor(absl::StrCat("accounts/", survivor.id));
  payload->set_merged(absl::StrCat("accounts/", merged));
  FillAccountSnapshot(survivor, payload->mutable_survivor_account());
  payload->set_merge_record(UniqueIdForTest("mergeRecords/m"));
  return event;
}

// The whole account `id` erased.
inline events::v1::Event DataSubjectErased(const std::string& id,
                                           absl::Time time,
                                           const std::string& tenant = "acme") {
  events::v1::Event event =
      Envelope(tenant, time, "contacts", absl::StrCat("accounts/", id));
  auto* payload = event.mutable_data_subject_erased();
  payload->set_erasure_id(UniqueIdForTest("erasure-"));
  payload->set_subject(absl::StrCat("accounts/", id));
  payload->set_erased_account(absl::StrCat("accounts/", id));
  payload->set_account(absl::StrCat("accounts/", id));
  return event;
}

// ---- engagement -------------------------------------------------------

// An order event (`payload` picks which: "placed", "fulfilled",
// "cancelled") for order `id` of account `account`: 2 x "Espresso beans" at
// 1,250 EUR minor units, placed at `time`.
inline events::v1::Event OrderEvent(const std::string& payload,
                                    const std::string& id,
                                    const std::string& account, absl::Time time,
                                    const std::string& tenant = "acme") {
  events::v1::Event event =
      Envelope(tenant, time, "engagement", absl::StrCat("orders/", id));
  events::v1::OrderSnapshot* order =
      payload == "placed" ? event.mutable_order_placed()->mutable_order()
      : payload == "fulfilled"
          ? event.mutable_order_fulfilled()->mutable_order()
          : event.mutable_order_cancelled()->mutable_order();
  order->set_name(absl::StrCat("orders/", id));
  order->set_account(absl::StrCat("accounts/", account));
  events::v1::OrderItemSnapshot* item = order->add_items();
  item->set_product("Espresso beans");
  item->set_quantity(2);
  item->mutable_unit_price()->set_currency_code("EUR");
  item->mutable_unit_price()->set_amount_minor_units(1250);
  order->mutable_total()->set_currency_code("EUR");
  order->mutable_total()->set_amount_minor_units(2500);
  SetTimestamp(time, order->mutable_place_time());
  order->set_status(payload == "placed" ? events::v1::ORDER_STATUS_PLACED
                    : payload == "fulfilled"
                        ? events::v1::ORDER_STATUS_FULFILLED
                        : events::v1::ORDER_STATUS_CANCELLED);
  if (payload == "fulfilled") SetTimestamp(time, order->mutable_fulfil_time());
  if (payload == "cancelled") SetTimestamp(time, order->mutable_cancel_time());
  return event;
}

struct ScoreFields {
  std::string tenant = "acme";
  std::string account;
  absl::Time time = absl::UnixEpoch();
  type::v1::RelationshipMode mode = type::v1::RELATIONSHIP_MODE_CUSTOMER;
  int32_t score = 50;
  type::v1::ScoreBand band = type::v1::SCORE_BAND_HEALTHY;
  std::vector<std::string> reasons;
  int32_t trend = 0;
};

inline events::v1::Event ScoreChanged(const ScoreFields& f) {
  events::v1::Event event = Envelope(f.tenant, f.time, "engagement",
                                     absl::StrCat("accounts/", f.account));
  auto* payload = event.mutable_relationship_score_changed();
  payload->set_account(absl::StrCat("accounts/", f.account));
  payload->set_new_score(f.score);
  payload->set_new_band(f.band);
  payload->set_new_mode(f.mode);
  payload->set_mode_confidence(0.8);
  payload->set_trend_delta(f.trend);
  for (const std::string& reason : f.reasons) payload->add_risk_reasons(reason);
  payload->set_score_change(absl::StrCat("accounts/", f.account,
                                         "/relationshipScore/changes/",
                                         UniqueIdForTest("c")));
  payload->set_model_version("test");
  return event;
}

struct InteractionFields {
  // Generated ("i<n>") when empty.
  std::string id;
  std::string account;
  absl::Time time = absl::UnixEpoch();
  events::v1::InteractionKind kind = events::v1::INTERACTION_KIND_EMAIL;
  // Minor units, as engagement publishes them (negative for refunds); no
  // amount when currency is empty.
  int64_t amount = 0;
  std::string currency;
  std::string staff;
  bool personalized = false;
};

// One InteractionsRecorded of `interactions` (a batch), at the first one's
// time unless `time` is given.
inline events::v1::Event Interactions(
    const std::vector<InteractionFields>& interactions,
    const std::string& tenant = "acme",
    std::optional<absl::Time> time = std::nullopt) {
  const absl::Time at = time.value_or(
      interactions.empty() ? absl::UnixEpoch() : interactions.front().time);
  events::v1::Event event =
      Envelope(tenant, at, "engagement",
               interactions.size() == 1
                   ? absl::StrCat("accounts/", interactions.front().account)
                   : "");
  auto* payload = event.mutable_interactions_recorded();
  for (const InteractionFields& f : interactions) {
    auto* snapshot = payload->add_interactions();
    snapshot->set_name(absl::StrCat(
        "interactions/", f.id.empty() ? UniqueIdForTest("i") : f.id));
    snapshot->set_account(absl::StrCat("accounts/", f.account));
    snapshot->set_kind(f.kind);
    SetTimestamp(f.time, snapshot->mutable_occur_time());
    snapshot->set_staff_user(f.staff);
    if (!f.currency.empty()) {
      snapshot->mutable_amount()->set_currency_code(f.currency);
      snapshot->mutable_amount()->set_amount_minor_units(f.amount);
    }
    snapshot->set_personalized(f.personalized);
  }
  return event;
}

inline events::v1::Event Interaction(const InteractionFields& f,
                                     const std::string& tenant = "acme") {
  return Interactions({f}, tenant);
}

inline events::v1::Event InteractionDeleted(
    const std::string& id, const std::string& account, absl::Time time,
    const std::string& tenant = "acme") {
  events::v1::Event event =
      Envelope(tenant, time, "engagement", absl::StrCat("interactions/", id));
  auto* payload = event.mutable_interaction_deleted();
  payload->set_interaction(absl::StrCat("interactions/", id));
  payload->set_account(absl::StrCat("accounts/", account));
  return event;
}

struct FollowUpFields {
  std::string tenant = "acme";
  std::string id;
  std::string account;
  std::string assignee = "u-agent";
  // occurred_at (the creation for FollowUpCreated).
  absl::Time time = absl::UnixEpoch();
  absl::Time due = absl::UnixEpoch();
  events::v1::FollowUpState state = events::v1::FOLLOW_UP_STATE_OPEN;
  // Set for DONE (FollowUpCompleted sets it to `time` when unset).
  std::optional<absl::Time> complete_time;
  events::v1::FollowUpKind kind = events::v1::FOLLOW_UP_KIND_UNSPECIFIED;
};

inline void FillFollowUpSnapshot(const FollowUpFields& f,
                                 events::v1::FollowUpSnapshot* snapshot) {
  snapshot->set_name(absl::StrCat("followUps/", f.id));
  snapshot->set_account(absl::StrCat("accounts/", f.account));
  snapshot->set_assignee(f.assignee);
  SetTimestamp(f.due, snapshot->mutable_due_time());
  snapshot->set_state(f.state);
  snapshot->set_kind(f.kind);
  if (f.complete_time) {
    SetTimestamp(*f.complete_time, snapshot->mutable_complete_time());
  }
}

inline events::v1::Event FollowUpCreated(const FollowUpFields& f) {
  events::v1::Event event = Envelope(f.tenant, f.time, "engagement",
                                     absl::StrCat("followUps/", f.id));
  FillFollowUpSnapshot(f,
                       event.mutable_follow_up_created()->mutable_follow_up());
  return event;
}

// Reassigned, rescheduled, cancelled (state CANCELLED) or reopened.
inline events::v1::Event FollowUpUpdated(const FollowUpFields& f) {
  events::v1::Event event = Envelope(f.tenant, f.time, "engagement",
                                     absl::StrCat("followUps/", f.id));
  FillFollowUpSnapshot(f,
                       event.mutable_follow_up_updated()->mutable_follow_up());
  return event;
}

inline events::v1::Event FollowUpCompleted(FollowUpFields f) {
  f.state = events::v1::FOLLOW_UP_STATE_DONE;
  if (!f.complete_time) f.complete_time = f.time;
  events::v1::Event event = Envelope(f.tenant, f.time, "engagement",
                                     absl::StrCat("followUps/", f.id));
  FillFollowUpSnapshot(
      f, event.mutable_follow_up_completed()->mutable_follow_up());
  return event;
}

inline events::v1::Event FollowUpDeleted(const FollowUpFields& f) {
  events::v1::Event event = Envelope(f.tenant, f.time, "engagement",
                                     absl::StrCat("followUps/", f.id));
  auto* payload = event.mutable_follow_up_deleted();
  payload->set_follow_up(absl::StrCat("followUps/", f.id));
  payload->set_account(absl::StrCat("accounts/", f.account));
  payload->set_assignee(f.assignee);
  return event;
}

struct DealFields {
  std::string tenant = "acme";
  std::string id;
  std::string account;
  // occurred_at and update_time; create_time too unless set.
  absl::Time time = absl::UnixEpoch();
  std::optional<absl::Time> create_time;
  events::v1::DealKind kind = events::v1::DEAL_KIND_ONE_OFF_SALE;
  events::v1::DealStage stage = events::v1::DEAL_STAGE_QUALIFYING;
  int64_t amount = 0;
  std::string currency = "EUR";
  double probability = 0.1;
  std::optional<absl::CivilDay> expected_close;
  // Won/Lost set it to time's UTC day when unset.
  std::optional<absl::CivilDay> close_date;
  std::string owner = "u-owner";
  events::v1::DealLossReason loss_reason =
      events::v1::DEAL_LOSS_REASON_UNSPECIFIED;
};

inline void FillDealSnapshot(const DealFields& f,
                             events::v1::DealSnapshot* deal) {
  deal->set_name(absl::StrCat("deals/", f.id));
  deal->set_account(absl::StrCat("accounts/", f.account));
  deal->set_kind(f.kind);
  deal->set_stage(f.stage);
  deal->mutable_amount()->set_currency_code(f.currency);
  deal->mutable_amount()->set_amount_minor_units(f.amount);
  deal->set_probability(f.probability);
  if (f.expected_close) {
    *deal->mutable_expected_close_date() = ToDateProto(*f.expected_close);
  }
  deal->set_owner(f.owner);
  deal->set_loss_reason(f.loss_reason);
  if (f.close_date) *deal->mutable_close_date() = ToDateProto(*f.close_date);
  SetTimestamp(f.create_time.value_or(f.time), deal->mutable_create_time());
  SetTimestamp(f.time, deal->mutable_update_time());
}

inline events::v1::Event DealCreated(const DealFields& f) {
  events::v1::Event event =
      Envelope(f.tenant, f.time, "engagement", absl::StrCat("deals/", f.id));
  FillDealSnapshot(f, event.mutable_deal_created()->mutable_deal());
  return event;
}

inline events::v1::Event DealUpdated(const DealFields& f) {
  events::v1::Event event =
      Envelope(f.tenant, f.time, "engagement", absl::StrCat("deals/", f.id));
  FillDealSnapshot(f, event.mutable_deal_updated()->mutable_deal());
  return event;
}

inline events::v1::Event DealWon(DealFields f) {
  f.stage = events::v1::DEAL_STAGE_WON;
  f.probability = 1.0;
  if (!f.close_date) {
    f.close_date = absl::ToCivilDay(f.time, absl::UTCTimeZone());
  }
  events::v1::Event event =
      Envelope(f.tenant, f.time, "engagement", absl::StrCat("deals/", f.id));
  FillDealSnapshot(f, event.mutable_deal_won()->mutable_deal());
  return event;
}

inline events::v1::Event DealLost(DealFields f) {
  f.stage = events::v1::DEAL_STAGE_LOST;
  f.probability = 0.0;
  if (!f.close_date) {
    f.close_date = absl::ToCivilDay(f.time, absl::UTCTimeZone());
  }
  if (f.loss_reason == events::v1::DEAL_LOSS_REASON_UNSPECIFIED) {
    f.loss_reason = events::v1::DEAL_LOSS_REASON_PRICE;
  }
  events::v1::Event event =
      Envelope(f.tenant, f.time, "engagement", absl::StrCat("deals/", f.id));
  FillDealSnapshot(f, event.mutable_deal_lost()->mutable_deal());
  return event;
}

// ---- ticketing --------------------------------------------------------

struct TicketFields {
  std::string tenant = "acme";
  std::string id;
  std::string account;
  // occurred_at and update_time; create_time too unless set.
  absl::Time time = absl::UnixEpoch();
  std::optional<absl::Time> create_time;
  events::v1::TicketStatus status = events::v1::TICKET_STATUS_NEW;
  std::string assignee;
  std::string team = "support";
  // The account's at creation.
  type::v1::AccountTier tier = type::v1::ACCOUNT_TIER_STANDARD;
  type::v1::RelationshipMode mode = type::v1::RELATIONSHIP_MODE_CUSTOMER;
  std::optional<absl::Time> first_response_time;
  std::optional<absl::Time> solve_time;
};

inline void FillTicketSnapshot(const TicketFields& f,
                               events::v1::TicketSnapshot* ticket) {
  ticket->set_name(absl::StrCat("tickets/", f.id));
  ticket->set_account(absl::StrCat("accounts/", f.account));
  ticket->set_type(events::v1::TICKET_TYPE_QUESTION);
  ticket->set_priority(events::v1::TICKET_PRIORITY_NORMAL);
  ticket->set_status(f.status);
  ticket->set_assignee(f.assignee);
  ticket->set_team(f.team);
  ticket->set_account_tier(f.tier);
  ticket->set_relationship_mode(f.mode);
  SetTimestamp(f.create_time.value_or(f.time), ticket->mutable_create_time());
  if (f.first_response_time) {
    SetTimestamp(*f.first_response_time, ticket->mutable_first_response_time());
  }
  if (f.solve_time) SetTimestamp(*f.solve_time, ticket->mutable_solve_time());
  SetTimestamp(f.time, ticket->mutable_update_time());
}

inline events::v1::Event TicketCreated(const TicketFields& f) {
  events::v1::Event event =
      Envelope(f.tenant, f.time, "ticketing", absl::StrCat("tickets/", f.id));
  FillTicketSnapshot(f, event.mutable_ticket_created()->mutable_ticket());
  return event;
}

// f.assignee is the new assignee.
inline events::v1::Event TicketAssigned(const TicketFields& f,
                                        const std::string& previous = "") {
  events::v1::Event event =
      Envelope(f.tenant, f.time, "ticketing", absl::StrCat("tickets/", f.id));
  auto* payload = event.mutable_ticket_assigned();
  FillTicketSnapshot(f, payload->mutable_ticket());
  payload->set_previous_assignee(previous);
  payload->set_routing_reason(events::v1::ROUTING_REASON_MANUAL);
  return event;
}

// f.status is the new status (not SOLVED).
inline events::v1::Event TicketStatusChanged(
    const TicketFields& f,
    events::v1::TicketStatus previous = events::v1::TICKET_STATUS_NEW) {
  events::v1::Event event =
      Envelope(f.tenant, f.time, "ticketing", absl::StrCat("tickets/", f.id));
  auto* payload = event.mutable_ticket_status_changed();
  FillTicketSnapshot(f, payload->mutable_ticket());
  payload->set_previous_status(previous);
  return event;
}

struct SlaClockFields {
  events::v1::SlaMetric metric = events::v1::SLA_METRIC_FIRST_RESPONSE;
  bool breached = false;
  std::optional<absl::Time> stop_time;
  absl::Time due = absl::UnixEpoch();
  absl::Duration elapsed = absl::ZeroDuration();
};

struct SolveFields {
  // Unset: no reply.
  std::optional<absl::Duration> first_response;
  absl::Duration resolution = absl::ZeroDuration();
  // Unset: the same as the elapsed ones.
  std::optional<absl::Duration> business_first_response;
  std::optional<absl::Duration> business_resolution;
  bool sla_breached = false;
  std::vector<SlaClockFields> clocks;
  std::string csat_survey;
};

// Solved at f.time (status SOLVED, solve_time = f.time unless set).
inline events::v1::Event TicketSolved(
    TicketFields f, const SolveFields& s,
    events::v1::TicketStatus previous = events::v1::TICKET_STATUS_OPEN) {
  f.status = events::v1::TICKET_STATUS_SOLVED;
  if (!f.solve_time) f.solve_time = f.time;
  if (!f.first_response_time && s.first_response) {
    f.first_response_time = f.create_time.value_or(f.time) + *s.first_response;
  }
  events::v1::Event event =
      Envelope(f.tenant, f.time, "ticketing", absl::StrCat("tickets/", f.id));
  auto* payload = event.mutable_ticket_solved();
  FillTicketSnapshot(f, payload->mutable_ticket());
  payload->set_previous_status(previous);
  if (s.first_response) {
    SetDuration(*s.first_response, payload->mutable_first_response_duration());
    SetDuration(s.business_first_response.value_or(*s.first_response),
                payload->mutable_business_first_response_duration());
  }
  SetDuration(s.resolution, payload->mutable_resolution_duration());
  SetDuration(s.business_resolution.value_or(s.resolution),
              payload->mutable_business_resolution_duration());
  payload->set_sla_breached(s.sla_breached);
  payload->set_csat_survey(s.csat_survey);
  for (const SlaClockFields& c : s.clocks) {
    auto* clock = payload->add_sla_clocks();
    clock->set_metric(c.metric);
    clock->set_breached(c.breached);
    if (c.stop_time) SetTimestamp(*c.stop_time, clock->mutable_stop_time());
    SetTimestamp(c.due, clock->mutable_due_time());
    SetDuration(c.elapsed, clock->mutable_elapsed());
  }
  return event;
}

inline events::v1::Event TicketDeleted(const std::string& id,
                                       const std::string& account,
                                       absl::Time time,
                                       const std::string& tenant = "acme") {
  events::v1::Event event =
      Envelope(tenant, time, "ticketing", absl::StrCat("tickets/", id));
  auto* payload = event.mutable_ticket_deleted();
  payload->set_ticket(absl::StrCat("tickets/", id));
  payload->set_account(absl::StrCat("accounts/", account));
  return event;
}

// `source` closed into `target`.
inline events::v1::Event TicketsMerged(const std::string& target,
                                       const std::string& source,
                                       const std::string& account,
                                       absl::Time time,
                                       const std::string& tenant = "acme") {
  events::v1::Event event =
      Envelope(tenant, time, "ticketing", absl::StrCat("tickets/", target));
  auto* payload = event.mutable_tickets_merged();
  payload->set_target(absl::StrCat("tickets/", target));
  payload->set_source(absl::StrCat("tickets/", source));
  payload->set_account(absl::StrCat("accounts/", account));
  payload->set_source_account(absl::StrCat("accounts/", account));
  return event;
}

// A running clock of `ticket` passed `due` (occurred_at = ticket.time).
inline events::v1::Event SlaBreached(const TicketFields& ticket,
                                     events::v1::SlaMetric metric,
                                     absl::Time due) {
  events::v1::Event event = Envelope(ticket.tenant, ticket.time, "ticketing",
                                     absl::StrCat("tickets/", ticket.id));
  auto* payload = event.mutable_sla_breached();
  FillTicketSnapshot(ticket, payload->mutable_ticket());
  payload->set_metric(metric);
  SetTimestamp(due, payload->mutable_due_time());
  return event;
}

struct CsatFields {
  std::string tenant = "acme";
  // Generated ("s<n>") when empty.
  std::string survey;
  std::string ticket;
  std::string account;
  std::string agent = "u-agent";
  int32_t rating = 5;
  absl::Time time = absl::UnixEpoch();
  type::v1::RelationshipMode mode = type::v1::RELATIONSHIP_MODE_CUSTOMER;
  type::v1::AccountTier tier = type::v1::ACCOUNT_TIER_STANDARD;
};

inline events::v1::Event CsatResponded(const CsatFields& f) {
  const std::string survey = absl::StrCat(
      "csatSurveys/", f.survey.empty() ? UniqueIdForTest("s") : f.survey);
  events::v1::Event event = Envelope(f.tenant, f.time, "ticketing", survey);
  auto* payload = event.mutable_csat_survey_responded();
  payload->set_csat_survey(survey);
  payload->set_ticket(absl::StrCat("tickets/", f.ticket));
  payload->set_account(absl::StrCat("accounts/", f.account));
  payload->set_agent(f.agent);
  payload->set_rating(f.rating);
  payload->set_relationship_mode(f.mode);
  payload->set_account_tier(f.tier);
  return event;
}

}  // namespace clientele::reporting::testing

#endif  // CLIENTELE_SERVICES_REPORTING_REPORTING_EVENTS_FOR_TEST_H_
