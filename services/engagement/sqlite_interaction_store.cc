#include "services/engagement/sqlite_interaction_store.h"

#include <algorithm>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"
#include "services/engagement/interaction_rules.h"
#include "services/engagement/packed_activity.h"

namespace clientele::engagement {
namespace {

using sql::Value;

// interactions.week_us of an occur time: WeekStart in microseconds, by
// arithmetic (as the migration that added the column computes it), since
// it runs for every row stored.
int64_t WeekOf(int64_t occur_us) {
  constexpr int64_t kWeek = int64_t{7} * 24 * 3600 * 1000000;
  constexpr int64_t kFirstMonday = int64_t{4} * 24 * 3600 * 1000000;
  return occur_us - ((occur_us - kFirstMonday) % kWeek + kWeek) % kWeek;
}

// Rows per INSERT statement when storing a batch: a power of two, so that
// every batch is stored by at most log2(kMaxRowsPerInsert) + 1 distinct
// statement texts (kept prepared) plus full ones.
constexpr int kMaxRowsPerInsert = 64;

constexpr absl::string_view kInteractionColumns =
    " INTO interactions (tenant, interaction_id, account_id, contact_id, "
    "kind, staff_user, occur_us, week_us, data) VALUES ";
constexpr absl::string_view kInteractionPlaceholders =
    "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr size_t kInteractionColumnCount = 9;

// The statement inserting `rows` interactions, a power of two up to
// kMaxRowsPerInsert.
const std::string& InsertSql(int rows) {
  static const auto* const texts = [] {
    auto* texts = new std::vector<std::string>();
    for (int n = 1; n <= kMaxRowsPerInsert; n *= 2) {
      std::string sql = absl::StrCat("INSERT", kInteractionColumns);
      for (int i = 0; i < n; ++i) {
        absl::StrAppend(&sql, i == 0 ? "" : ", ", kInteractionPlaceholders);
      }
      texts->push_back(std::move(sql));
    }
    return texts;
  }();
  int index = 0;
  while ((1 << index) < rows) ++index;
  return (*texts)[index];
}

// Appends the column values of `interaction`, in kInteractionColumns order.
void AppendRow(absl::string_view tenant, const v1::Interaction& interaction,
               std::vector<Value>* params) {
  const int64_t occur_us = ToMicros(ToTime(interaction.occur_time()));
  params->emplace_back(std::string(tenant));
  params->emplace_back(IdOf(interaction.name()));
  params->emplace_back(IdOf(interaction.account()));
  params->emplace_back(IdOf(interaction.contact()));
  params->emplace_back(int64_t{interaction.kind()});
  params->emplace_back(interaction.staff_user());
  params->emplace_back(occur_us);
  params->emplace_back(WeekOf(occur_us));
  params->emplace_back(sql::Blob{interaction.SerializeAsString()});
}

// Appends "?, ?, ...)" for the ServedByStaff kinds to `sql`, and the kinds
// to `params`: the staff lines count only those.
void AppendServedKinds(std::string* sql, std::vector<Value>* params) {
  bool first = true;
  for (int k = v1::InteractionKind_MIN; k <= v1::InteractionKind_MAX; ++k) {
    if (!v1::InteractionKind_IsValid(k) ||
        !ServedByStaff(static_cast<v1::InteractionKind>(k))) {
      continue;
    }
    absl::StrAppend(sql, first ? "?" : ", ?");
    params->emplace_back(int64_t{k});
    first = false;
  }
  sql->append(")");
}

absl::StatusOr<v1::Interaction> Parse(const std::string& bytes) {
  return sql::ParseStored<v1::Interaction>(bytes, "interaction");
}

absl::StatusOr<std::vector<v1::Interaction>> ParseAll(
    const std::vector<sql::Row>& rows) {
  return sql::ParseStoredColumn<v1::Interaction>(rows, 0, "interaction");
}

// Adds `buckets`, `contacts` and `staff` to the stored aggregates of an
// account (creating rows as needed): the one place aggregates are written.
// Amount sums saturate as SaturatingAdd does (common/money.h): SQLite turns an
// integer sum that overflows into a REAL, which min/max clamp back to the
// integer bound.
static_assert(kMaxAmountSum == 9223372036854775807,
              "the upsert below spells the bound out");
absl::Status AddAggregates(sql::Transaction& txn, absl::string_view tenant,
                           absl::string_view account_id,
                           const std::vector<KindBucket>& buckets,
                           const std::vector<ContactActivity>& contacts,
                           const std::vector<StaffActivity>& staff) {
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
               "amount_minor = max(-9223372036854775807, "
               "min(9223372036854775807, "
               "amount_minor + excluded.amount_minor)), "
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
  for (const StaffActivity& s : staff) {
    const Value params[] = {std::string(tenant),    std::string(account_id),
                            s.staff_user,           s.count,
                            ToMicros(s.first_time), ToMicros(s.last_time)};
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO activity_staff (tenant, account_id, "
                 "staff_user, count, first_us, last_us) VALUES (?, ?, ?, ?, "
                 "?, ?) ON CONFLICT (tenant, account_id, staff_user) DO "
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
  RETURN_IF_ERROR(txn.Exec("DELETE FROM activity_contacts WHERE tenant = ? "
                           "AND account_id = ?",
                           key)
                      .status());
  return txn
      .Exec("DELETE FROM activity_staff WHERE tenant = ? AND account_id = ?",
            key)
      .status();
}

absl::StatusOr<std::vector<v1::Interaction>> AccountTimeline(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT data FROM interactions WHERE tenant = ? "
                             "AND account_id = ? ORDER BY week_us, occur_us, "
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
                       summary.contacts, summary.staff);
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

// The account's buckets with week_us >= min_week_us and all its contacts
// and staff, read from the aggregate tables (the source of truth).
absl::StatusOr<ActivitySummary> ReadAggregates(sql::Transaction& txn,
                                               absl::string_view tenant,
                                               absl::string_view account_id,
                                               int64_t min_week_us) {
  ActivitySummary summary;
  const Value params[] = {std::string(tenant), std::string(account_id),
                          min_week_us};
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
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> staff,
      txn.Query("SELECT staff_user, count, first_us, last_us FROM "
                "activity_staff WHERE tenant = ? AND account_id = ? ORDER BY "
                "staff_user",
                key));
  for (const sql::Row& row : staff) {
    summary.staff.push_back({row.String(0), row.Int(1), FromMicros(row.Int(2)),
                             FromMicros(row.Int(3))});
  }
  return summary;
}

absl::Status DeletePacked(sql::Transaction& txn, absl::string_view tenant,
                          absl::string_view account_id) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  return txn
      .Exec("DELETE FROM activity_packed WHERE tenant = ? AND account_id = ?",
            key)
      .status();
}

// Rewrites the account's row of activity_packed from its aggregate rows.
// Every method that changes an account's activity_buckets,
// activity_contacts or activity_staff calls this (once per account) before it
// returns, so that a packed row, when present, always equals the tables.
absl::Status Repack(sql::Transaction& txn, absl::string_view tenant,
                    absl::string_view account_id) {
  ASSIGN_OR_RETURN(ActivitySummary all,
                   ReadAggregates(txn, tenant, account_id,
                                  std::numeric_limits<int64_t>::min()));
  if (all.buckets.empty() && all.contacts.empty() && all.staff.empty()) {
    return DeletePacked(txn, tenant, account_id);
  }
  const Value row[] = {
      std::string(tenant), std::string(account_id),
      sql::Blob{PackActivity(all.buckets, all.contacts, all.staff)}};
  return txn
      .Exec(
          "REPLACE INTO activity_packed (tenant, account_id, data) VALUES "
          "(?, ?, ?)",
          row)
      .status();
}

absl::Status WriteInteraction(sql::Transaction& txn, absl::string_view tenant,
                              const v1::Interaction& interaction,
                              bool replace) {
  static const std::string* const kInsert = new std::string(
      absl::StrCat("INSERT", kInteractionColumns, kInteractionPlaceholders));
  static const std::string* const kReplace = new std::string(
      absl::StrCat("REPLACE", kInteractionColumns, kInteractionPlaceholders));
  std::vector<Value> params;
  params.reserve(kInteractionColumnCount);
  AppendRow(tenant, interaction, &params);
  return txn.Exec(replace ? *kReplace : *kInsert, params).status();
}

}  // namespace

absl::Status SqliteInteractionStore::Insert(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id, absl::string_view currency,
    absl::Span<const v1::Interaction* const> interactions) {
  // Several rows per statement: a statement's fixed cost (preparing the
  // step, binding, resetting) then counts once per chunk instead of per row.
  std::vector<Value> params;
  size_t next = 0;
  while (next < interactions.size()) {
    size_t rows = kMaxRowsPerInsert;
    while (rows > interactions.size() - next) rows /= 2;
    params.clear();
    params.reserve(rows * kInteractionColumnCount);
    for (size_t i = next; i < next + rows; ++i) {
      AppendRow(tenant, *interactions[i], &params);
    }
    RETURN_IF_ERROR(
        txn.Exec(InsertSql(static_cast<int>(rows)), params).status());
    next += rows;
  }
  ActivitySummary delta;
  delta.currency = std::string(currency);
  for (const v1::Interaction* interaction : interactions) {
    AddToSummary(*interaction, &delta);
  }
  RETURN_IF_ERROR(AddAggregates(txn, tenant, account_id, delta.buckets,
                                delta.contacts, delta.staff));
  return Repack(txn, tenant, account_id);
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
  const Value week_key[] = {std::string(tenant), account_id, ToMicros(week),
                            int64_t{found->kind()}};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT data FROM interactions WHERE tenant = ? "
                             "AND account_id = ? AND week_us = ? AND kind = ?",
                             week_key));
  ASSIGN_OR_RETURN(std::vector<v1::Interaction> same_bucket, ParseAll(rows));
  ASSIGN_OR_RETURN(std::string currency,
                   AccountCurrency(txn, tenant, account_id));
  const ActivitySummary rebuilt = Summarize(same_bucket, currency);
  RETURN_IF_ERROR(
      AddAggregates(txn, tenant, account_id, rebuilt.buckets, {}, {}));

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
      RETURN_IF_ERROR(AddAggregates(txn, tenant, account_id, {},
                                    {std::move(activity)}, {}));
    }
  }
  // The staff member's line, recounted the same way.
  if (!found->staff_user().empty() && ServedByStaff(found->kind())) {
    const Value staff_key[] = {std::string(tenant), account_id,
                               found->staff_user()};
    RETURN_IF_ERROR(txn.Exec("DELETE FROM activity_staff WHERE tenant = ? "
                             "AND account_id = ? AND staff_user = ?",
                             staff_key)
                        .status());
    std::vector<Value> by_staff = {std::string(tenant), account_id,
                                   found->staff_user()};
    std::string sql =
        "SELECT count(*), min(occur_us), max(occur_us) FROM interactions "
        "WHERE tenant = ? AND account_id = ? AND staff_user = ? AND kind IN (";
    AppendServedKinds(&sql, &by_staff);
    ASSIGN_OR_RETURN(std::vector<sql::Row> stats, txn.Query(sql, by_staff));
    if (!stats.empty() && stats[0].Int(0) > 0) {
      StaffActivity activity{found->staff_user(), stats[0].Int(0),
                             FromMicros(stats[0].Int(1)),
                             FromMicros(stats[0].Int(2))};
      RETURN_IF_ERROR(AddAggregates(txn, tenant, account_id, {}, {},
                                    {std::move(activity)}));
    }
  }
  return Repack(txn, tenant, account_id);
}

