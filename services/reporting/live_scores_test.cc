// GrpcLiveScores and the at-risk list's live step against the real
// engagement service (port 0, real SQLite) over loopback: scores fetched
// live with the caller's credentials; engagement stopped, slow, refusing
// the caller, or losing an answer; the projection answering in its place
// and saying why.
#include "services/reporting/live_scores.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_service_fixture_for_test.h"
#include "services/reporting/at_risk_report.h"

namespace clientele::reporting {
namespace {

using ::clientele::engagement::v1::BatchGetRelationshipScoresRequest;
using ::clientele::engagement::v1::BatchGetRelationshipScoresResponse;
using ::clientele::engagement::v1::EngagementService;
using ::clientele::engagement::v1::RelationshipScore;
using ::testing::EndsWith;
using ::testing::StartsWith;

constexpr char kAcmeAgent[] = "acme-agent";
constexpr char kAcmeViewer[] = "acme-viewer";
constexpr char kGlobexViewer[] = "globex-viewer";

// Stands between reporting and engagement: records the authorization each
// attempt carried, can lose engagement's first answer (the caller sees
// UNAVAILABLE) or hold every call until its deadline passes (a slow
// engagement).
class EngagementProxy final : public EngagementService::Service {
 public:
  explicit EngagementProxy(std::shared_ptr<grpc::Channel> engagement)
      : engagement_(EngagementService::NewStub(std::move(engagement))) {}

  grpc::Status BatchGetRelationshipScores(
      grpc::ServerContext* context,
      const BatchGetRelationshipScoresRequest* request,
      BatchGetRelationshipScoresResponse* response) override {
    ++attempts;
    grpc::ClientContext forward;
    forward.set_deadline(context->deadline());
    for (const auto& [key, value] : context->client_metadata()) {
      if (key == "authorization") {
        absl::MutexLock lock(&mutex_);
        authorizations_.emplace_back(value.data(), value.size());
        forward.AddMetadata("authorization",
                            std::string(value.data(), value.size()));
      }
    }
    if (hang) {
      while (!context->IsCancelled()) absl::SleepFor(absl::Milliseconds(5));
      return grpc::Status(grpc::StatusCode::CANCELLED, "gave up");
    }
    grpc::Status status =
        engagement_->BatchGetRelationshipScores(&forward, *request, response);
    if (lose_first_answer && attempts == 1) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection lost");
    }
    return status;
  }

  std::vector<std::string> Authorizations() {
    absl::MutexLock lock(&mutex_);
    return authorizations_;
  }

  std::atomic<int> attempts{0};
  std::atomic<bool> lose_first_answer{false};
  std::atomic<bool> hang{false};

 private:
  std::unique_ptr<EngagementService::Stub> engagement_;
  absl::Mutex mutex_;
  std::vector<std::string> authorizations_ ABSL_GUARDED_BY(mutex_);
};

class LiveScoresTest : public engagement::EngagementServiceFixture {
 protected:
  LiveScoresTest()
      : EngagementServiceFixture({{kAcmeAgent, "acme", "agent"},
                                  {kAcmeViewer, "acme", "viewer"},
                                  {kGlobexViewer, "globex", "viewer"}},
                                 kAcmeAgent) {}

