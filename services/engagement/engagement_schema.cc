#include "services/engagement/engagement_schema.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/events/outbox.h"
#include "common/idempotency.h"
#include "services/engagement/scoring/activity.h"

namespace clientele::engagement {
namespace {

// Resources are stored as serialized protos (`data`) next to the columns
// that lists filter on; every table leads with `tenant`. Times are
// microseconds since the Unix epoch (`*_us`).
constexpr char kEngagementTablesSql[] = R"sql(
-- The local projection of contacts' accounts (AccountSnapshot), fed by
-- events, plus the all-time activity totals. `revision` changes whenever
-- anything a score reads changes (profile or activity): cached scores carry
-- the revision they were computed at. `state`: 0 active, 1 deleted or erased
-- (interactions are refused), 2 merged into `merged_into`.
CREATE TABLE accounts (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  merged_into TEXT NOT NULL DEFAULT '',
  snapshot BLOB NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  first_interaction_us INTEGER,
  interaction_count INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant, account_id)
) WITHOUT ROWID;

-- The timeline. Ids are time-ordered, so inserts append.
CREATE TABLE interactions (
  tenant TEXT NOT NULL,
  interaction_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  kind INTEGER NOT NULL,
  staff_user TEXT NOT NULL,
  occur_us INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tenant, interaction_id)
) WITHOUT ROWID;
CREATE INDEX interactions_timeline
  ON interactions (tenant, account_id, occur_us, interaction_id);
CREATE INDEX interactions_by_contact
  ON interactions (tenant, contact_id) WHERE contact_id != '';

-- Incremental aggregates: per account, week (Monday 00:00 UTC) and kind.
CREATE TABLE activity_buckets (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  week_us INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  count INTEGER NOT NULL,
  personalized INTEGER NOT NULL,
  standard INTEGER NOT NULL,
  inbound INTEGER NOT NULL,
  amount_minor INTEGER NOT NULL,
  amount_count INTEGER NOT NULL,
  rating_sum INTEGER NOT NULL,
  rating_count INTEGER NOT NULL,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, account_id, week_us, kind)
) WITHOUT ROWID;
CREATE TABLE activity_contacts (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, account_id, contact_id)
) WITHOUT ROWID;

-- Scoring: the tenant's policy (absent: the defaults), the last score the
-- rescorer recorded per account (what the next change is measured from),
-- the history of changes, and the accounts waiting to be rescored with the
-- causes gathered since their last score.
CREATE TABLE scoring_policies (
  tenant TEXT NOT NULL PRIMARY KEY,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE account_scores (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  policy_revision INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tenant, account_id)
) WITHOUT ROWID;
CREATE TABLE score_changes (
  tenant TEXT NOT NULL,
  change_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  change_us INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tenant, change_id)
) WITHOUT ROWID;
CREATE INDEX score_changes_by_account
  ON score_changes (tenant, account_id, change_us, change_id);
CREATE TABLE dirty_accounts (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  mark INTEGER NOT NULL,
  causes BLOB NOT NULL,
  PRIMARY KEY (tenant, account_id)
) WITHOUT ROWID;

-- Follow-up tasks.
CREATE TABLE follow_ups (
  tenant TEXT NOT NULL,
  follow_up_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  assignee TEXT NOT NULL,
  state INTEGER NOT NULL,
  origin INTEGER NOT NULL,
  due_us INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tenant, follow_up_id)
) WITHOUT ROWID;
CREATE INDEX follow_ups_by_account ON follow_ups (tenant, account_id);
CREATE INDEX follow_ups_due ON follow_ups (tenant, state, assignee, due_us);
CREATE INDEX follow_ups_due_all ON follow_ups (tenant, state, due_us);
CREATE INDEX follow_ups_by_contact
  ON follow_ups (tenant, contact_id) WHERE contact_id != '';
)sql";