absl::StatusOr<std::vector<v1::Interaction>> SqliteInteractionStore::List(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id, const InteractionFilter& filter,
    const std::optional<TimelineCursor>& after, int limit) {
  // The inner query picks the page's ids from interactions_by_week, weeks
  // newest first and sorted within each week (week_us orders like
  // occur_us), reading the rows only for the filters that need them; the
  // outer one reads the page's rows. Bounds on occur_us are repeated on
  // week_us so that SQLite seeks to the first week rather than walk to it.
  std::string sql =
      "SELECT data FROM interactions WHERE tenant = ? AND interaction_id IN "
      "(SELECT interaction_id FROM interactions WHERE tenant = ? AND "
      "account_id = ?";
  std::vector<Value> params = {std::string(tenant), std::string(tenant),
                               std::string(account_id)};
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
    sql += " AND week_us >= ? AND occur_us >= ?";
    params.emplace_back(WeekOf(ToMicros(filter.start)));
    params.emplace_back(ToMicros(filter.start));
  }
  if (filter.end != absl::InfiniteFuture()) {
    sql += " AND week_us <= ? AND occur_us < ?";
    params.emplace_back(WeekOf(ToMicros(filter.end) - 1));
    params.emplace_back(ToMicros(filter.end));
  }
  if (after.has_value()) {
    sql +=
        " AND week_us <= ? AND (occur_us < ? OR (occur_us = ? AND "
        "interaction_id < ?))";
    params.emplace_back(WeekOf(after->occur_us));
    params.emplace_back(after->occur_us);
    params.emplace_back(after->occur_us);
    params.emplace_back(after->id);
  }
  absl::StrAppend(&sql,
                  " ORDER BY week_us DESC, occur_us DESC, interaction_id DESC "
                  "LIMIT ",
                  limit, ") ORDER BY occur_us DESC, interaction_id DESC");
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(sql, params));
  return ParseAll(rows);
}

