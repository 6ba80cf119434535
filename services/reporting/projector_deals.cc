// The pipeline's maintained aggregates (projector_aggregates.h): deal_cells
// and deal_stage_weights. One SQL shape (AddDealsSql) serves the migration's
// backfill and every change, so both count and weigh a deal alike.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "clientele/events/v1/engagement_events.pb.h"
#include "common/status_macros.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {
namespace {

static_assert(events::v1::DEAL_STAGE_QUALIFYING == 1 &&
                  events::v1::DEAL_STAGE_PROPOSAL == 2 &&
                  events::v1::DEAL_STAGE_NEGOTIATION == 3 &&
                  events::v1::DEAL_STAGE_WON == 4 &&
                  events::v1::DEAL_STAGE_LOST == 5,
              "kOpenDealStagesSql and kClosedDealStagesSql (report_scope.h)");

// The day a deal version counts in a pipeline at: an open deal's expected
// close day, a won or lost one's close day (pipeline_report.cc); NULL for
// any other stage.
std::string DealDay() {
  return absl::StrCat("(CASE WHEN d.stage IN (", kOpenDealStagesSql,
                      ") THEN d.expected_close_day WHEN d.stage IN (",
                      kClosedDealStagesSql, ") THEN d.close_day END)");
}

// Months since January 1970 of DealDay().
std::string DealMonth() {
  const std::string day = DealDay();
  return absl::StrCat("((CAST(strftime('%Y', ", day,
                      " * 86400, 'unixepoch') AS INTEGER) - 1970) * 12 + "
                      "CAST(strftime('%m', ",
                      day, " * 86400, 'unixepoch') AS INTEGER) - 1)");
}

// A probability in millionths as WeightedAmountMinor reads it.
std::string Millionths(const std::string& probability) {
  return absl::StrCat("(CASE WHEN ", probability, " > 0 THEN CAST(round(min(",
                      probability, ", 1.0) * 1000000) AS INTEGER) ELSE 0 END)");
}

// WeightedAmountMinor(d.amount_minor, w) in integers, w in millionths.
constexpr char kWeighted[] =
    "(CASE WHEN d.amount_minor <= 0 OR w.millionths IS NULL OR "
    "w.millionths <= 0 THEN 0 ELSE (d.amount_minor / 1000000) * w.millionths "
    "+ ((d.amount_minor % 1000000) * w.millionths + 500000) / 1000000 END)";

// Which current deal versions AddDealsSql adds: every one (the
// migration), or those of one deal, account or stage (its parameters: the
// tenant, then the deal id, account id or stage).
enum class DealsOf { kAll, kDeal, kAccount, kStage };

// For `of`: the index `d` is read through ("" for the primary key) and
// the filter on it. Without statistics SQLite reads every deal version of
// the tenant by the primary key's prefix for an account or a stage, so
// those name their index.
struct DealsAccess {
  const char* index;
  const char* filter;
};
DealsAccess AccessFor(DealsOf of) {
  switch (of) {
    case DealsOf::kAll:
      return {"", "true"};
    case DealsOf::kDeal:
      return {"", "d.tenant = ? AND d.deal_id = ?"};
    case DealsOf::kAccount:
      return {"INDEXED BY deal_versions_by_account ",
              "d.tenant = ? AND d.account_id = ?"};
    case DealsOf::kStage:
      return {"INDEXED BY deal_versions_by_stage ",
              "d.tenant = ? AND d.stage = ?"};
  }
  return {"", "false"};
}

// Adds `sign` (the first parameter) times the shares of the current deal
// versions `of` of accounts with a cell (`d`, the deal version, and `c`,
// its account's cell; the parameters of `of` follow the sign).
std::string AddDealsSql(DealsOf of) {
  const std::string month = DealMonth();
  const DealsAccess access = AccessFor(of);
  return absl::StrCat(
      "INSERT INTO deal_cells (tenant, currency, stage, month, mode, tier, "
      "segment, deals, amount_minor, weighted_minor) "
      "SELECT d.tenant, d.currency, d.stage, ",
      month,
      ", c.mode, c.tier, c.segment, s.sign * COUNT(*), "
      "s.sign * SUM(d.amount_minor), s.sign * SUM(",
      kWeighted, ") FROM (SELECT ? AS sign) AS s, deal_versions d ",
      access.index,
      "JOIN account_cells c ON c.tenant = d.tenant AND "
      "c.account_id = d.account_id "
      "LEFT JOIN deal_stage_weights w ON w.tenant = d.tenant AND "
      "w.stage = d.stage WHERE d.to_us = ",
      kOpenEndUs, " AND ", DealDay(), " IS NOT NULL AND (", access.filter,
      ") GROUP BY d.tenant, d.currency, d.stage, ", month,
      ", c.mode, c.tier, c.segment "
      "ON CONFLICT (tenant, stage, month, currency, mode, tier, segment) "
      "DO UPDATE SET deals = deals + excluded.deals, "
      "amount_minor = amount_minor + excluded.amount_minor, "
      "weighted_minor = weighted_minor + excluded.weighted_minor");
}

// The probability, in millionths, of the newest current deal version in
// `stage` (the latest start, ties to the largest deal id); no row when the
// stage has none.
std::string NewestInStageSql() {
  return absl::StrCat("SELECT ", Millionths("probability"),
                      " FROM deal_versions WHERE tenant = ? AND stage = ? "
                      "AND to_us = ",
                      kOpenEndUs,
                      " ORDER BY from_us DESC, deal_id DESC LIMIT 1");
}

}  // namespace

