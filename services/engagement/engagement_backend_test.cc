// The engagement backend over a real SQLite database: the projection fed by
// contacts' events, recording, aggregates that stay equal to a recount,
// scores, rescoring and score changes, merges, erasure; and the Redis score
// cache against a real redis-server.
#include "services/engagement/engagement_backend.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clientele/events/v1/event.pb.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/events/event_writer.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "common/redis/channel_subscriber.h"
#include "common/redis/hiredis_client.h"
#include "common/testing/caller_for_test.h"
#include "common/testing/redis_server_for_test.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "common/testing/wait_for.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_schema.h"
#include "services/engagement/redis_score_cache.h"
#include "services/engagement/sqlite_interaction_store.h"

namespace clientele::engagement {
namespace {

using ::clientele::testing::RedisServerForTest;
using ::clientele::testing::WaitFor;

constexpr char kTenant[] = "acme";

class EngagementBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = testing::OpenSqliteForTest(dir_, "engagement.db");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
    ASSERT_TRUE(database_->Migrate(EngagementMigrations()).ok());
    events_ = std::make_unique<events::EventWriter>("engagement", &clock_,
                                                    &event_ids_, nullptr);
    backend_ = std::make_unique<EngagementBackend>(
        database_.get(), events_.get(), &clock_, &ids_, cache());
  }

  virtual ScoreCache* cache() { return &no_cache_; }

  Caller caller(const std::string& tenant = kTenant) {
    return Caller{tenant, "role:admin", "trace"};
  }

  absl::Status Deliver(const events::v1::Event& event,
                       const std::string& tenant = kTenant) {
    return database_->Write([&](sql::Transaction& txn) {
      return backend_->projection().ApplyEvent(txn, tenant, event);
    });
  }

  absl::Status CreateAccount(const std::string& id,
                             const std::string& manager = "") {
    events::v1::Event event;
    auto* account = event.mutable_account_created()->mutable_account();
    account->set_name(absl::StrCat("accounts/", id));
    account->set_account_manager(manager);
    return Deliver(event);
  }

  v1::Interaction Interaction(const std::string& account,
                              v1::InteractionKind kind, absl::Duration ago,
                              const std::string& contact = "") {
    v1::Interaction interaction;
    interaction.set_account(absl::StrCat("accounts/", account));
    if (!contact.empty()) {
      interaction.set_contact(absl::StrCat("contacts/", contact));
    }
    interaction.set_kind(kind);
    SetTimestamp(clock_.Now() - ago, interaction.mutable_occur_time());
    interaction.set_direction(v1::INTERACTION_DIRECTION_INBOUND);
    interaction.set_channel(v1::INTERACTION_CHANNEL_EMAIL);
    interaction.set_summary("Quarterly review");
    return interaction;
  }

  absl::StatusOr<std::vector<v1::Interaction>> Record(
      std::vector<v1::Interaction> batch, const std::string& request_id = "") {
    v1::BatchRecordInteractionsRequest request;
    request.mutable_interactions()->Assign(batch.begin(), batch.end());
    request.set_request_id(request_id);
    return backend_->interactions().Record(
        testing::CallerServingForTest(caller(), request),
        request.interactions(), batch.size() == 1);
  }

  absl::StatusOr<v1::RelationshipScore> Score(const std::string& account) {
    return backend_->scores().Get(
        caller(), absl::StrCat("accounts/", account, "/relationshipScore"),
        nullptr, v1::RELATIONSHIP_SCORE_VIEW_FULL);
  }

  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(database_
                    ->Read([&](sql::Transaction& txn) -> absl::Status {
                      auto rows = txn.Query(sql);
                      if (!rows.ok()) return rows.status();
                      n = (*rows)[0].Int(0);
                      return absl::OkStatus();
                    })
                    .ok());
    return n;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  SequentialIdGenerator ids_{"id"};
  SequentialIdGenerator event_ids_{"event-"};
  NoScoreCache no_cache_;
  std::unique_ptr<sql::Database> database_;
  std::unique_ptr<events::EventWriter> events_;
  std::unique_ptr<EngagementBackend> backend_;
};

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