// The timeline index was keyed by occur time, so a batch spread over a
// thousand distinct times (a back-fill) inserted into a thousand leaf pages
// of its account's index, and every commit rewrote them all: the cost of a
// batch grew with the account's history until it was ~1,600 dirty pages.
// Keyed by the occur week and then the time-ordered id instead, a batch
// appends to the end of each week it touches, a handful of pages. Lists
// still read newest first: SQLite walks the weeks in index order and sorts
// within each one (occur_us and kind are in the index, so that sort, and
// the kinds filter, read no rows).
// week_us is the Monday 00:00 UTC starting the occur week (WeekStart),
// the same week the activity buckets use.
constexpr char kTimelineByWeekSql[] = R"sql(
ALTER TABLE interactions ADD COLUMN week_us INTEGER NOT NULL DEFAULT 0;
UPDATE interactions SET week_us = occur_us -
  ((occur_us - 345600000000) % 604800000000 + 604800000000) % 604800000000;
DROP INDEX interactions_timeline;
CREATE INDEX interactions_by_week
  ON interactions (tenant, account_id, week_us, interaction_id, occur_us,
                   kind);
)sql";

// Scoring read an account's aggregates a row per week and kind (~630 rows
// for two years of daily activity), and stepping through them was most of
// a score's cost. activity_packed holds the same aggregates, all of an
// account's buckets and contacts, in one blob (packed_activity.h) that the
// store rewrites whenever it changes them; activity_buckets and
// activity_contacts stay the source of truth. No row (accounts last written
// before this migration, accounts without activity): read the tables.
constexpr char kPackedActivitySql[] = R"sql(
CREATE TABLE activity_packed (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tenant, account_id)
) WITHOUT ROWID;
)sql";

// Deals (deal_manager.h, sqlite_deal_store.h). Dates are days since
// 1970-01-01 (`*_day`); `close_day` is NULL while the deal is open, which
// the pipeline's partial indexes rely on: deals_open serves the open deals
// of a quarter and the overdue count, deals_by_closed_day the deals won and
// lost in it, without walking the tenant's closed history;
// deals_closed_by_account serves the closed deals every score reads.
// deal_proposals links PROPOSAL interactions to their deal.
constexpr char kDealsSql[] = R"sql(
CREATE TABLE deals (
  tenant TEXT NOT NULL,
  deal_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  stage INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  owner TEXT NOT NULL,
  expected_close_day INTEGER NOT NULL,
  close_day INTEGER,
  currency TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tenant, deal_id)
) WITHOUT ROWID;
CREATE INDEX deals_by_close ON deals (tenant, expected_close_day, deal_id);
CREATE INDEX deals_by_account
  ON deals (tenant, account_id, expected_close_day, deal_id);
CREATE INDEX deals_by_contact ON deals (tenant, contact_id)
  WHERE contact_id != '';
CREATE INDEX deals_open ON deals (tenant, expected_close_day)
  WHERE close_day IS NULL;
CREATE INDEX deals_by_closed_day ON deals (tenant, close_day)
  WHERE close_day IS NOT NULL;
CREATE INDEX deals_closed_by_account ON deals (tenant, account_id, close_day)
  WHERE close_day IS NOT NULL;
CREATE TABLE deal_proposals (
  tenant TEXT NOT NULL,
  deal_id TEXT NOT NULL,
  occur_us INTEGER NOT NULL,
  interaction_id TEXT NOT NULL,
  PRIMARY KEY (tenant, deal_id, occur_us, interaction_id)
) WITHOUT ROWID;
CREATE INDEX deal_proposals_by_interaction
  ON deal_proposals (tenant, interaction_id);
)sql";

// Orders (order_manager.h). Lists read newest first, (place_us, order_id)
// descending: each index a filter can lead with ends in that pair, so a page
// is an index walk (statuses are few and filtered on the way).
constexpr char kOrdersSql[] = R"sql(
CREATE TABLE orders (
  tenant TEXT NOT NULL,
  order_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  status INTEGER NOT NULL,
  fulfilment_team TEXT NOT NULL,
  assignee TEXT NOT NULL,
  place_us INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tenant, order_id)
) WITHOUT ROWID;
CREATE INDEX orders_by_place ON orders (tenant, place_us, order_id);
CREATE INDEX orders_by_account
  ON orders (tenant, account_id, place_us, order_id);
CREATE INDEX orders_by_team
  ON orders (tenant, fulfilment_team, place_us, order_id);
CREATE INDEX orders_by_assignee
  ON orders (tenant, assignee, place_us, order_id);
