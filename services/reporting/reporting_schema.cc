#include "services/reporting/reporting_schema.h"

#include "common/events/outbox.h"
#include "services/reporting/projector_aggregates.h"

namespace clientele::reporting {
namespace {

// Reporting's read model, fed only by the other services' events
// (services/reporting/projector.h). Every table leads with `tenant`. Times
// are microseconds since the Unix epoch (`*_us`), days are days since
// 1970-01-01 UTC (`*_day`), money is minor units with its currency.
//
// History for as_of_time: what changes over time is kept as versions, each
// valid over [from_us, to_us) (to_us = 9223372036854775807 for the current
// version), so "as of T" is `from_us <= T AND T < to_us` and "now" is
// `to_us = 9223372036854775807`. A version starts at its event's
// occurred_at, clamped so that versions never overlap.
constexpr char kReportingTablesSql[] = R"sql(
-- Accounts as contacts publishes them (AccountSnapshot). state: 0 live,
-- 1 deleted or erased (left out of every report, history included),
-- 2 merged into merged_into (its history counts for the survivor).
CREATE TABLE account_versions (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  from_us INTEGER NOT NULL,
  to_us INTEGER NOT NULL,
  state INTEGER NOT NULL,
  merged_into TEXT NOT NULL DEFAULT '',
  kind INTEGER NOT NULL,
  segment INTEGER NOT NULL,
  tier INTEGER NOT NULL,
  owner TEXT NOT NULL,
  account_manager TEXT NOT NULL,
  declared_mode INTEGER NOT NULL,
  -- acquisition_date, or the account's create day when it has none
  acquisition_day INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  commercial_model INTEGER NOT NULL,
  billing_cycle INTEGER NOT NULL,
  recurring_minor INTEGER NOT NULL,
  recurring_currency TEXT NOT NULL,
  -- contract dates, NULL when none
  contract_start_day INTEGER,
  contract_end_day INTEGER,
  PRIMARY KEY (tenant, account_id, from_us)
) WITHOUT ROWID;
CREATE INDEX account_versions_current
  ON account_versions (tenant, to_us, account_id);

-- Scores as engagement publishes them (RelationshipScoreChanged). An
-- account without a version at T is "not scored" (mode and band
-- UNSPECIFIED). risk_reasons: the event's reasons joined with "\n".
CREATE TABLE score_versions (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  from_us INTEGER NOT NULL,
  to_us INTEGER NOT NULL,
  mode INTEGER NOT NULL,
  score INTEGER NOT NULL,
  band INTEGER NOT NULL,
  trend_delta INTEGER NOT NULL,
  risk_reasons TEXT NOT NULL,
  PRIMARY KEY (tenant, account_id, from_us)
) WITHOUT ROWID;
CREATE INDEX score_versions_current
  ON score_versions (tenant, to_us, account_id);

-- Every interaction engagement recorded (without notes or subjects: the
-- events carry none), for deletes and merges to undo its share of the
-- aggregates below, and for the partial days at the ends of a time range.
-- account_id follows merges. amount_minor: the revenue it brings (refunds
-- negative), in currency; amount 0 and currency '' for the kinds that are
-- not revenue.
CREATE TABLE interactions (
  tenant TEXT NOT NULL,
  interaction_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  kind INTEGER NOT NULL,
  occur_us INTEGER NOT NULL,
  staff_user TEXT NOT NULL,
  personalized INTEGER NOT NULL,
  currency TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  PRIMARY KEY (tenant, interaction_id)
) WITHOUT ROWID;
CREATE INDEX interactions_by_account
  ON interactions (tenant, account_id);
CREATE INDEX interactions_by_time ON interactions (tenant, occur_us);

-- Maintained aggregate: revenue per account, UTC day and currency.
-- recurring: subscription payments and retainer invoices; transactional:
-- purchases less refunds.
CREATE TABLE revenue_days (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  currency TEXT NOT NULL,
  recurring_minor INTEGER NOT NULL,
  transactional_minor INTEGER NOT NULL,
  interactions INTEGER NOT NULL,
  PRIMARY KEY (tenant, account_id, day, currency)
) WITHOUT ROWID;
CREATE INDEX revenue_days_by_day ON revenue_days (tenant, day);

-- Maintained aggregate: interactions per account, UTC day and staff user
-- (staff_user '' when none). relationship: meetings, calls, video calls,
-- advice sessions, custom work, and personalized interactions (the funnel's
-- "engaged").
CREATE TABLE activity_days (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  staff_user TEXT NOT NULL,
  interactions INTEGER NOT NULL,
  relationship_interactions INTEGER NOT NULL,
  PRIMARY KEY (tenant, account_id, day, staff_user)
) WITHOUT ROWID;
CREATE INDEX activity_days_by_staff ON activity_days (tenant, staff_user, day);

-- Tickets as ticketing publishes them. mode and tier: the account's at
-- creation (TicketSnapshot). Durations in seconds, NULL until known.
-- deleted: 1 when deleted or merged away (left out).
CREATE TABLE tickets (
  tenant TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  mode INTEGER NOT NULL,
  tier INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  first_response_us INTEGER,
  solve_us INTEGER,
  first_response_s INTEGER,
  resolution_s INTEGER,
  business_first_response_s INTEGER,
  business_resolution_s INTEGER,
  deleted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, ticket_id)
) WITHOUT ROWID;
CREATE INDEX tickets_by_create ON tickets (tenant, create_us);
CREATE INDEX tickets_by_solve ON tickets (tenant, solve_us)
  WHERE solve_us IS NOT NULL;
CREATE INDEX tickets_by_account ON tickets (tenant, account_id);

-- A ticket's status and assignee over time (backlog and open work as of T).
CREATE TABLE ticket_versions (
  tenant TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  from_us INTEGER NOT NULL,
  to_us INTEGER NOT NULL,
  status INTEGER NOT NULL,
  assignee TEXT NOT NULL,
  PRIMARY KEY (tenant, ticket_id, from_us)
) WITHOUT ROWID;
CREATE INDEX ticket_versions_span ON ticket_versions (tenant, to_us, from_us);

-- A ticket's SLA clocks: one row per metric. judged_us: when the clock
-- stopped, or its due time when it breached while running (the moment it
-- counts in a time range).
CREATE TABLE sla_clocks (
  tenant TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  metric INTEGER NOT NULL,
  breached INTEGER NOT NULL,
  due_us INTEGER,
  judged_us INTEGER,
  PRIMARY KEY (tenant, ticket_id, metric)
) WITHOUT ROWID;
CREATE INDEX sla_clocks_by_judged ON sla_clocks (tenant, judged_us)
  WHERE judged_us IS NOT NULL;

-- CSAT responses, with the account's mode and tier when they were given.
CREATE TABLE csat_responses (
  tenant TEXT NOT NULL,
  survey_id TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  agent TEXT NOT NULL,
  rating INTEGER NOT NULL,
  respond_us INTEGER NOT NULL,
  mode INTEGER NOT NULL,
  tier INTEGER NOT NULL,
  PRIMARY KEY (tenant, survey_id)
) WITHOUT ROWID;
CREATE INDEX csat_by_time ON csat_responses (tenant, respond_us);

-- Follow-ups: open from create_us until done_us (completed, cancelled or
-- deleted; NULL while open). kind: events::v1::FollowUpKind (the client
-- portal shows open MEETINGs due after now).
CREATE TABLE follow_ups (
  tenant TEXT NOT NULL,
  follow_up_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  assignee TEXT NOT NULL,
  create_us INTEGER NOT NULL,
  due_us INTEGER NOT NULL,
  done_us INTEGER,
  completed INTEGER NOT NULL DEFAULT 0,
  kind INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, follow_up_id)
) WITHOUT ROWID;
CREATE INDEX follow_ups_by_assignee ON follow_ups (tenant, assignee);

