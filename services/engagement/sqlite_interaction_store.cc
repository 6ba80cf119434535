#include "services/engagement/sqlite_interaction_store.h"

#include <algorithm>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/proto_time.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"
#include "services/engagement/interaction_rules.h"

namespace clientele::engagement {
namespace {

using sql::Value;

absl::StatusOr<v1::Interaction> Parse(const std::string& bytes) {
  return sql::ParseStored<v1::Interaction>(bytes, "interaction");
}

absl::StatusOr<std::vector<v1::Interaction>> ParseAll(
    const std::vector<sql::Row>& rows) {
  return sql::ParseStoredColumn<v1::Interaction>(rows, 0, "interaction");
}

// Adds `buckets` and `contacts` to the stored aggregates of an account
// (creating rows as needed): the one place aggregates are written.
absl::Status AddAggregates(sql::Transaction& txn, absl::string_view tenant,
                           absl::string_view account_id,
                           const std::vector<KindBucket>& buckets,
                           const std::vector<ContactActivity>& contacts) {
  for (const KindBucket& b : buckets) {
    const Value params[] = {std::string(tenant),
                            std::string(account_id),
                            ToMicros(b.week_start),
                            int64_t{b.kind},
                            b.count,
                            b.personalized,
                            b.standard,
                            b.inbound,
                            b.amount_minor,
                            b.amount_count,
                            b.rating_sum,
                            b.rating_count,
                            ToMicros(b.first_time),
                            ToMicros(b.last_time)};
    RETURN_IF_ERROR(
        txn.Exec(
               "INSERT INTO activity_buckets (tenant, account_id, week_us, "
               "kind, count, personalized, standard, inbound, amount_minor, "
               "amount_count, rating_sum, rating_count, first_us, last_us) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT (tenant, account_id, week_us, kind) DO UPDATE SET "
               "count = count + excluded.count, "
               "personalized = personalized + excluded.personalized, "
               "standard = standard + excluded.standard, "
               "inbound = inbound + excluded.inbound, "
               "amount_minor = amount_minor + excluded.amount_minor, "
               "amount_count = amount_count + excluded.amount_count, "
               "rating_sum = rating_sum + excluded.rating_sum, "
               "rating_count = rating_count + excluded.rating_count, "
               "first_us = min(first_us, excluded.first_us), "
               "last_us = max(last_us, excluded.last_us)",
               params)
            .status());
  }
  for (const ContactActivity& c : contacts) {
    const Value params[] = {std::string(tenant),    std::string(account_id),
                            IdOf(c.contact),        c.count,
                            ToMicros(c.first_time), ToMicros(c.last_time)};
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO activity_contacts (tenant, account_id, "
                 "contact_id, count, first_us, last_us) VALUES (?, ?, ?, ?, "
                 "?, ?) ON CONFLICT (tenant, account_id, contact_id) DO "
                 "UPDATE SET count = count + excluded.count, first_us = "
                 "min(first_us, excluded.first_us), last_us = max(last_us, "
                 "excluded.last_us)",
                 params)
            .status());
  }
  return absl::OkStatus();
}

// The aggregates of `interactions`, summed in memory first so that a batch
// writes each (week, kind) row once.
ActivitySummary Summarize(absl::Span<const v1::Interaction> interactions,
                          absl::string_view currency) {
  ActivitySummary summary;
  summary.currency = std::string(currency);
  for (const v1::Interaction& interaction : interactions) {
    AddToSummary(interaction, &summary);
  }
  return summary;
}

absl::Status DeleteAggregates(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view account_id) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  RETURN_IF_ERROR(txn.Exec("DELETE FROM activity_buckets WHERE tenant = ? AND "
                           "account_id = ?",
                           key)
                      .status());
  return txn
      .Exec("DELETE FROM activity_contacts WHERE tenant = ? AND account_id = ?",
            key)
      .status();
}

absl::StatusOr<std::vector<v1::Interaction>> AccountTimeline(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT data FROM interactions WHERE tenant = ? "
                             "AND account_id = ? ORDER BY occur_us, "
                             "interaction_id",
                             key));
  return ParseAll(rows);
}