CREATE INDEX orders_by_contact ON orders (tenant, contact_id)
  WHERE contact_id != '';
)sql";

// Keep-in-touch cadences (cadence_manager.h) and the touches they created:
// one row per cadence, account ('' for a segment newsletter) and occurrence,
// so that a touch makes one follow-up however often the job runs. Touches
// keep their kind after their cadence is deleted: surveys sent still count
// toward the account's survey fatigue.
constexpr char kCadencesSql[] = R"sql(
CREATE TABLE cadences (
  tenant TEXT NOT NULL,
  cadence_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  segment INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tenant, cadence_id)
) WITHOUT ROWID;
CREATE INDEX cadences_by_time ON cadences (tenant, create_us, cadence_id);
CREATE INDEX cadences_by_account ON cadences (tenant, account_id);
CREATE TABLE cadence_touches (
  tenant TEXT NOT NULL,
  cadence_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  occurrence TEXT NOT NULL,
  kind INTEGER NOT NULL,
  follow_up_id TEXT NOT NULL,
  due_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, cadence_id, account_id, occurrence)
) WITHOUT ROWID;
CREATE INDEX cadence_touches_by_account
  ON cadence_touches (tenant, account_id, kind, due_us);
)sql";

// Staff activity (scoring/activity.h, StaffActivity): per account and staff
// user, the interactions of the kinds in which a staff member serves the
// account one to one, so that the model can see one person serving (nearly)
// every interaction even when no account manager is on file. Back-filled
// from the timeline, so existing accounts score as if it had always been
// kept. The packed rows (version 1) had no staff: they are dropped, and
// scoring reads the tables for an account until its next write repacks it.
std::string StaffActivitySql() {
  std::vector<std::string> kinds;
  for (int k = v1::InteractionKind_MIN; k <= v1::InteractionKind_MAX; ++k) {
    if (v1::InteractionKind_IsValid(k) &&
        ServedByStaff(static_cast<v1::InteractionKind>(k))) {
      kinds.push_back(absl::StrCat(k));
    }
  }
  return absl::StrCat(R"sql(
CREATE TABLE activity_staff (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  staff_user TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, account_id, staff_user)
) WITHOUT ROWID;
INSERT INTO activity_staff (tenant, account_id, staff_user, count, first_us,
                            last_us)
  SELECT tenant, account_id, staff_user, count(*), min(occur_us), max(occur_us)
  FROM interactions WHERE staff_user != '' AND kind IN ()sql",
                      absl::StrJoin(kinds, ", "), R"sql()
  GROUP BY tenant, account_id, staff_user;
DELETE FROM activity_packed;
)sql");
}

// FollowUp.team (an order's invoice goes to its fulfilment team), which
// ListFollowUps filters on. Follow-ups stored before it have no team.
constexpr char kFollowUpTeamSql[] = R"sql(
ALTER TABLE follow_ups ADD COLUMN team TEXT NOT NULL DEFAULT '';
CREATE INDEX follow_ups_by_team ON follow_ups (tenant, team, due_us);
)sql";

}  // namespace

std::vector<sql::Migration> EngagementMigrations() {
  return {
      {1, "event outbox and processed-event log", events::kOutboxMigrationSql},
      {2, "account projection, interactions, aggregates, scores, follow-ups",
       kEngagementTablesSql},
      {3, "idempotent writes", kIdempotencyMigrationSql},
      {4, "timeline index by occur week, so that batches append",
       kTimelineByWeekSql},
      {5, "each account's activity aggregates packed in one row",
       kPackedActivitySql},
      {6, "stored responses purged by age", kStoredResponsePurgeMigrationSql},
      {7,
       "published events kept for replay, stream positions, consumer positions",
       events::kOutboxRetentionMigrationSql},
      {8, "deals and the proposals linked to them", kDealsSql},
      {9, "orders", kOrdersSql},
      {10, "keep-in-touch cadences and the touches they created", kCadencesSql},
      {11, "staff activity per account, back-filled from the timeline",
       StaffActivitySql()},
      {12, "follow-ups listed by team", kFollowUpTeamSql},
  };
}

}  // namespace clientele::engagement