-- Deals over time (DealSnapshot), for the pipeline as of T.
CREATE TABLE deal_versions (
  tenant TEXT NOT NULL,
  deal_id TEXT NOT NULL,
  from_us INTEGER NOT NULL,
  to_us INTEGER NOT NULL,
  account_id TEXT NOT NULL,
  kind INTEGER NOT NULL,
  stage INTEGER NOT NULL,
  currency TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  probability REAL NOT NULL,
  expected_close_day INTEGER,
  close_day INTEGER,
  owner TEXT NOT NULL,
  PRIMARY KEY (tenant, deal_id, from_us)
) WITHOUT ROWID;
CREATE INDEX deal_versions_span ON deal_versions (tenant, to_us, from_us);

-- Orders as engagement publishes them (OrderSnapshot), current state only
-- (the account page and the client portal show them). items: the
-- products, "<quantity> x <product>" joined with "\n".
CREATE TABLE orders (
  tenant TEXT NOT NULL,
  order_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  status INTEGER NOT NULL,
  currency TEXT NOT NULL,
  total_minor INTEGER NOT NULL,
  items TEXT NOT NULL,
  place_us INTEGER NOT NULL,
  fulfil_us INTEGER,
  cancel_us INTEGER,
  deal_id TEXT NOT NULL,
  PRIMARY KEY (tenant, order_id)
) WITHOUT ROWID;
CREATE INDEX orders_by_account ON orders (tenant, account_id, place_us);