std::string DealAggregatesSql() {
  return absl::StrCat(
      R"sql(
CREATE TABLE deal_stage_weights (
  tenant TEXT NOT NULL,
  stage INTEGER NOT NULL,
  millionths INTEGER NOT NULL,
  PRIMARY KEY (tenant, stage)
) WITHOUT ROWID;
CREATE TABLE deal_cells (
  tenant TEXT NOT NULL,
  currency TEXT NOT NULL,
  stage INTEGER NOT NULL,
  month INTEGER NOT NULL,
  mode INTEGER NOT NULL,
  tier INTEGER NOT NULL,
  segment INTEGER NOT NULL,
  deals INTEGER NOT NULL,
  amount_minor INTEGER NOT NULL,
  weighted_minor INTEGER NOT NULL,
  PRIMARY KEY (tenant, stage, month, currency, mode, tier, segment)
) WITHOUT ROWID;
CREATE INDEX deal_versions_by_stage
  ON deal_versions (tenant, stage, to_us, from_us);
CREATE INDEX deal_versions_by_account
  ON deal_versions (tenant, account_id, to_us);
INSERT INTO deal_stage_weights (tenant, stage, millionths)
  SELECT tenant, stage, )sql",
      Millionths("probability"), R"sql( FROM (
    SELECT tenant, stage, probability, ROW_NUMBER() OVER (
      PARTITION BY tenant, stage ORDER BY from_us DESC, deal_id DESC) AS n
    FROM deal_versions WHERE to_us = )sql",
      kOpenEndUs, " AND stage IN (", kOpenDealStagesSql,
      R"sql())
  WHERE n = 1;
)sql",
      projector_internal::WithSignPlusOne(AddDealsSql(DealsOf::kAll)), ";\n");
}

namespace {

// A trigger on deal_cells that adds `added` (the three sums, in order) to
// deal_months at the key of `row` (NEW or OLD) and removes the month if it
// then sums to zero, as a rebuild from deal_cells would leave it out.
std::string DealMonthsTrigger(absl::string_view name, absl::string_view on,
                              absl::string_view row,
                              const std::array<std::string, 3>& added) {
  return absl::StrCat(
      "CREATE TRIGGER ", name, " AFTER ", on, " ON deal_cells BEGIN\n",
      "  INSERT INTO deal_months (tenant, stage, month, currency, deals,\n"
      "                           amount_minor, weighted_minor)\n"
      "    VALUES (",
      row, ".tenant, ", row, ".stage, ", row, ".month, ", row, ".currency, ",
      added[0], ", ", added[1], ", ", added[2],
      ")\n"
      "    ON CONFLICT (tenant, stage, month, currency) DO UPDATE SET\n"
      "      deals = deals + excluded.deals,\n"
      "      amount_minor = amount_minor + excluded.amount_minor,\n"
      "      weighted_minor = weighted_minor + excluded.weighted_minor;\n"
      "  DELETE FROM deal_months WHERE tenant = ",
      row, ".tenant AND stage = ", row, ".stage\n    AND month = ", row,
      ".month AND currency = ", row,
      ".currency AND deals = 0\n"
      "    AND amount_minor = 0 AND weighted_minor = 0;\n"
      "END;\n");
}

}  // namespace

