// The engagement backend over a real SQLite database: the projection fed by
// contacts' events, recording, aggregates that stay equal to a recount,
// scores, rescoring and score changes, merges, erasure. The Redis score
// cache has its own tests (redis_score_cache_test.cc), and the backend over
// it engagement_backend_redis_test.cc.
#include "services/engagement/engagement_backend.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clientele/events/v1/event.pb.h"
#include "common/errors.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_backend_fixture_for_test.h"
#include "services/engagement/interaction_manager.h"
#include "services/engagement/sqlite_interaction_store.h"

namespace clientele::engagement {
namespace {

TEST_F(EngagementBackendTest, UnknownAccountIsNotFoundUntilContactsTellsUs) {
  auto refused = Record(
      {Interaction("law-firm", v1::INTERACTION_KIND_MEETING, absl::Hours(1))});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(
      absl::StrContains(refused.status().message(), "accounts/law-firm"));
  EXPECT_EQ(Score("law-firm").status().code(), absl::StatusCode::kNotFound);

  ASSERT_TRUE(CreateAccount("law-firm").ok());
  auto recorded = Record(
      {Interaction("law-firm", v1::INTERACTION_KIND_MEETING, absl::Hours(1))});
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ((*recorded)[0].account(), "accounts/law-firm");
  EXPECT_EQ((*recorded)[0].personalization(), v1::PERSONALIZATION_PERSONALIZED);
  auto score = Score("law-firm");
  ASSERT_TRUE(score.ok()) << score.status();
  EXPECT_EQ(score->interaction_count(), 1);
}

TEST_F(EngagementBackendTest, ValidationNamesEveryBadFieldAndWritesNothing) {
  ASSERT_TRUE(CreateAccount("a").ok());
  v1::Interaction future =
      Interaction("a", v1::INTERACTION_KIND_EMAIL, -absl::Hours(1));
  v1::Interaction bad_money =
      Interaction("a", v1::INTERACTION_KIND_PURCHASE, absl::Hours(1));
  bad_money.mutable_amount()->set_currency_code("EURO");
  bad_money.mutable_amount()->set_amount_minor_units(-5);
  v1::Interaction ticket =
      Interaction("a", v1::INTERACTION_KIND_TICKET_SOLVED, absl::Hours(1));
  v1::Interaction rating =
      Interaction("a", v1::INTERACTION_KIND_EMAIL, absl::Hours(1));
  rating.set_rating(4);
  auto status =
      Record({Interaction("a", v1::INTERACTION_KIND_EMAIL, absl::Hours(1)),
              future, bad_money, ticket, rating})
          .status();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "interactions[1].occur_time",
                        "interactions[2].amount.currency_code",
                        "interactions[2].amount.amount_minor_units",
                        "interactions[3].kind", "interactions[4].rating"}));
  EXPECT_EQ(Count("SELECT count(*) FROM interactions"), 0);

  std::vector<v1::Interaction> too_many(
      kMaxBatchInteractions + 1,
      Interaction("a", v1::INTERACTION_KIND_EMAIL, absl::Hours(1)));
  const absl::Status over = Record(too_many).status();
  EXPECT_EQ(over.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(over).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(over)[0].field, "interactions");
}