// Rebuilds every aggregate of an account from its whole timeline: merges
// and rare corrections only; recording never does this.
absl::Status RebuildAggregates(sql::Transaction& txn, absl::string_view tenant,
                               absl::string_view account_id,
                               absl::string_view currency) {
  RETURN_IF_ERROR(DeleteAggregates(txn, tenant, account_id));
  ASSIGN_OR_RETURN(std::vector<v1::Interaction> timeline,
                   AccountTimeline(txn, tenant, account_id));
  const ActivitySummary summary = Summarize(timeline, currency);
  return AddAggregates(txn, tenant, account_id, summary.buckets,
                       summary.contacts);
}

absl::StatusOr<std::string> AccountCurrency(sql::Transaction& txn,
                                            absl::string_view tenant,
                                            absl::string_view account_id) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT currency FROM accounts WHERE tenant = ? "
                             "AND account_id = ?",
                             key));
  return rows.empty() ? std::string() : rows[0].String(0);
}

absl::Status WriteInteraction(sql::Transaction& txn, absl::string_view tenant,
                              const v1::Interaction& interaction,
                              bool replace) {
  const Value params[] = {std::string(tenant),
                          IdOf(interaction.name()),
                          IdOf(interaction.account()),
                          IdOf(interaction.contact()),
                          int64_t{interaction.kind()},
                          interaction.staff_user(),
                          ToMicros(ToTime(interaction.occur_time())),
                          sql::Blob{interaction.SerializeAsString()}};
  return txn
      .Exec(absl::StrCat(replace ? "REPLACE" : "INSERT",
                         " INTO interactions (tenant, interaction_id, "
                         "account_id, contact_id, kind, staff_user, occur_us, "
                         "data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
            params)
      .status();
}

}  // namespace

absl::Status SqliteInteractionStore::Insert(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id, absl::string_view currency,
    absl::Span<const v1::Interaction> interactions) {
  for (const v1::Interaction& interaction : interactions) {
    RETURN_IF_ERROR(WriteInteraction(txn, tenant, interaction, false));
  }
  const ActivitySummary delta = Summarize(interactions, currency);
  return AddAggregates(txn, tenant, account_id, delta.buckets, delta.contacts);
}

absl::StatusOr<std::optional<v1::Interaction>> SqliteInteractionStore::Find(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT data FROM interactions WHERE tenant = ? "
                             "AND interaction_id = ?",
                             params));
  if (rows.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(v1::Interaction interaction, Parse(rows[0].String(0)));
  return interaction;
}