TEST(RedisScoreCacheTest, ServesOnlyTheVersionItWasComputedAt) {
  auto server = testing::RedisServerForTest::Create();
  ASSERT_TRUE(server.ok()) << server.status();
  redis::HiredisOptions options;
  options.port = (*server)->port();
  redis::HiredisClient redis(options);
  FakeClock clock;
  RedisScoreCache cache(&redis, {}, &clock);
  auto score = std::make_shared<v1::RelationshipScore>();
  score->set_score(71);
  const absl::Time now = clock.Now();
  SetTimestamp(now, score->mutable_compute_time());
  cache.Put("t", "a", {3, 0}, score);

  EXPECT_EQ(cache.Get("t", "a", {4, 0}, now), nullptr);  // newer revision
  EXPECT_EQ(cache.Get("t", "a", {3, 1}, now), nullptr);  // new policy
  EXPECT_EQ(cache.Get("u", "a", {3, 0}, now), nullptr);  // other tenant
  EXPECT_EQ(cache.Get("t", "a", {3, 0}, now + absl::Hours(1)), nullptr);
  ASSERT_NE(cache.Get("t", "a", {3, 0}, now), nullptr);
  EXPECT_EQ(cache.stats().near_hits, 1);

  cache.ClearNearCacheForTest();  // as another replica would see it
  auto from_redis = cache.Get("t", "a", {3, 0}, now);
  ASSERT_NE(from_redis, nullptr);
  EXPECT_EQ(from_redis->score(), 71);
  EXPECT_EQ(cache.stats().redis_hits, 1);

  cache.Invalidate("t", {"a"});
  cache.ClearNearCacheForTest();
  EXPECT_EQ(cache.Get("t", "a", {3, 0}, now), nullptr);

  // Redis gone: the cache misses, it does not fail.
  ASSERT_TRUE((*server)->Stop().ok());
  cache.Put("t", "b", {1, 0}, score);
  cache.ClearNearCacheForTest();
  EXPECT_EQ(cache.Get("t", "b", {1, 0}, now), nullptr);
}

// The cache's own time comes from its Clock: a test moves it instead of
// sleeping, and a slow machine cannot make it expire early.
class RedisScoreCacheClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServerForTest::Create();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    redis::HiredisOptions options;
    options.port = server_->port();
    redis_ = std::make_unique<redis::HiredisClient>(options);
    cache_ = std::make_unique<RedisScoreCache>(redis_.get(), options_, &clock_);
  }

  std::shared_ptr<v1::RelationshipScore> ComputedNow() {
    auto score = std::make_shared<v1::RelationshipScore>();
    score->set_score(64);
    SetTimestamp(clock_.Now(), score->mutable_compute_time());
    return score;
  }
  bool InRedis(const std::string& account) {
    const std::string args[] = {"EXISTS",
                                RedisScoreCache::KeyFor("t", account)};
    auto reply = redis_->Command(args);
    return reply.ok() && reply->integer == 1;
  }
  std::shared_ptr<const v1::RelationshipScore> Get(const std::string& account) {
    return cache_->Get("t", account, {1, 0}, clock_.Now(), cache_->Ticket());
  }

  FakeClock clock_;
  RedisScoreCacheOptions options_;
  std::unique_ptr<RedisServerForTest> server_;
  std::unique_ptr<redis::HiredisClient> redis_;
  std::unique_ptr<RedisScoreCache> cache_;
};

TEST_F(RedisScoreCacheClockTest, ANearHitRechecksRedisOnceASecondHasPassed) {
  cache_->Put("t", "a", {1, 0}, ComputedNow());
  ASSERT_TRUE(InRedis("a"));
  const std::string flush[] = {"FLUSHALL"};
  ASSERT_TRUE(redis_->Command(flush).ok());
  // Within the second, a near hit answers without asking Redis.
  EXPECT_NE(Get("a"), nullptr);
  EXPECT_FALSE(InRedis("a"));
  // A second later by the clock, the hit finds Redis empty and refills it.
  clock_.Advance(absl::Seconds(1));
  EXPECT_NE(Get("a"), nullptr);
  EXPECT_TRUE(InRedis("a"));
  // Served while younger than the TTL, by the same clock.
  clock_.Advance(options_.ttl - absl::Seconds(2));
  EXPECT_NE(Get("a"), nullptr);
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(Get("a"), nullptr);
}

