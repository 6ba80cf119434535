#include "services/ticketing/ticketing_schema.h"

#include "absl/strings/str_cat.h"
#include "common/events/outbox.h"
#include "common/idempotency.h"

namespace clientele::ticketing {

// Tickets, their comments and history (merges live there), form tickets
// waiting for their requester, the routing policy and round-robin cursors.
// Tickets list newest first under each filter, so each filter's index ends
// in (create_us, ticket_id); the open-ticket count of an assignee (routing's
// capacity check, on every create) reads only tickets_by_assignee_status.
// Comments and history are rowid tables: the rowid is the insertion order
// that breaks ties between entries of the same occur time.
const char kTicketTablesSql[] = R"sql(
CREATE TABLE tickets (
  tenant TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  requester_id TEXT NOT NULL,
  status INTEGER NOT NULL,
  assignee TEXT NOT NULL,
  team TEXT NOT NULL,
  priority INTEGER NOT NULL,
  type INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tenant, ticket_id)
) WITHOUT ROWID;
CREATE INDEX tickets_by_time ON tickets (tenant, create_us, ticket_id);
CREATE INDEX tickets_by_account
  ON tickets (tenant, account_id, create_us, ticket_id);
CREATE INDEX tickets_by_requester
  ON tickets (tenant, requester_id, create_us, ticket_id)
  WHERE requester_id != '';
CREATE INDEX tickets_by_status
  ON tickets (tenant, status, create_us, ticket_id);
CREATE INDEX tickets_by_assignee
  ON tickets (tenant, assignee, create_us, ticket_id) WHERE assignee != '';
CREATE INDEX tickets_by_assignee_status
  ON tickets (tenant, assignee, status) WHERE assignee != '';
CREATE INDEX tickets_by_team ON tickets (tenant, team, create_us, ticket_id);
CREATE TABLE ticket_comments (
  tenant TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  comment_id TEXT NOT NULL,
  occur_us INTEGER NOT NULL,
  visibility INTEGER NOT NULL,
  author TEXT NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX ticket_comments_by_ticket
  ON ticket_comments (tenant, ticket_id, occur_us);
CREATE INDEX ticket_comments_by_author
  ON ticket_comments (tenant, author) WHERE author != '';
CREATE TABLE ticket_history (
  tenant TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  occur_us INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX ticket_history_by_ticket
  ON ticket_history (tenant, ticket_id, occur_us);
CREATE TABLE pending_requesters (
  tenant TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  PRIMARY KEY (tenant, ticket_id)
) WITHOUT ROWID;
CREATE TABLE routing_policies (
  tenant TEXT NOT NULL PRIMARY KEY,
  data BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE routing_cursor (
  tenant TEXT NOT NULL,
  team TEXT NOT NULL,
  agent TEXT NOT NULL,
  PRIMARY KEY (tenant, team)
) WITHOUT ROWID;
)sql";

// SLA policies, each ticket's SLA (policy, targets, calendar) and the clock
// index that alerts and the SLA job read without scanning tickets
// (sqlite_sla_store.cc says which query uses which index). The index holds
// one row per ticket and metric; due_us and at_risk_us are NULL for clocks
// that cannot alert (paused, met), so those rows stay out of every range.
// risk_class groups running rows by the length of their at-risk window
// (due_us - at_risk_us, its log2), which bounds how far ahead of now an
// at-risk row can be due. The published flags are the SLA job's: set in
// the transaction of their event, they make it once per clock cycle.
const char kSlaTablesSql[] = R"sql(
CREATE TABLE sla_policies (
  tenant TEXT NOT NULL,
  policy_id TEXT NOT NULL,
  rank INTEGER NOT NULL,
  disabled INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tenant, policy_id)
) WITHOUT ROWID;
CREATE INDEX sla_policies_by_rank
  ON sla_policies (tenant, rank, create_us, policy_id);
CREATE TABLE ticket_sla (
  tenant TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  policy_id TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tenant, ticket_id)
) WITHOUT ROWID;
CREATE TABLE sla_clock_index (
  tenant TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  metric INTEGER NOT NULL,
  state INTEGER NOT NULL,
  start_us INTEGER NOT NULL,
  at_risk_us INTEGER,
  due_us INTEGER,
  risk_class INTEGER,
  account_id TEXT NOT NULL,
  assignee TEXT NOT NULL,
  team TEXT NOT NULL,
  priority INTEGER NOT NULL,
  tier INTEGER NOT NULL,
  mode INTEGER NOT NULL,
  finished INTEGER NOT NULL,
  at_risk_published INTEGER NOT NULL,
  breach_published INTEGER NOT NULL,
  PRIMARY KEY (tenant, ticket_id, metric)
) WITHOUT ROWID;
CREATE INDEX sla_clock_due
  ON sla_clock_index (tenant, finished, due_us, ticket_id, metric)
  WHERE due_us IS NOT NULL;