TEST_F(EngagementBackendTest, RetryWithTheSameRequestIdRecordsOnce) {
  ASSERT_TRUE(CreateAccount("a").ok());
  std::vector<v1::Interaction> batch = {
      Interaction("a", v1::INTERACTION_KIND_EMAIL, absl::Hours(2)),
      Interaction("a", v1::INTERACTION_KIND_CALL, absl::Hours(1))};
  auto first = Record(batch, "req-1");
  auto again = Record(batch, "req-1");
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ((*first)[1].name(), (*again)[1].name());
  EXPECT_EQ(Count("SELECT count(*) FROM interactions"), 2);
  EXPECT_EQ(Score("a")->interaction_count(), 2);
  batch.pop_back();
  EXPECT_EQ(Record(batch, "req-1").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(EngagementBackendTest, AggregatesEqualARecountAfterRecordsAndDeletes) {
  ASSERT_TRUE(CreateAccount("a").ok());
  std::vector<v1::Interaction> batch;
  for (int day = 0; day < 60; ++day) {
    v1::Interaction purchase =
        Interaction("a", v1::INTERACTION_KIND_PURCHASE,
                    absl::Hours(24 * day + 1), day % 3 == 0 ? "alice" : "bob");
    purchase.mutable_amount()->set_currency_code("EUR");
    purchase.mutable_amount()->set_amount_minor_units(1000 + day);
    batch.push_back(purchase);
  }
  auto recorded = Record(batch);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  ASSERT_TRUE(
      backend_->interactions().Delete(caller(), (*recorded)[7].name()).ok());
  recorded->erase(recorded->begin() + 7);

  ActivitySummary expected;
  expected.currency = "EUR";
  for (const v1::Interaction& interaction : *recorded) {
    AddToSummary(interaction, &expected);
  }
  SqliteInteractionStore store;
  ActivitySummary stored;
  ASSERT_TRUE(database_
                  ->Read([&](sql::Transaction& txn) -> absl::Status {
                    auto loaded = store.LoadActivity(txn, kTenant, "a",
                                                     absl::InfinitePast());
                    if (!loaded.ok()) return loaded.status();
                    stored = *std::move(loaded);
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(stored.buckets.size(), expected.buckets.size());
  for (size_t i = 0; i < stored.buckets.size(); ++i) {
    EXPECT_EQ(stored.buckets[i].week_start, expected.buckets[i].week_start);
    EXPECT_EQ(stored.buckets[i].count, expected.buckets[i].count);
    EXPECT_EQ(stored.buckets[i].amount_minor, expected.buckets[i].amount_minor);
    EXPECT_EQ(stored.buckets[i].first_time, expected.buckets[i].first_time);
    EXPECT_EQ(stored.buckets[i].last_time, expected.buckets[i].last_time);
  }
  ASSERT_EQ(stored.contacts.size(), 2u);
  EXPECT_EQ(stored.contacts[0].count + stored.contacts[1].count, 59);
  EXPECT_EQ(Score("a")->interaction_count(), 59);
}

TEST_F(EngagementBackendTest, InteractionCountCoversTheWholeHistory) {
  // Four years of a meeting every two weeks: the score reads a few years of
  // buckets, but counts every interaction up to its as_of, now or earlier.
  ASSERT_TRUE(CreateAccount("a").ok());
  std::vector<v1::Interaction> batch;
  for (int days = 1456; days > 0; days -= 14) {
    batch.push_back(
        Interaction("a", v1::INTERACTION_KIND_MEETING, absl::Hours(24 * days)));
  }
  ASSERT_TRUE(Record(batch).ok());
  EXPECT_EQ(Score("a")->interaction_count(), 104);
  // An hour after the meeting three years ago: it and the 26 before it.
  const google::protobuf::Timestamp three_years_ago =
      ToTimestamp(clock_.Now() - absl::Hours(24 * 1092 - 1));
  auto then = backend_->scores().Get(caller(), "accounts/a/relationshipScore",
                                     &three_years_ago,
                                     v1::RELATIONSHIP_SCORE_VIEW_FULL);
  ASSERT_TRUE(then.ok()) << then.status();
  EXPECT_EQ(then->interaction_count(), 27);
}

TEST_F(EngagementBackendTest, TheSameStaffMemberServingIsTheDedicatedPerson) {
  // No account manager on file; one practitioner records every session.
  ASSERT_TRUE(CreateAccount("a").ok());
  std::vector<v1::Interaction> batch;
  for (int weeks = 30; weeks > 0; --weeks) {
    v1::Interaction session = Interaction(
        "a", v1::INTERACTION_KIND_ADVICE_SESSION, absl::Hours(24 * 7 * weeks));
    session.set_staff_user("dr-lee");
    batch.push_back(session);
  }
  ASSERT_TRUE(Record(batch).ok());
  auto score = Score("a");
  ASSERT_TRUE(score.ok()) << score.status();
  bool found = false;
  for (const auto& signal : score->mode_assessment().deciding_signals()) {
    if (signal.kind() != v1::MODE_SIGNAL_KIND_DEDICATED_MANAGER) continue;
    found = true;
    EXPECT_GT(signal.lean(), 0.5);
    EXPECT_TRUE(absl::StrContains(signal.observation(), "dr-lee served 30"))
        << signal.observation();
  }
  EXPECT_TRUE(found) << score->DebugString();
}

TEST_F(EngagementBackendTest, RescoringRecordsAChangeWithItsCausesAndAnEvent) {
  ASSERT_TRUE(CreateAccount("a", "manager-1").ok());
  auto recorded = Record(
      {Interaction("a", v1::INTERACTION_KIND_MEETING, absl::Hours(3)),
       Interaction("a", v1::INTERACTION_KIND_ADVICE_SESSION, absl::Hours(2))});
  ASSERT_TRUE(recorded.ok());
  auto handled = backend_->scores().RescoreDirty(64);
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 1);
  EXPECT_EQ(*backend_->scores().RescoreDirty(64), 0);  // nothing left

  v1::ListScoreChangesRequest request;
  request.set_parent("accounts/a/relationshipScore");
  auto changes = backend_->scores().ListChanges(caller(), request);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->score_changes_size(), 1);
  const v1::ScoreChange& change = changes->score_changes(0);
  EXPECT_FALSE(change.has_previous_score());
  std::vector<std::string> causes;
  for (const auto& cause : change.causes()) causes.push_back(cause.resource());
  EXPECT_TRUE(std::find(causes.begin(), causes.end(), (*recorded)[1].name()) !=
              causes.end());
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE instr(payload, "
                  "CAST('/changes/' AS BLOB)) > 0"),
            1);
}

TEST_F(EngagementBackendTest, MergedAwayAccountAnswersWithItsSurvivor) {
  ASSERT_TRUE(CreateAccount("keep").ok());
  ASSERT_TRUE(CreateAccount("gone").ok());
  ASSERT_TRUE(
      Record({Interaction("keep", v1::INTERACTION_KIND_CALL, absl::Hours(5)),
              Interaction("gone", v1::INTERACTION_KIND_CALL, absl::Hours(4)),
              Interaction("gone", v1::INTERACTION_KIND_EMAIL, absl::Hours(3))})
          .ok());
  events::v1::Event merged;
  merged.mutable_accounts_merged()->set_survivor("accounts/keep");
  merged.mutable_accounts_merged()->set_merged("accounts/gone");
  merged.mutable_accounts_merged()->mutable_survivor_account()->set_name(
      "accounts/keep");
  ASSERT_TRUE(Deliver(merged).ok());
  EXPECT_EQ(Score("keep")->interaction_count(), 3);
  auto via_old_name = Score("gone");
  ASSERT_TRUE(via_old_name.ok());
  EXPECT_EQ(via_old_name->account(), "accounts/keep");
  auto later =
      Record({Interaction("gone", v1::INTERACTION_KIND_CALL, absl::Hours(1))});
  ASSERT_TRUE(later.ok());
  EXPECT_EQ((*later)[0].account(), "accounts/keep");
}

// Hostile amounts: each is bounded, and no sum of them overflows, however
// many an account records (the asan build traps signed overflow).
TEST_F(EngagementBackendTest, AmountsAreBoundedAndSumsSaturate) {
  ASSERT_TRUE(CreateAccount("a").ok());
  ASSERT_TRUE(CreateAccount("b").ok());
  auto money = [&](const std::string& account, v1::InteractionKind kind,
                   int64_t minor, absl::Duration ago = absl::Hours(1)) {
    v1::Interaction interaction = Interaction(account, kind, ago);
    interaction.mutable_amount()->set_currency_code("EUR");
    interaction.mutable_amount()->set_amount_minor_units(minor);
    return interaction;
  };
  auto fields = [](const absl::Status& status) {
    std::vector<std::string> out;
    for (const FieldViolation& v : FieldViolationsOf(status)) {
      out.push_back(v.field);
    }
    return out;
  };
  // Two purchases near INT64_MAX in one batch: each is refused, by name.
  const int64_t near_max = std::numeric_limits<int64_t>::max() - 1;
  absl::Status status =
      Record({money("a", v1::INTERACTION_KIND_PURCHASE, near_max),
              money("a", v1::INTERACTION_KIND_PURCHASE, near_max)})
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(fields(status), (std::vector<std::string>{
                                "interactions[0].amount.amount_minor_units",
                                "interactions[1].amount.amount_minor_units"}));
  status = Record({money("a", v1::INTERACTION_KIND_REFUND,
                         -kMaxAmountMinorUnits - 1)})
               .status();
  EXPECT_EQ(fields(status),
            std::vector<std::string>{"interaction.amount.amount_minor_units"});
  status = Record({money("a", v1::INTERACTION_KIND_REFUND,
                         std::numeric_limits<int64_t>::min())})
               .status();
  EXPECT_EQ(fields(status),
            std::vector<std::string>{"interaction.amount.amount_minor_units"});
  EXPECT_EQ(Count("SELECT count(*) FROM interactions"), 0);

  // At the bound, as many as anyone sends: two full batches in one week
  // (10^19 in all) saturate the week's stored sum instead of wrapping.
  const std::vector<v1::Interaction> full(
      kMaxBatchInteractions,
      money("a", v1::INTERACTION_KIND_PURCHASE, kMaxAmountMinorUnits));
  ASSERT_TRUE(Record(full).ok());
  ASSERT_TRUE(Record(full).ok());
  const std::string purchases = absl::StrCat(
      "SELECT max(amount_minor) FROM activity_buckets WHERE account_id = 'a' "
      "AND kind = ",
      int{v1::INTERACTION_KIND_PURCHASE});
  const std::string not_integers =
      "SELECT count(*) FROM activity_buckets WHERE typeof(amount_minor) != "
      "'integer'";
  EXPECT_EQ(Count(purchases), kMaxAmountSum);
  EXPECT_EQ(Count(not_integers), 0);  // SQLite's overflow would make a REAL
  // A refund at the bound brings the account's spend back below the top.
  ASSERT_TRUE(
      Record({money("a", v1::INTERACTION_KIND_REFUND, -kMaxAmountMinorUnits)})
          .ok());
  auto score = Score("a");
  ASSERT_TRUE(score.ok()) << score.status();
  EXPECT_EQ(score->interaction_count(), 2 * kMaxBatchInteractions + 1);
  bool monetary = false;
  for (const v1::ScoreComponent& component : score->components()) {
    if (component.kind() != v1::SCORE_COMPONENT_KIND_MONETARY) continue;
    monetary = true;
    EXPECT_EQ(component.value(), 1.0);  // a very large spend, not a negative
    EXPECT_TRUE(absl::StrContains(component.observation(),
                                  "spent 92,223,720,368,547,758.07 EUR"))
        << component.observation();
  }
  EXPECT_TRUE(monetary);

  // A merge sums both timelines again, in memory: it saturates too, and so
  // does the score's sum of the saturated week with b's, a week earlier.
  const std::vector<v1::Interaction> full_b(
      kMaxBatchInteractions, money("b", v1::INTERACTION_KIND_PURCHASE,
                                   kMaxAmountMinorUnits, absl::Hours(24 * 8)));
  ASSERT_TRUE(Record(full_b).ok());
  events::v1::Event merged;
  merged.mutable_accounts_merged()->set_survivor("accounts/a");
  merged.mutable_accounts_merged()->set_merged("accounts/b");
  merged.mutable_accounts_merged()->mutable_survivor_account()->set_name(
      "accounts/a");
  ASSERT_TRUE(Deliver(merged).ok());
  EXPECT_EQ(Count(purchases), kMaxAmountSum);
  EXPECT_EQ(Count(not_integers), 0);
  score = Score("a");
  ASSERT_TRUE(score.ok()) << score.status();
  EXPECT_EQ(score->interaction_count(), 3 * kMaxBatchInteractions + 1);
  for (const v1::ScoreComponent& component : score->components()) {
    if (component.kind() != v1::SCORE_COMPONENT_KIND_MONETARY) continue;
    EXPECT_TRUE(absl::StrContains(component.observation(),
                                  "spent 92,223,720,368,547,758.07 EUR"))
        << component.observation();
  }
}

TEST_F(EngagementBackendTest, ErasureLeavesNothingOfTheAccountOrThePerson) {
  ASSERT_TRUE(CreateAccount("a").ok());
  ASSERT_TRUE(CreateAccount("b").ok());
  ASSERT_TRUE(
      Record({Interaction("a", v1::INTERACTION_KIND_MEETING, absl::Hours(2)),
              Interaction("b", v1::INTERACTION_KIND_MEETING, absl::Hours(2),
                          "person-7")},
             "req-erase")
          .ok());
  ASSERT_TRUE(backend_->scores().RescoreDirty(64).ok());

  events::v1::Event erased;
  erased.mutable_data_subject_erased()->set_erased_account("accounts/a");
  erased.mutable_data_subject_erased()->add_erased_contacts(
      "contacts/person-7");
  ASSERT_TRUE(Deliver(erased).ok());

  EXPECT_EQ(Score("a").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(
      Record({Interaction("a", v1::INTERACTION_KIND_CALL, absl::Hours(1))})
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(Count("SELECT count(*) FROM interactions WHERE account_id = 'a'"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM activity_buckets WHERE account_id = "
                  "'a'"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM account_scores WHERE account_id = "
                  "'a'"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM interactions WHERE instr(data, "
                  "'person-7') > 0 OR instr(data, 'Quarterly') > 0"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM idempotency_keys"), 0);
  // The person's interaction with b still counts for b, anonymously.
  EXPECT_EQ(Score("b")->interaction_count(), 1);
}

}  // namespace
}  // namespace clientele::engagement