TEST_F(RedisScoreCacheClockTest, AVouchedEntryIsRecheckedEverySecond) {
  cache_->OnSubscribed();  // as the invalidation subscriber would say
  cache_->Put("t", "a", {1, 0}, ComputedNow(), cache_->Ticket());
  EXPECT_NE(cache_->GetTrusted("t", "a", clock_.Now()), nullptr);
  clock_.Advance(absl::Milliseconds(999));
  EXPECT_NE(cache_->GetTrusted("t", "a", clock_.Now()), nullptr);
  clock_.Advance(absl::Milliseconds(1));
  EXPECT_EQ(cache_->GetTrusted("t", "a", clock_.Now()), nullptr);
  EXPECT_NE(Get("a"), nullptr);  // checked again: vouched for again
  EXPECT_NE(cache_->GetTrusted("t", "a", clock_.Now()), nullptr);
}

TEST_F(RedisScoreCacheClockTest, AForgottenAccountStaysForgottenForTheTtl) {
  cache_->Put("t", "a", {1, 0}, ComputedNow());
  cache_->Forget("t", "a");
  // A score computed before the erasure and stored late is not kept.
  cache_->Put("t", "a", {1, 0}, ComputedNow());
  EXPECT_EQ(Get("a"), nullptr);
  clock_.Advance(options_.ttl + options_.jitter - absl::Milliseconds(1));
  cache_->Put("t", "a", {1, 0}, ComputedNow());
  EXPECT_EQ(Get("a"), nullptr);
  // Past TTL + jitter (when every copy elsewhere has expired) it caches
  // again.
  clock_.Advance(absl::Milliseconds(1));
  cache_->Put("t", "a", {1, 0}, ComputedNow());
  EXPECT_NE(Get("a"), nullptr);
}

// Replicas of the cache over one real redis-server, each hearing
// invalidations through its own subscription, as the service runs them.
class TrustedScoreCacheTest : public ::testing::Test {
 protected:
  struct Replica {
    Replica(const RedisServerForTest& server, Clock* clock)
        : redis(ClientOptions(server)), cache(&redis, {}, clock) {
      redis::ChannelSubscriberOptions options;
      options.port = server.port();
      options.channel = RedisScoreCache::kInvalidationChannel;
      options.ping_interval = absl::Milliseconds(100);
      options.max_silence = absl::Milliseconds(500);
      subscriber = std::make_unique<redis::ChannelSubscriber>(options, &cache);
      subscriber->Start();
    }
    ~Replica() { subscriber->Stop(); }
    bool Live() { return cache.Ticket().epoch >= 0; }

    redis::HiredisClient redis;
    RedisScoreCache cache;
    std::unique_ptr<redis::ChannelSubscriber> subscriber;
  };

  static redis::HiredisOptions ClientOptions(const RedisServerForTest& s) {
    redis::HiredisOptions options;
    options.port = s.port();
    return options;
  }

  void SetUp() override {
    auto server = RedisServerForTest::Create();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    a_ = std::make_unique<Replica>(*server_, &clock_);
    b_ = std::make_unique<Replica>(*server_, &clock_);
    ASSERT_TRUE(WaitFor([&] { return a_->Live() && b_->Live(); }));
    score_ = std::make_shared<v1::RelationshipScore>();
    score_->set_score(71);
    SetTimestamp(clock_.Now(), score_->mutable_compute_time());
  }

  // Puts the score on `replica` as a reader that checked version {3, 0}
  // after taking `ticket`.
  void Put(Replica& replica, const std::string& tenant,
           const std::string& account, const CacheTicket& ticket) {
    replica.cache.Put(tenant, account, {3, 0}, score_, ticket);
  }
  bool Trusted(Replica& replica, const std::string& tenant,
               const std::string& account) {
    return replica.cache.GetTrusted(tenant, account, clock_.Now()) != nullptr;
  }

  // Both replicas' time: it moves only when a test moves it.
  FakeClock clock_;
  std::unique_ptr<RedisServerForTest> server_;
  std::unique_ptr<Replica> a_, b_;
  std::shared_ptr<v1::RelationshipScore> score_;
};