CREATE INDEX sla_clock_risk
  ON sla_clock_index (tenant, finished, risk_class, due_us, ticket_id, metric,
                      at_risk_us)
  WHERE risk_class IS NOT NULL;
CREATE INDEX sla_clock_unpublished_at_risk
  ON sla_clock_index (at_risk_us)
  WHERE at_risk_published = 0 AND state = 1;
CREATE INDEX sla_clock_unpublished_breach
  ON sla_clock_index (due_us)
  WHERE breach_published = 0;
)sql";

// CSAT surveys and their token hashes.
const char kCsatTablesSql[] = R"sql(
-- One survey per ticket, ever (the unique index). `state` is the stored one,
-- 1 SENT or 2 RESPONDED: EXPIRED is read off `expire_us`. `data` holds the
-- CsatSurvey without its token.
CREATE TABLE csat_surveys (
  tenant TEXT NOT NULL,
  survey_id TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  requester_id TEXT NOT NULL,
  state INTEGER NOT NULL,
  send_us INTEGER NOT NULL,
  expire_us INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tenant, survey_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX csat_surveys_by_ticket ON csat_surveys (tenant, ticket_id);
CREATE INDEX csat_surveys_by_send
  ON csat_surveys (tenant, send_us, survey_id);
CREATE INDEX csat_surveys_by_account
  ON csat_surveys (tenant, account_id, send_us, survey_id);
CREATE INDEX csat_surveys_by_requester
  ON csat_surveys (tenant, requester_id) WHERE requester_id != '';

-- The SHA-256 (hex) of each survey's token: SubmitCsatResponse comes without
-- a tenant and is found by it. The token itself is never stored.
CREATE TABLE csat_tokens (
  tenant TEXT NOT NULL,
  token_hash TEXT NOT NULL PRIMARY KEY,
  survey_id TEXT NOT NULL
);
CREATE UNIQUE INDEX csat_tokens_by_survey ON csat_tokens (tenant, survey_id);
)sql";

// Accounts and contacts as contacts' and engagement's events describe them,
// and the email -> contact map intake fills.
const char kProjectionTablesSql[] = R"sql(
-- Accounts as contacts' snapshots and engagement's scores describe them.
-- `snapshot_us` is the update_time of the last snapshot applied (NULL while
-- only engagement has spoken of the account: not yet known). `state`: 0
-- active, 1 deleted or erased, 2 merged into `merged_into`.
CREATE TABLE projected_accounts (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  tier INTEGER NOT NULL DEFAULT 0,
  declared_mode INTEGER NOT NULL DEFAULT 0,
  inferred_mode INTEGER NOT NULL DEFAULT 0,
  account_manager TEXT NOT NULL DEFAULT '',
  state INTEGER NOT NULL DEFAULT 0,
  merged_into TEXT NOT NULL DEFAULT '',
  snapshot_us INTEGER,
  PRIMARY KEY (tenant, account_id)
) WITHOUT ROWID;

-- Each contact's account.
CREATE TABLE projected_contacts (
  tenant TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  PRIMARY KEY (tenant, contact_id)
) WITHOUT ROWID;
CREATE INDEX projected_contacts_by_account
  ON projected_contacts (tenant, account_id, contact_id);

-- Normalized email -> requester, filled by intake from contacts' answers and
-- dropped when the contact's emails change (the next intake asks again).
CREATE TABLE requester_emails (
  tenant TEXT NOT NULL,
  email TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  PRIMARY KEY (tenant, email)
) WITHOUT ROWID;
CREATE INDEX requester_emails_by_contact
  ON requester_emails (tenant, contact_id);
CREATE INDEX requester_emails_by_account
  ON requester_emails (tenant, account_id);
)sql";

std::vector<sql::Migration> TicketingMigrations() {
  return {
      {1, "event outbox and processed-event log", events::kOutboxMigrationSql},
      {2,
       "published events kept for replay, stream positions, consumer positions",
       events::kOutboxRetentionMigrationSql},
      {3, "idempotent writes", kIdempotencyMigrationSql},
      {4, "stored responses purged by age", kStoredResponsePurgeMigrationSql},
      {5, "tickets, SLA clocks, CSAT surveys, projections of accounts",
       absl::StrCat(kTicketTablesSql, kSlaTablesSql, kCsatTablesSql,
                    kProjectionTablesSql)},
  };
}

}  // namespace clientele::ticketing
