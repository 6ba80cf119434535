#include "services/engagement/scoring/scoring_policy.h"

#include <functional>
#include <string>
#include <vector>

#include "common/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele::engagement {
namespace {

using ::testing::Contains;

std::vector<std::string> BadFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

double Sum(const google::protobuf::RepeatedPtrField<v1::ComponentWeight>& w) {
  double sum = 0;
  for (const auto& c : w) sum += c.weight();
  return sum;
}

TEST(ScoringPolicyTest, DefaultsFollowTheProtoAndValidate) {
  const v1::ScoringPolicy p = DefaultScoringPolicy();
  EXPECT_TRUE(ValidateScoringPolicy(p).ok()) << ValidateScoringPolicy(p);
  EXPECT_EQ(p.name(), "scoringPolicy");
  EXPECT_EQ(p.revision(), 0);
  EXPECT_NEAR(Sum(p.customer_weights()), 1.0, 1e-9);
  EXPECT_NEAR(Sum(p.client_weights()), 1.0, 1e-9);
  EXPECT_EQ(p.band_thresholds().needs_attention_min(), 30);
  EXPECT_EQ(p.band_thresholds().healthy_min(), 50);
  EXPECT_EQ(p.band_thresholds().strong_min(), 75);
  EXPECT_EQ(p.mode_thresholds().customer_max(), 0.35);
  EXPECT_EQ(p.mode_thresholds().client_min(), 0.65);
  EXPECT_EQ(p.windows().recency_horizon().seconds(), 365 * 86400);
  EXPECT_EQ(p.windows().activity_window().seconds(), 365 * 86400);
  EXPECT_EQ(p.windows().rhythm_window().seconds(), 730 * 86400);
  EXPECT_EQ(p.windows().trend_window().seconds(), 30 * 86400);
  EXPECT_EQ(p.windows().support_window().seconds(), 180 * 86400);
  EXPECT_EQ(p.silence_thresholds().longer_than_usual_ratio(), 1.5);
  EXPECT_EQ(p.silence_thresholds().unusual_ratio(), 3.0);
  EXPECT_EQ(p.silence_thresholds().min_rhythm_interactions(), 3);
  EXPECT_EQ(p.follow_up_rules().proposal_follow_up_delay().seconds(),
            3 * 86400);
  EXPECT_EQ(p.follow_up_rules().invoice_after_purchase_delay().seconds(),
            86400);
  EXPECT_EQ(p.follow_up_rules().survey_after_solve_delay().seconds(), 86400);
  EXPECT_EQ(p.min_interactions(), 3);
}

struct BadPolicy {
  std::string name;
  std::function<void(v1::ScoringPolicy*)> mutate;
  std::string field;
};

TEST(ScoringPolicyTest, EveryBrokenRuleNamesItsField) {
  const std::vector<BadPolicy> cases = {
      {"weights not summing to one",
       [](auto* p) { p->mutable_customer_weights(0)->set_weight(0.1); },
       "scoring_policy.customer_weights"},
      {"client weights summing to 1.01",
       [](auto* p) { p->mutable_client_weights(0)->set_weight(0.16); },
       "scoring_policy.client_weights"},
      {"negative weight",
       [](auto* p) {
         p->mutable_customer_weights(0)->set_weight(-0.1);
         p->mutable_customer_weights(1)->set_weight(0.75);
       },
       "scoring_policy.customer_weights"},
      {"weight above one",
       [](auto* p) { p->mutable_customer_weights(0)->set_weight(1.5); },
       "scoring_policy.customer_weights"},
      {"no weights", [](auto* p) { p->clear_client_weights(); },
       "scoring_policy.client_weights"},
      {"duplicate component",
       [](auto* p) {
         p->mutable_customer_weights(1)->set_component(
             p->customer_weights(0).component());
       },
       "scoring_policy.customer_weights"},
      {"unspecified component",
       [](auto* p) {
         p->mutable_client_weights(0)->set_component(
             v1::SCORE_COMPONENT_KIND_UNSPECIFIED);
       },
       "scoring_policy.client_weights"},
      {"unknown component",
       [](auto* p) {
         p->mutable_client_weights(0)->set_component(
             static_cast<v1::ScoreComponentKind>(99));
       },
       "scoring_policy.client_weights"},
      {"negative needs_attention_min",
       [](auto* p) {
         p->mutable_band_thresholds()->set_needs_attention_min(-1);
       },
       "scoring_policy.band_thresholds.needs_attention_min"},
      {"healthy at or below needs attention",
       [](auto* p) { p->mutable_band_thresholds()->set_healthy_min(30); },
       "scoring_policy.band_thresholds.healthy_min"},
      {"strong at or below healthy",
       [](auto* p) { p->mutable_band_thresholds()->set_strong_min(40); },
       "scoring_policy.band_thresholds.strong_min"},
      {"strong above 100",
       [](auto* p) { p->mutable_band_thresholds()->set_strong_min(101); },
       "scoring_policy.band_thresholds.strong_min"},
      {"customer_max zero",
       [](auto* p) { p->mutable_mode_thresholds()->set_customer_max(0); },
       "scoring_policy.mode_thresholds.customer_max"},
      {"client_min below customer_max",
       [](auto* p) { p->mutable_mode_thresholds()->set_client_min(0.3); },
       "scoring_policy.mode_thresholds.client_min"},
      {"client_min one",
       [](auto* p) { p->mutable_mode_thresholds()->set_client_min(1.0); },
       "scoring_policy.mode_thresholds.client_min"},
      {"window under a day",
       [](auto* p) {
         p->mutable_windows()->mutable_recency_horizon()->set_seconds(3600);
       },
       "scoring_policy.windows.recency_horizon"},
      {"window over ten years",
       [](auto* p) {
         p->mutable_windows()->mutable_rhythm_window()->set_seconds(
             int64_t{3700} * 86400);
       },
       "scoring_policy.windows.rhythm_window"},
      {"unset window",
       [](auto* p) { p->mutable_windows()->clear_trend_window(); },
       "scoring_policy.windows.trend_window"},
      {"malformed window",
       [](auto* p) {
         p->mutable_windows()->mutable_support_window()->set_nanos(-5);
       },
       "scoring_policy.windows.support_window"},
      {"activity window",
       [](auto* p) {
         p->mutable_windows()->mutable_activity_window()->set_seconds(-86400);
       },
       "scoring_policy.windows.activity_window"},
      {"longer ratio at one",
       [](auto* p) {
         p->mutable_silence_thresholds()->set_longer_than_usual_ratio(1.0);
       },
       "scoring_policy.silence_thresholds.longer_than_usual_ratio"},
      {"unusual at or below longer",
       [](auto* p) { p->mutable_silence_thresholds()->set_unusual_ratio(1.5); },
       "scoring_policy.silence_thresholds.unusual_ratio"},
      {"rhythm from one interaction",
       [](auto* p) {
         p->mutable_silence_thresholds()->set_min_rhythm_interactions(1);
       },
       "scoring_policy.silence_thresholds.min_rhythm_interactions"},
      {"negative follow-up delay",
       [](auto* p) {
         p->mutable_follow_up_rules()
             ->mutable_proposal_follow_up_delay()
             ->set_seconds(-1);
       },
       "scoring_policy.follow_up_rules.proposal_follow_up_delay"},
      {"follow-up delay over a year",
       [](auto* p) {
         p->mutable_follow_up_rules()
             ->mutable_invoice_after_purchase_delay()
             ->set_seconds(int64_t{400} * 86400);
       },
       "scoring_policy.follow_up_rules.invoice_after_purchase_delay"},
      {"survey delay malformed",
       [](auto* p) {
         p->mutable_follow_up_rules()
             ->mutable_survey_after_solve_delay()
             ->set_nanos(2000000000);
       },
       "scoring_policy.follow_up_rules.survey_after_solve_delay"},
      {"negative min_interactions",
       [](auto* p) { p->set_min_interactions(-1); },
       "scoring_policy.min_interactions"},
      {"min_interactions over 1000",
       [](auto* p) { p->set_min_interactions(1001); },
       "scoring_policy.min_interactions"},
  };
  for (const BadPolicy& c : cases) {
    v1::ScoringPolicy p = DefaultScoringPolicy();
    c.mutate(&p);
    const absl::Status status = ValidateScoringPolicy(p);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(BadFields(status), Contains(c.field))
        << c.name << ": " << status;
  }
}

TEST(ScoringPolicyTest, WeightsWithinToleranceAndZeroDelaysAreAccepted) {
  v1::ScoringPolicy p = DefaultScoringPolicy();
  p.mutable_customer_weights(0)->set_weight(0.4005);
  p.mutable_follow_up_rules()->clear_invoice_after_purchase_delay();
  p.set_min_interactions(0);
  EXPECT_TRUE(ValidateScoringPolicy(p).ok());
}

TEST(ScoringPolicyTest, ViolationsAreAllReportedAtOnce) {
  v1::ScoringPolicy p = DefaultScoringPolicy();
  p.mutable_band_thresholds()->set_strong_min(101);
  p.set_min_interactions(-3);
  const std::vector<std::string> fields = BadFields(ValidateScoringPolicy(p));
  EXPECT_THAT(fields, Contains("scoring_policy.band_thresholds.strong_min"));
  EXPECT_THAT(fields, Contains("scoring_policy.min_interactions"));
}

v1::ScoringPolicy StoredPolicy() {
  v1::ScoringPolicy p = DefaultScoringPolicy();
  p.set_revision(4);
  p.set_etag("etag-4");
  p.mutable_update_time()->set_seconds(1700000000);
  return p;
}

google::protobuf::FieldMask Mask(const std::vector<std::string>& paths) {
  google::protobuf::FieldMask mask;
  for (auto& path : paths) mask.add_paths(path);
  return mask;
}

TEST(ScoringPolicyUpdateTest, SubfieldPathChangesOnlyThatField) {
  v1::ScoringPolicy patch;  // everything else unset: must not leak
  patch.mutable_windows()->mutable_trend_window()->set_seconds(int64_t{14} *
                                                               86400);
  patch.mutable_band_thresholds()->set_strong_min(80);
  auto updated = ApplyScoringPolicyUpdate(
      StoredPolicy(), patch,
      Mask({"windows.trend_window", "band_thresholds.strong_min"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->windows().trend_window().seconds(), 14 * 86400);
  EXPECT_EQ(updated->windows().rhythm_window().seconds(), 730 * 86400);
  EXPECT_EQ(updated->band_thresholds().strong_min(), 80);
  EXPECT_EQ(updated->band_thresholds().healthy_min(), 50);
  EXPECT_EQ(updated->customer_weights_size(), 6);
  // Output-only fields are the caller's.
  EXPECT_EQ(updated->revision(), 4);
  EXPECT_EQ(updated->etag(), "etag-4");
  EXPECT_EQ(updated->update_time().seconds(), 1700000000);
  EXPECT_EQ(updated->name(), "scoringPolicy");
}

TEST(ScoringPolicyUpdateTest, TopLevelPathReplacesTheWholeField) {
  v1::ScoringPolicy patch;
  auto* w = patch.add_customer_weights();
  w->set_component(v1::SCORE_COMPONENT_KIND_RECENCY);
  w->set_weight(0.5);
  w = patch.add_customer_weights();
  w->set_component(v1::SCORE_COMPONENT_KIND_MONETARY);
  w->set_weight(0.5);
  auto updated = ApplyScoringPolicyUpdate(StoredPolicy(), patch,
                                          Mask({"customer_weights"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->customer_weights_size(), 2);
  EXPECT_EQ(updated->client_weights_size(), 8);
}

TEST(ScoringPolicyUpdateTest, EmptyMaskReplacesEverythingSettable) {
  v1::ScoringPolicy patch = DefaultScoringPolicy();
  patch.set_min_interactions(10);
  patch.set_revision(99);  // output only: ignored
  patch.set_name("other");
  auto updated = ApplyScoringPolicyUpdate(StoredPolicy(), patch, Mask({}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->min_interactions(), 10);
  EXPECT_EQ(updated->revision(), 4);
  EXPECT_EQ(updated->name(), "scoringPolicy");

  // Replacing everything with an empty policy breaks the rules.
  const absl::Status status =
      ApplyScoringPolicyUpdate(StoredPolicy(), v1::ScoringPolicy(), Mask({}))
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status), Contains("scoring_policy.customer_weights"));
}

TEST(ScoringPolicyUpdateTest, BadPathsNameTheUpdateMask) {
  for (const char* path :
       {"bogus", "windows.bogus", "revision", "etag", "update_time", "name",
        "windows.trend_window.seconds"}) {
    const absl::Status status =
        ApplyScoringPolicyUpdate(StoredPolicy(), DefaultScoringPolicy(),
                                 Mask({path}))
            .status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_THAT(BadFields(status), Contains("update_mask")) << path;
  }
}

TEST(ScoringPolicyUpdateTest, ResultIsValidated) {
  v1::ScoringPolicy patch;
  patch.mutable_band_thresholds()->set_healthy_min(90);
  const absl::Status status =
      ApplyScoringPolicyUpdate(StoredPolicy(), patch,
                               Mask({"band_thresholds.healthy_min"}))
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status),
              Contains("scoring_policy.band_thresholds.strong_min"));
}

}  // namespace
}  // namespace clientele::engagement