TEST_F(TrustedScoreCacheTest, VouchesUntilAnotherReplicaInvalidates) {
  Put(*b_, "t", "a", b_->cache.Ticket());
  EXPECT_TRUE(Trusted(*b_, "t", "a"));
  EXPECT_FALSE(Trusted(*b_, "u", "a"));  // tenant-scoped
  Put(*b_, "t", "x", {});                // no ticket: checked every read
  EXPECT_FALSE(Trusted(*b_, "t", "x"));

  a_->cache.Invalidate("t", {"a"});  // a write on replica A committed
  EXPECT_TRUE(WaitFor([&] { return !Trusted(*b_, "t", "a"); }));
}

TEST_F(TrustedScoreCacheTest, AReaderThatReadBeforeACommitIsNotVouchedFor) {
  // B reads the versions (ticket first), A commits a write and invalidates,
  // then B stores what it computed from the old versions.
  const CacheTicket before_write = b_->cache.Ticket();
  a_->cache.Invalidate("t", {"a"});
  EXPECT_TRUE(WaitFor([&] { return b_->cache.stats().invalidations > 0; }));
  Put(*b_, "t", "a", before_write);
  EXPECT_FALSE(Trusted(*b_, "t", "a"));
  // Still served when the versions match (the database says so), and
  // vouched for once a later reader checked them.
  EXPECT_NE(b_->cache.Get("t", "a", {3, 0}, clock_.Now(), b_->cache.Ticket()),
            nullptr);
  EXPECT_TRUE(Trusted(*b_, "t", "a"));
}

TEST_F(TrustedScoreCacheTest, APolicyChangeInvalidatesTheWholeTenant) {
  Put(*b_, "t", "a", b_->cache.Ticket());
  Put(*b_, "u", "a", b_->cache.Ticket());
  a_->cache.InvalidateTenant("t");
  EXPECT_TRUE(WaitFor([&] { return !Trusted(*b_, "t", "a"); }));
  EXPECT_TRUE(Trusted(*b_, "u", "a"));
}

TEST_F(TrustedScoreCacheTest,
       NothingIsVouchedForWhileInvalidationsCannotArrive) {
  Put(*b_, "t", "a", b_->cache.Ticket());
  ASSERT_TRUE(server_->Kill().ok());
  EXPECT_TRUE(WaitFor([&] { return !b_->Live(); }));
  EXPECT_FALSE(Trusted(*b_, "t", "a"));
  // A ticket taken while deaf vouches for nothing, even after Redis returns.
  const CacheTicket deaf = b_->cache.Ticket();
  ASSERT_TRUE(server_->Start().ok());
  ASSERT_TRUE(WaitFor([&] { return b_->Live(); }));
  Put(*b_, "t", "b", deaf);
  EXPECT_FALSE(Trusted(*b_, "t", "b"));
  // The entry held from before is re-checked, then vouched for again.
  EXPECT_FALSE(Trusted(*b_, "t", "a"));
  EXPECT_NE(b_->cache.Get("t", "a", {3, 0}, clock_.Now(), b_->cache.Ticket()),
            nullptr);
  EXPECT_TRUE(Trusted(*b_, "t", "a"));
}

// The backend over a real Redis: warm reads come from memory, and every
// acknowledged write is visible to the next read all the same.
class EngagementBackendRedisTest : public EngagementBackendTest {
 protected:
  void SetUp() override {
    auto server = RedisServerForTest::Create();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    redis::HiredisOptions options;
    options.port = server_->port();
    redis_ = std::make_unique<redis::HiredisClient>(options);
    cache_ = std::make_unique<RedisScoreCache>(
        redis_.get(), RedisScoreCacheOptions{}, &clock_);
    redis::ChannelSubscriberOptions subscriber_options;
    subscriber_options.port = server_->port();
    subscriber_options.channel = RedisScoreCache::kInvalidationChannel;
    subscriber_ = std::make_unique<redis::ChannelSubscriber>(subscriber_options,
                                                             cache_.get());
    subscriber_->Start();
    ASSERT_TRUE(WaitFor([&] { return cache_->Ticket().epoch >= 0; }));
    EngagementBackendTest::SetUp();
  }
  void TearDown() override { subscriber_->Stop(); }
  ScoreCache* cache() override { return cache_.get(); }