absl::Status SqliteInteractionStore::Delete(sql::Transaction& txn,
                                            absl::string_view tenant,
                                            absl::string_view id) {
  ASSIGN_OR_RETURN(std::optional<v1::Interaction> found, Find(txn, tenant, id));
  if (!found.has_value()) {
    return absl::NotFoundError(absl::StrCat("interactions/", id));
  }
  const std::string account_id = IdOf(found->account());
  const std::string contact_id = IdOf(found->contact());
  const Value key[] = {std::string(tenant), std::string(id)};
  RETURN_IF_ERROR(
      txn.Exec(
             "DELETE FROM interactions WHERE tenant = ? AND interaction_id = ?",
             key)
          .status());

  // Rebuild the one (week, kind) bucket it was in, from that week's
  // interactions of that kind (bounded by a week of the account's activity).
  const absl::Time week = WeekStart(ToTime(found->occur_time()));
  const Value bucket_key[] = {std::string(tenant), account_id, ToMicros(week),
                              int64_t{found->kind()}};
  RETURN_IF_ERROR(txn.Exec("DELETE FROM activity_buckets WHERE tenant = ? AND "
                           "account_id = ? AND week_us = ? AND kind = ?",
                           bucket_key)
                      .status());
  const Value week_range[] = {std::string(tenant), account_id, ToMicros(week),
                              ToMicros(week + absl::Hours(24 * 7)),
                              int64_t{found->kind()}};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(
          "SELECT data FROM interactions WHERE tenant = ? AND "
          "account_id = ? AND occur_us >= ? AND occur_us < ? AND kind = ?",
          week_range));
  ASSIGN_OR_RETURN(std::vector<v1::Interaction> same_bucket, ParseAll(rows));
  ASSIGN_OR_RETURN(std::string currency,
                   AccountCurrency(txn, tenant, account_id));
  const ActivitySummary rebuilt = Summarize(same_bucket, currency);
  RETURN_IF_ERROR(AddAggregates(txn, tenant, account_id, rebuilt.buckets, {}));

  if (!contact_id.empty()) {
    const Value contact_key[] = {std::string(tenant), account_id, contact_id};
    RETURN_IF_ERROR(txn.Exec("DELETE FROM activity_contacts WHERE tenant = ? "
                             "AND account_id = ? AND contact_id = ?",
                             contact_key)
                        .status());
    const Value by_contact[] = {std::string(tenant), contact_id, account_id};
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> stats,
        txn.Query("SELECT count(*), min(occur_us), max(occur_us) FROM "
                  "interactions WHERE tenant = ? AND contact_id = ? AND "
                  "contact_id != '' AND account_id = ?",
                  by_contact));
    if (!stats.empty() && stats[0].Int(0) > 0) {
      ContactActivity activity{found->contact(), stats[0].Int(0),
                               FromMicros(stats[0].Int(1)),
                               FromMicros(stats[0].Int(2))};
      RETURN_IF_ERROR(
          AddAggregates(txn, tenant, account_id, {}, {std::move(activity)}));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Interaction>> SqliteInteractionStore::List(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id, const InteractionFilter& filter,
    const std::optional<TimelineCursor>& after, int limit) {
  std::string sql =
      "SELECT data FROM interactions WHERE tenant = ? AND account_id = ?";
  std::vector<Value> params = {std::string(tenant), std::string(account_id)};
  if (!filter.kinds.empty()) {
    absl::StrAppend(
        &sql, " AND kind IN (",
        absl::StrJoin(std::vector<std::string>(filter.kinds.size(), "?"), ", "),
        ")");
    for (int kind : filter.kinds) params.emplace_back(int64_t{kind});
  }
  if (!filter.contact_id.empty()) {
    sql += " AND contact_id = ?";
    params.emplace_back(filter.contact_id);
  }
  if (!filter.staff_user.empty()) {
    sql += " AND staff_user = ?";
    params.emplace_back(filter.staff_user);
  }
  if (filter.start != absl::InfinitePast()) {
    sql += " AND occur_us >= ?";
    params.emplace_back(ToMicros(filter.start));
  }
  if (filter.end != absl::InfiniteFuture()) {
    sql += " AND occur_us < ?";
    params.emplace_back(ToMicros(filter.end));
  }
  if (after.has_value()) {
    sql += " AND (occur_us < ? OR (occur_us = ? AND interaction_id < ?))";
    params.emplace_back(after->occur_us);
    params.emplace_back(after->occur_us);
    params.emplace_back(after->id);
  }
  absl::StrAppend(&sql, " ORDER BY occur_us DESC, interaction_id DESC LIMIT ",
                  limit);
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(sql, params));
  return ParseAll(rows);
}

absl::StatusOr<ActivitySummary> SqliteInteractionStore::LoadActivity(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id, absl::Time since) {
  ActivitySummary summary;
  const Value params[] = {std::string(tenant), std::string(account_id),
                          since == absl::InfinitePast()
                              ? std::numeric_limits<int64_t>::min()
                              : ToMicros(WeekStart(since))};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT week_us, kind, count, personalized, standard, "
                "inbound, amount_minor, amount_count, rating_sum, "
                "rating_count, first_us, last_us FROM activity_buckets WHERE "
                "tenant = ? AND account_id = ? AND week_us >= ? ORDER BY "
                "week_us, kind",
                params));
  summary.buckets.reserve(rows.size());
  for (const sql::Row& row : rows) {
    KindBucket b;
    b.week_start = FromMicros(row.Int(0));
    b.kind = static_cast<v1::InteractionKind>(row.Int(1));
    b.count = row.Int(2);
    b.personalized = row.Int(3);
    b.standard = row.Int(4);
    b.inbound = row.Int(5);
    b.amount_minor = row.Int(6);
    b.amount_count = row.Int(7);
    b.rating_sum = row.Int(8);
    b.rating_count = row.Int(9);
    b.first_time = FromMicros(row.Int(10));
    b.last_time = FromMicros(row.Int(11));
    summary.buckets.push_back(b);
  }
  const Value key[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> contacts,
      txn.Query("SELECT contact_id, count, first_us, last_us FROM "
                "activity_contacts WHERE tenant = ? AND account_id = ? "
                "ORDER BY contact_id",
                key));
  for (const sql::Row& row : contacts) {
    summary.contacts.push_back({absl::StrCat("contacts/", row.String(0)),
                                row.Int(1), FromMicros(row.Int(2)),
                                FromMicros(row.Int(3))});
  }
  return summary;
}

