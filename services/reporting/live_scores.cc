#include "services/reporting/live_scores.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clientele/engagement/v1/relationship_score.pb.h"
#include "common/peer_client.h"
#include "common/server/status_mapping.h"

namespace clientele::reporting {
namespace {

using ::clientele::engagement::v1::BatchGetRelationshipScoresRequest;
using ::clientele::engagement::v1::BatchGetRelationshipScoresResponse;
using ::clientele::engagement::v1::EngagementService;
using ::clientele::engagement::v1::RelationshipScore;

// At most this many reasons per account (AtRiskAccount.reasons).
constexpr int kMaxReasons = 3;

// `status` with a message a dashboard user can read in place of gRPC's
// transport detail (which may name internal addresses); the code is kept.
absl::Status Explained(const absl::Status& status, absl::Duration budget) {
  switch (status.code()) {
    case absl::StatusCode::kDeadlineExceeded:
      return absl::DeadlineExceededError(absl::StrCat(
          "engagement did not answer within ", absl::FormatDuration(budget)));
    case absl::StatusCode::kUnavailable:
      return absl::UnavailableError("engagement could not be reached");
    default:
      return absl::Status(status.code(),
                          absl::StrCat("engagement refused the live scores (",
                                       status.message(), ")"));
  }
}

// Copies engagement's answer for one account into `account`.
void CopyLive(const RelationshipScore& score, v1::AtRiskAccount* account) {
  account->set_mode(score.mode_assessment().mode());
  account->set_score(score.score());
  account->set_band(score.band());
  account->set_score_delta(score.trend().delta());
  account->clear_reasons();
  // What engagement's RelationshipScoreChanged carries as risk_reasons: the
  // negative top reasons, strongest first.
  for (const engagement::v1::ScoreReason& reason : score.top_reasons()) {
    if (account->reasons_size() == kMaxReasons) break;
    if (reason.effect() == engagement::v1::REASON_EFFECT_NEGATIVE) {
      account->add_reasons(reason.summary());
    }
  }
}

}  // namespace

GrpcLiveScores::GrpcLiveScores(std::shared_ptr<grpc::Channel> channel,
                               Clock* clock, Options options)
    : stub_(EngagementService::NewStub(std::move(channel))),
      clock_(clock),
      options_(options) {}

absl::StatusOr<std::unique_ptr<GrpcLiveScores>> GrpcLiveScores::Connect(
    absl::string_view target, Clock* clock, Options options) {
  return ConnectPeerClient<GrpcLiveScores>(target, clock, options);
}

std::vector<PeerMethod> GrpcLiveScores::RetrySafeMethods() {
  return {
      {EngagementService::service_full_name(), "BatchGetRelationshipScores"}};
}

absl::Status GrpcLiveScores::Refresh(
    const Caller& caller,
    google::protobuf::RepeatedPtrField<v1::AtRiskAccount>* accounts) {
  if (accounts->empty()) return absl::OkStatus();
  std::vector<std::string> names;
  names.reserve(accounts->size());
  for (const v1::AtRiskAccount& account : *accounts) {
    names.push_back(account.account());
  }
  absl::StatusOr<std::vector<RelationshipScore>> scores = Fetch(caller, names);
  if (!scores.ok()) return scores.status();
  for (int i = 0; i < accounts->size(); ++i) {
    CopyLive((*scores)[i], accounts->Mutable(i));
  }
  return absl::OkStatus();
}

absl::StatusOr<RelationshipScore> GrpcLiveScores::GetScore(
    const Caller& caller, const std::string& account) {
  absl::StatusOr<std::vector<RelationshipScore>> scores =
      Fetch(caller, {account});
  if (!scores.ok()) return scores.status();
  return std::move(scores->front());
}

absl::StatusOr<std::vector<RelationshipScore>> GrpcLiveScores::Fetch(
    const Caller& caller, const std::vector<std::string>& accounts) {
  const int count = static_cast<int>(accounts.size());
  // One deadline for every call of this fetch.
  const absl::Time now = clock_->Now();
  absl::StatusOr<absl::Time> deadline =
      PeerDeadline(caller.deadline, now, options_.timeout);
  if (!deadline.ok()) {
    return absl::DeadlineExceededError(
        "the request's deadline left no time to ask engagement");
  }
  const absl::Duration budget =
      absl::Trunc(*deadline - now, absl::Milliseconds(1));

  std::vector<RelationshipScore> scores;
  scores.reserve(accounts.size());
  for (int first = 0; first < count; first += kMaxNamesPerCall) {
    const int end = std::min(count, first + kMaxNamesPerCall);
    BatchGetRelationshipScoresRequest request;
    request.set_view(engagement::v1::RELATIONSHIP_SCORE_VIEW_FULL);
    for (int i = first; i < end; ++i) {
      request.add_names(absl::StrCat(accounts[i], "/relationshipScore"));
    }
    BatchGetRelationshipScoresResponse response;
    grpc::ClientContext context;
    // The same `now` for every call: they share the one deadline.
    absl::Status status =
        PreparePeerContext(caller, now, options_.timeout, &context);
    if (status.ok()) {
      status = server::FromGrpcStatus(
          stub_->BatchGetRelationshipScores(&context, request, &response));
    }
    if (!status.ok()) return Explained(status, budget);
    if (response.relationship_scores_size() != end - first) {
      return absl::InternalError(absl::StrCat(
          "engagement answered ", response.relationship_scores_size(),
          " scores for ", end - first, " accounts"));
    }
    for (int i = first; i < end; ++i) {
      RelationshipScore& score =
          *response.mutable_relationship_scores(i - first);
      if (score.account() != accounts[i]) {
        return absl::InternalError(
            absl::StrCat("engagement answered the score of \"", score.account(),
                         "\" for \"", accounts[i], "\""));
      }
      scores.push_back(std::move(score));
    }
  }
  return scores;
}

}  // namespace clientele::reporting