  std::unique_ptr<RedisServerForTest> server_;
  std::unique_ptr<redis::HiredisClient> redis_;
  std::unique_ptr<RedisScoreCache> cache_;
  std::unique_ptr<redis::ChannelSubscriber> subscriber_;
};

TEST_F(EngagementBackendRedisTest, WarmReadsComeFromMemoryAndSeeEveryWrite) {
  ASSERT_TRUE(CreateAccount("a").ok());
  ASSERT_TRUE(
      Record({Interaction("a", v1::INTERACTION_KIND_CALL, absl::Hours(30))})
          .ok());
  ASSERT_EQ(Score("a")->interaction_count(), 1);  // computed
  ASSERT_EQ(Score("a")->interaction_count(), 1);  // checked, now vouched for
  const int64_t trusted_before = cache_->stats().trusted_hits;
  auto from_memory = backend_->scores().GetFromMemory(
      caller(), "accounts/a/relationshipScore", nullptr,
      v1::RELATIONSHIP_SCORE_VIEW_BASIC);
  ASSERT_TRUE(from_memory.has_value());
  EXPECT_EQ(from_memory->interaction_count(), 1);
  EXPECT_TRUE(from_memory->top_reasons().empty());  // the BASIC view
  EXPECT_EQ(cache_->stats().trusted_hits, trusted_before + 1);
  // Not for another tenant, a time in the past, or a name Get refuses.
  EXPECT_FALSE(backend_->scores()
                   .GetFromMemory(caller("other"),
                                  "accounts/a/relationshipScore", nullptr,
                                  v1::RELATIONSHIP_SCORE_VIEW_FULL)
                   .has_value());
  google::protobuf::Timestamp past;
  SetTimestamp(clock_.Now() - absl::Hours(1), &past);
  EXPECT_FALSE(backend_->scores()
                   .GetFromMemory(caller(), "accounts/a/relationshipScore",
                                  &past, v1::RELATIONSHIP_SCORE_VIEW_FULL)
                   .has_value());
  EXPECT_FALSE(backend_->scores()
                   .GetFromMemory(caller(), "accounts/a", nullptr,
                                  v1::RELATIONSHIP_SCORE_VIEW_FULL)
                   .has_value());

  // A write, then the very next read: it reflects the write.
  ASSERT_TRUE(
      Record({Interaction("a", v1::INTERACTION_KIND_MEETING, absl::Hours(2))})
          .ok());
  EXPECT_FALSE(backend_->scores()
                   .GetFromMemory(caller(), "accounts/a/relationshipScore",
                                  nullptr, v1::RELATIONSHIP_SCORE_VIEW_FULL)
                   .has_value());
  EXPECT_EQ(Score("a")->interaction_count(), 2);

  // Contacts' events too: the account's tier changed.
  ASSERT_EQ(Score("a")->interaction_count(), 2);
  ASSERT_TRUE(backend_->scores()
                  .GetFromMemory(caller(), "accounts/a/relationshipScore",
                                 nullptr, v1::RELATIONSHIP_SCORE_VIEW_FULL)
                  .has_value());
  ASSERT_TRUE(CreateAccount("a", "manager-7").ok());  // an update
  EXPECT_FALSE(backend_->scores()
                   .GetFromMemory(caller(), "accounts/a/relationshipScore",
                                  nullptr, v1::RELATIONSHIP_SCORE_VIEW_FULL)
                   .has_value());

  // And a policy update: the score carries the new policy revision.
  ASSERT_TRUE(Score("a").ok());
  const int64_t policy_revision = Score("a")->policy_revision();
  auto policy = backend_->policies().Get(caller(), "scoringPolicy");
  ASSERT_TRUE(policy.ok()) << policy.status();
  v1::ScoringPolicy patch = *policy;
  patch.mutable_windows()->mutable_activity_window()->set_seconds(
      policy->windows().activity_window().seconds() + 86400);
  google::protobuf::FieldMask mask;
  mask.add_paths("windows.activity_window");
  ASSERT_TRUE(backend_->policies().Update(caller(), patch, mask).ok());
  EXPECT_EQ(Score("a")->policy_revision(), policy_revision + 1);
}

}  // namespace
}  // namespace clientele::engagement