absl::StatusOr<std::pair<absl::Time, int64_t>> SqliteInteractionStore::Totals(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT min(occur_us), count(*) FROM "
                             "interactions WHERE tenant = ? AND account_id = ?",
                             key));
  if (rows.empty() || rows[0].Int(1) == 0) {
    return std::make_pair(absl::InfinitePast(), int64_t{0});
  }
  return std::make_pair(FromMicros(rows[0].Int(0)), rows[0].Int(1));
}

absl::StatusOr<std::vector<v1::Interaction>>
SqliteInteractionStore::ListByContact(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view contact_id,
                                      absl::string_view after_id, int limit) {
  const Value params[] = {std::string(tenant), std::string(contact_id),
                          std::string(after_id), int64_t{limit}};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT data FROM interactions WHERE tenant = ? AND "
                "contact_id = ? AND contact_id != '' AND interaction_id > ? "
                "ORDER BY interaction_id LIMIT ?",
                params));
  return ParseAll(rows);
}

absl::Status SqliteInteractionStore::DeleteAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  RETURN_IF_ERROR(
      txn.Exec("DELETE FROM interactions WHERE tenant = ? AND account_id = ?",
               key)
          .status());
  return DeleteAggregates(txn, tenant, account_id);
}

absl::StatusOr<std::vector<std::string>> SqliteInteractionStore::ForgetContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  const Value key[] = {std::string(tenant), std::string(contact_id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT data FROM interactions WHERE tenant = ? "
                             "AND contact_id = ? AND contact_id != ''",
                             key));
  ASSIGN_OR_RETURN(std::vector<v1::Interaction> named, ParseAll(rows));
  std::vector<std::string> accounts;
  for (v1::Interaction& interaction : named) {
    // The fact stays (it still shapes the account's score); who it was with
    // and what was said go.
    interaction.clear_contact();
    interaction.clear_summary();
    RETURN_IF_ERROR(WriteInteraction(txn, tenant, interaction, true));
    std::string account_id = IdOf(interaction.account());
    if (std::find(accounts.begin(), accounts.end(), account_id) ==
        accounts.end()) {
      accounts.push_back(std::move(account_id));
    }
  }
  RETURN_IF_ERROR(txn.Exec("DELETE FROM activity_contacts WHERE tenant = ? "
                           "AND contact_id = ?",
                           key)
                      .status());
  return accounts;
}

absl::Status SqliteInteractionStore::MoveAccount(sql::Transaction& txn,
                                                 absl::string_view tenant,
                                                 absl::string_view from,
                                                 absl::string_view to,
                                                 absl::string_view currency) {
  ASSIGN_OR_RETURN(std::vector<v1::Interaction> moved,
                   AccountTimeline(txn, tenant, from));
  const std::string survivor = absl::StrCat("accounts/", to);
  for (v1::Interaction& interaction : moved) {
    interaction.set_account(survivor);
    RETURN_IF_ERROR(WriteInteraction(txn, tenant, interaction, true));
  }
  RETURN_IF_ERROR(DeleteAggregates(txn, tenant, from));
  return RebuildAggregates(txn, tenant, to, currency);
}

}  // namespace clientele::engagement