absl::StatusOr<ActivitySummary> SqliteInteractionStore::LoadActivity(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id, absl::Time since) {
  const int64_t min_week_us = since == absl::InfinitePast()
                                  ? std::numeric_limits<int64_t>::min()
                                  : ToMicros(WeekStart(since));
  const Value key[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> packed,
                   txn.Query("SELECT data FROM activity_packed WHERE tenant "
                             "= ? AND account_id = ?",
                             key));
  // No packed row: an account without activity, or one whose aggregates
  // were last written before activity_packed existed.
  if (packed.empty()) {
    return ReadAggregates(txn, tenant, account_id, min_week_us);
  }
  const Value& data = packed[0].value(0);
  const sql::Blob* blob = std::get_if<sql::Blob>(&data);
  if (blob == nullptr) {
    return absl::DataLossError("stored packed activity is not a blob");
  }
  ActivitySummary summary;
  RETURN_IF_ERROR(UnpackActivity(blob->bytes, min_week_us, &summary));
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
  RETURN_IF_ERROR(DeleteAggregates(txn, tenant, account_id));
  return DeletePacked(txn, tenant, account_id);
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
  // The accounts whose contact rows go are exactly those whose packed
  // activity changes (the interactions rewritten above are not in buckets).
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> touched,
      txn.Query("DELETE FROM activity_contacts WHERE tenant = ? AND "
                "contact_id = ? RETURNING account_id",
                key));
  for (const sql::Row& row : touched) {
    RETURN_IF_ERROR(Repack(txn, tenant, row.String(0)));
  }
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
  RETURN_IF_ERROR(DeletePacked(txn, tenant, from));
  RETURN_IF_ERROR(RebuildAggregates(txn, tenant, to, currency));
  return Repack(txn, tenant, to);
}

}  // namespace clientele::engagement