  void SetUp() override {
    EngagementServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    KnowAccount("weber");
    KnowAccount("quiet");
    // Weber called twice, long ago: silence weighs on its score.
    for (int days_ago : {120, 90}) {
      engagement::v1::RecordInteractionRequest record;
      engagement::v1::Interaction* interaction = record.mutable_interaction();
      interaction->set_account("accounts/weber");
      interaction->set_kind(engagement::v1::INTERACTION_KIND_CALL);
      interaction->set_direction(engagement::v1::INTERACTION_DIRECTION_INBOUND);
      interaction->set_channel(engagement::v1::INTERACTION_CHANNEL_PHONE);
      interaction->set_summary("Order");
      SetTimestamp(clock_.Now() - absl::Hours(24 * days_ago),
                   interaction->mutable_occur_time());
      engagement::v1::RecordInteractionResponse recorded;
      const grpc::Status status =
          Call(&EngagementService::Stub::RecordInteraction, record, &recorded);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    proxy_service_ = std::make_unique<EngagementProxy>(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(proxy_service_.get());
    proxy_ = builder.BuildAndStart();
    ASSERT_NE(proxy_, nullptr);
    proxy_address_ = absl::StrCat("127.0.0.1:", port);
    // A budget no loaded machine exhausts, but for the test that wants it.
    live_ = Connect(absl::Seconds(20));

    caller_.tenant = "acme";
    caller_.authorization = absl::StrCat("Bearer ", kAcmeViewer);
    caller_.deadline = absl::Now() + absl::Seconds(30);
  }

  void TearDown() override {
    if (proxy_ != nullptr) {
      proxy_->Shutdown(std::chrono::system_clock::now());
    }
    EngagementServiceFixture::TearDown();
  }

  std::unique_ptr<GrpcLiveScores> Connect(absl::Duration timeout) {
    auto live =
        GrpcLiveScores::Connect(proxy_address_, RealClock::Get(), {timeout});
    EXPECT_TRUE(live.ok()) << live.status();
    return live.ok() ? *std::move(live) : nullptr;
  }

  // What engagement itself answers for `account` ("accounts/{id}") now.
  RelationshipScore EngagementsScore(const std::string& account) {
    BatchGetRelationshipScoresRequest request;
    request.add_names(absl::StrCat(account, "/relationshipScore"));
    BatchGetRelationshipScoresResponse response;
    const grpc::Status status =
        Call(&EngagementService::Stub::BatchGetRelationshipScores, request,
             &response, kAcmeViewer);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.relationship_scores_size() == 1
               ? response.relationship_scores(0)
               : RelationshipScore();
  }

  // A page as the projection answered it, with values engagement never
  // gives (score 99, STRONG), so a refresh shows.
  static v1::ListAtRiskAccountsResponse ProjectedPage(
      const std::vector<std::string>& ids) {
    v1::ListAtRiskAccountsResponse page;
    for (const std::string& id : ids) {
      v1::AtRiskAccount* account = page.add_at_risk_accounts();
      account->set_account(absl::StrCat("accounts/", id));
      account->set_score(99);
      account->set_band(type::v1::SCORE_BAND_STRONG);
      account->set_score_delta(7);
      account->add_reasons("from the projection");
      account->mutable_revenue_at_risk()->set_currency_code("EUR");
      account->mutable_revenue_at_risk()->set_amount_minor_units(1200);
    }
    page.mutable_score_freshness()->set_source(v1::SCORE_SOURCE_PROJECTION);
    return page;
  }

  // A scope whose as_of is now.
  static ReportScope NowScope() {
    ReportScope scope;
    scope.tenant = "acme";
    scope.now_us = ToMicros(absl::Now());
    scope.as_of_us = scope.now_us;
    scope.start_us = scope.now_us - int64_t{86400} * 1000000 * 90;
    scope.end_us = scope.now_us;
    scope.currency = "EUR";
    return scope;
  }

  static void ExpectProjected(const v1::ListAtRiskAccountsResponse& page) {
    for (const v1::AtRiskAccount& account : page.at_risk_accounts()) {
      EXPECT_EQ(account.score(), 99);
      EXPECT_EQ(account.band(), type::v1::SCORE_BAND_STRONG);
      EXPECT_THAT(account.reasons(),
                  ::testing::ElementsAre("from the projection"));
    }
    EXPECT_EQ(page.score_freshness().source(), v1::SCORE_SOURCE_PROJECTION);
  }

  std::unique_ptr<EngagementProxy> proxy_service_;
  std::unique_ptr<grpc::Server> proxy_;
  std::string proxy_address_;
  std::unique_ptr<GrpcLiveScores> live_;
  Caller caller_;
};

TEST_F(LiveScoresTest, ThePageShowsEngagementsScoresNow) {
  v1::ListAtRiskAccountsResponse page = ProjectedPage({"weber", "quiet"});
  RefreshAtRiskScores(*live_, caller_, NowScope(), &page);

  EXPECT_EQ(page.score_freshness().source(), v1::SCORE_SOURCE_LIVE);
  EXPECT_EQ(page.score_freshness().stale_reason(), "");
  for (const v1::AtRiskAccount& account : page.at_risk_accounts()) {
    SCOPED_TRACE(account.account());
    const RelationshipScore expected = EngagementsScore(account.account());
    EXPECT_EQ(account.score(), expected.score());
    EXPECT_EQ(account.band(), expected.band());
    EXPECT_EQ(account.mode(), expected.mode_assessment().mode());
    EXPECT_EQ(account.score_delta(), expected.trend().delta());
    std::vector<std::string> negative;
    for (const auto& reason : expected.top_reasons()) {
      if (reason.effect() == engagement::v1::REASON_EFFECT_NEGATIVE &&
          negative.size() < 3) {
        negative.push_back(reason.summary());
      }
    }
    EXPECT_THAT(account.reasons(), ::testing::ElementsAreArray(negative));
    // Money is the projection's.
    EXPECT_EQ(account.revenue_at_risk().amount_minor_units(), 1200);
  }
  EXPECT_NE(page.at_risk_accounts(0).score(), 99);
  // Weber's silence shows among its reasons.
  EXPECT_FALSE(page.at_risk_accounts(0).reasons().empty());
  // Engagement saw the caller's own credentials, on one call.
  EXPECT_THAT(proxy_service_->Authorizations(),
              ::testing::ElementsAre("Bearer acme-viewer"));
}

TEST_F(LiveScoresTest, AStoppedEngagementLeavesTheProjectionSayingSo) {
  v1::ListAtRiskAccountsResponse page = ProjectedPage({"weber"});
  RefreshAtRiskScores(*live_, caller_, NowScope(), &page);
  ASSERT_EQ(page.score_freshness().source(), v1::SCORE_SOURCE_LIVE);

  server_->Shutdown();
  proxy_->Shutdown(std::chrono::system_clock::now());
  proxy_.reset();
  page = ProjectedPage({"weber"});
  RefreshAtRiskScores(*live_, caller_, NowScope(), &page);
  ExpectProjected(page);
  EXPECT_EQ(page.score_freshness().stale_reason(),
            "engagement could not be reached: UNAVAILABLE");
}

TEST_F(LiveScoresTest, ASlowEngagementIsCutOffAtTheDeadline) {
  proxy_service_->hang = true;
  v1::ListAtRiskAccountsResponse page = ProjectedPage({"weber"});
  // The caller has 30 s; the live step takes at most its own 300ms.
  std::unique_ptr<GrpcLiveScores> live = Connect(absl::Milliseconds(300));
  ASSERT_NE(live, nullptr);
  RefreshAtRiskScores(*live, caller_, NowScope(), &page);
  ExpectProjected(page);
  EXPECT_EQ(page.score_freshness().stale_reason(),
            "engagement did not answer within 300ms: DEADLINE_EXCEEDED");
}

TEST_F(LiveScoresTest, ASpentBudgetDoesNotAskEngagement) {
  caller_.deadline = absl::Now() - absl::Seconds(1);
  v1::ListAtRiskAccountsResponse page = ProjectedPage({"weber"});
  RefreshAtRiskScores(*live_, caller_, NowScope(), &page);
  ExpectProjected(page);
  EXPECT_EQ(page.score_freshness().stale_reason(),
            "the request's deadline left no time to ask engagement: "
            "DEADLINE_EXCEEDED");
  EXPECT_EQ(proxy_service_->attempts, 0);
}

TEST_F(LiveScoresTest, EngagementJudgesTheCallersCredentials) {
  caller_.authorization = "Bearer not-a-token";
  v1::ListAtRiskAccountsResponse page = ProjectedPage({"weber"});
  RefreshAtRiskScores(*live_, caller_, NowScope(), &page);
  ExpectProjected(page);
  EXPECT_THAT(page.score_freshness().stale_reason(),
              StartsWith("engagement refused the live scores"));
  EXPECT_THAT(page.score_freshness().stale_reason(),
              EndsWith(": UNAUTHENTICATED"));
  EXPECT_THAT(proxy_service_->Authorizations(),
              ::testing::ElementsAre("Bearer not-a-token"));

  // Another tenant's token does not reach acme's accounts.
  caller_.authorization = absl::StrCat("Bearer ", kGlobexViewer);
  page = ProjectedPage({"weber"});
  RefreshAtRiskScores(*live_, caller_, NowScope(), &page);
  ExpectProjected(page);
  EXPECT_THAT(page.score_freshness().stale_reason(), EndsWith(": NOT_FOUND"));
}

TEST_F(LiveScoresTest, ALostAnswerIsRetriedByTheChannel) {
  proxy_service_->lose_first_answer = true;
  v1::ListAtRiskAccountsResponse page = ProjectedPage({"weber"});
  RefreshAtRiskScores(*live_, caller_, NowScope(), &page);
  EXPECT_EQ(page.score_freshness().source(), v1::SCORE_SOURCE_LIVE)
      << page.score_freshness().stale_reason();
  EXPECT_EQ(proxy_service_->attempts, 2);
  EXPECT_EQ(page.at_risk_accounts(0).score(),
            EngagementsScore("accounts/weber").score());
}

TEST_F(LiveScoresTest, APastAsOfNeverAsksEngagement) {
  ReportScope scope = NowScope();
  scope.as_of_us -= int64_t{86400} * 1000000;
  v1::ListAtRiskAccountsResponse page = ProjectedPage({"weber"});
  RefreshAtRiskScores(*live_, caller_, scope, &page);
  ExpectProjected(page);
  EXPECT_EQ(page.score_freshness().stale_reason(), "");
  EXPECT_EQ(proxy_service_->attempts, 0);
}

TEST_F(LiveScoresTest, AFullPageIsAskedInBatchesEngagementAccepts) {
  std::vector<std::string> ids;
  for (int i = 0; i < GrpcLiveScores::kMaxNamesPerCall + 1; ++i) {
    ids.push_back(absl::StrCat("bulk", i));
    KnowAccount(ids.back());
  }
  v1::ListAtRiskAccountsResponse page = ProjectedPage(ids);
  RefreshAtRiskScores(*live_, caller_, NowScope(), &page);
  EXPECT_EQ(page.score_freshness().source(), v1::SCORE_SOURCE_LIVE)
      << page.score_freshness().stale_reason();
  EXPECT_EQ(proxy_service_->attempts, 2);
  EXPECT_EQ(page.at_risk_accounts(500).account(), "accounts/bulk500");
  EXPECT_NE(page.at_risk_accounts(500).score(), 99);
}

TEST_F(LiveScoresTest, OneAccountsFullScoreComesWithItsComponents) {
  absl::StatusOr<RelationshipScore> score =
      live_->GetScore(caller_, "accounts/weber");
  ASSERT_TRUE(score.ok()) << score.status();
  const RelationshipScore expected = EngagementsScore("accounts/weber");
  EXPECT_EQ(score->account(), "accounts/weber");
  EXPECT_EQ(score->score(), expected.score());
  EXPECT_EQ(score->components_size(), expected.components_size());
  EXPECT_FALSE(score->components().empty());
  EXPECT_EQ(score->top_reasons_size(), expected.top_reasons_size());
  // With the caller's own credentials.
  EXPECT_THAT(proxy_service_->Authorizations(),
              ::testing::ElementsAre("Bearer acme-viewer"));

  score = live_->GetScore(caller_, "accounts/nobody");
  EXPECT_EQ(score.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(score.status().message()),
              StartsWith("engagement refused the live scores"));
}

}  // namespace
}  // namespace clientele::reporting