-- Per tenant and source stream: the occurred_at of the newest event
-- applied (ReportMetadata.data_fresh_time is the oldest of a tenant's).
CREATE TABLE stream_watermarks (
  tenant TEXT NOT NULL,
  stream TEXT NOT NULL,
  applied_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, stream)
) WITHOUT ROWID;
)sql";

}  // namespace

std::vector<sql::Migration> ReportingMigrations() {
  return {
      {1, "event outbox and processed-event log", events::kOutboxMigrationSql},
      {2,
       "published events kept for replay, stream positions, consumer positions",
       events::kOutboxRetentionMigrationSql},
      {3,
       "the read model: accounts, scores, revenue, activity, tickets, SLA, "
       "CSAT, follow-ups and deals, with their history",
       kReportingTablesSql},
      {4,
       "maintained aggregates for fast reports: the horizon, currency "
       "counts, account cells, cell counts and revenue blocks",
       kReportAggregatesSql},
      {5,
       "maintained aggregates for the pipeline: deals per currency, stage, "
       "month and account cell, and the stages' weights",
       DealAggregatesSql()},
      {6,
       "maintained aggregates for the workload: accounts per manager and "
       "cell, revenue per manager and day block, interactions per "
       "staff user and day block, open tickets per staff user",
       WorkloadAggregatesSql()},
      {7,
       "the pipeline's deals summed over the account cells, per currency, "
       "stage and month, kept by triggers on deal_cells",
       DealMonthsSql()},
      {8,
       "maintained aggregates for retention: accounts per acquisition day, "
       "active accounts, revenue and gross retention per cohort month and "
       "month (built at start from the rows a database already has)",
       kRetentionAggregatesSql},
      {9,
       "maintained ranking for the at-risk list: per account and currency, "
       "revenue in the year window and recurring terms a year, with the "
       "account's band (built from the rows by the next event)",
       kAtRiskAggregatesSql},
      {10,
       "maintained aggregates for support: each ticket's facts, their sums "
       "per day block and the backlog now, as blobs of counts (built at "
       "start from the tickets a database already has)",
       kSupportAggregatesSql},
      {11,
       "maintained aggregates for the workload's agents: a number per staff "
       "user and the agents' counts per day block, kept with each ticket's "
       "support facts (built at start from the tickets a database already "
       "has)",
       kWorkloadAgentAggregatesSql},
      {12,
       "maintained aggregates for the conversion funnel: each live "
       "account's funnel facts, their counts per day block and the "
       "cohorts' revenue per day block and stage (built at start from the "
       "accounts a database already has)",
       kFunnelAggregatesSql},
  };
}

}  // namespace clientele::reporting