// deal_months follows every row change of deal_cells (the upserts' inserts
// and updates, the stage refresh's deletes), so it is deal_cells summed over
// the cells whatever wrote them.
std::string DealMonthsSql() {
  return absl::StrCat(
      R"sql(
CREATE TABLE deal_months (
  tenant TEXT NOT NULL,
  stage INTEGER NOT NULL,
  month INTEGER NOT NULL,
  currency TEXT NOT NULL,
  deals INTEGER NOT NULL,
  amount_minor INTEGER NOT NULL,
  weighted_minor INTEGER NOT NULL,
  PRIMARY KEY (tenant, stage, month, currency)
) WITHOUT ROWID;
INSERT INTO deal_months (tenant, stage, month, currency, deals,
                         amount_minor, weighted_minor)
  SELECT tenant, stage, month, currency, SUM(deals), SUM(amount_minor),
         SUM(weighted_minor)
  FROM deal_cells GROUP BY tenant, stage, month, currency
  HAVING SUM(deals) != 0 OR SUM(amount_minor) != 0 OR SUM(weighted_minor) != 0;
)sql",
      DealMonthsTrigger(
          "deal_months_insert", "INSERT", "NEW",
          {"NEW.deals", "NEW.amount_minor", "NEW.weighted_minor"}),
      DealMonthsTrigger(
          "deal_months_update", "UPDATE", "NEW",
          {"NEW.deals - OLD.deals", "NEW.amount_minor - OLD.amount_minor",
           "NEW.weighted_minor - OLD.weighted_minor"}),
      DealMonthsTrigger(
          "deal_months_delete", "DELETE", "OLD",
          {"-OLD.deals", "-OLD.amount_minor", "-OLD.weighted_minor"}));
}

namespace projector_internal {

absl::Status MoveDealShare(sql::Transaction& txn, const std::string& tenant,
                           const std::string& deal_id, int64_t sign) {
  return txn.Exec(AddDealsSql(DealsOf::kDeal), {sign, tenant, deal_id})
      .status();
}

absl::Status MoveAccountDeals(sql::Transaction& txn, const std::string& tenant,
                              const std::string& account_id, int64_t sign) {
  return txn.Exec(AddDealsSql(DealsOf::kAccount), {sign, tenant, account_id})
      .status();
}

absl::Status RefreshStageWeights(sql::Transaction& txn,
                                 const std::string& tenant,
                                 const absl::btree_set<int64_t>& stages) {
  for (const int64_t stage : stages) {
    if (!IsOpenDealStage(stage)) continue;  // only open stages are weighted
    ASSIGN_OR_RETURN(std::vector<sql::Row> newest,
                     txn.Query(NewestInStageSql(), {tenant, stage}));
    ASSIGN_OR_RETURN(std::vector<sql::Row> stored,
                     txn.Query("SELECT millionths FROM deal_stage_weights "
                               "WHERE tenant = ? AND stage = ?",
                               {tenant, stage}));
    if (newest.empty()) {
      // No deal in the stage, so no share to weigh: the weight goes.
      RETURN_IF_ERROR(txn.Exec("DELETE FROM deal_stage_weights "
                               "WHERE tenant = ? AND stage = ?",
                               {tenant, stage})
                          .status());
      continue;
    }
    const int64_t weight = newest[0].Int(0);
    if (!stored.empty() && stored[0].Int(0) == weight) continue;
    // Every share of the stage weighed again at the new weight.
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO deal_stage_weights (tenant, stage, "
                 "millionths) VALUES (?, ?, ?) ON CONFLICT (tenant, stage) "
                 "DO UPDATE SET millionths = excluded.millionths",
                 {tenant, stage, weight})
            .status());
    RETURN_IF_ERROR(txn.Exec("DELETE FROM deal_cells "
                             "WHERE tenant = ? AND stage = ?",
                             {tenant, stage})
                        .status());
    RETURN_IF_ERROR(
        txn.Exec(AddDealsSql(DealsOf::kStage), {int64_t{1}, tenant, stage})
            .status());
  }
  return absl::OkStatus();
}

}  // namespace projector_internal
}  // namespace clientele::reporting
