// What reporting fetches live from engagement: the current relationship
// scores of the accounts on an at-risk page, and the full score (components
// and reasons, which the read model does not hold) of the account a
// dashboard page shows, from engagement's BatchGetRelationshipScores over
// gRPC, on behalf of the caller being served
// (common/peer_channel.h: its credentials forwarded, a deadline from its
// remaining budget, retries of this read in the channel's service config,
// one channel for the process's life). Behind an interface so the at-risk
// step and the account page can be tested without engagement
// (live_scores_for_test.h).
#ifndef CLIENTELE_SERVICES_REPORTING_LIVE_SCORES_H_
#define CLIENTELE_SERVICES_REPORTING_LIVE_SCORES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/engagement_service.grpc.pb.h"
#include "clientele/engagement/v1/relationship_score.pb.h"
#include "clientele/reporting/v1/at_risk_account.pb.h"
#include "common/caller.h"
#include "common/clock.h"
#include "common/peer_channel.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace clientele::reporting {

class LiveScores {
 public:
  virtual ~LiveScores() = default;

  // Replaces the mode, score, band, score_delta and reasons (the negative
  // top reasons, strongest first, at most 3) of every account in `accounts`
  // with engagement's current ones, asked on behalf of `caller`. All or
  // nothing: on error `accounts` is left as it was. The error's message says
  // in a sentence, for whoever reads the dashboard, what went wrong
  // (RefreshAtRiskScores shows it with the code): DEADLINE_EXCEEDED when
  // engagement did not answer in time or the caller's budget was already
  // spent, UNAVAILABLE when it could not be reached (after the retries),
  // else engagement's own code (UNAUTHENTICATED, PERMISSION_DENIED,
  // NOT_FOUND for an account it does not know, ...). INTERNAL when its
  // answer does not match the question.
  virtual absl::Status Refresh(
      const Caller& caller,
      google::protobuf::RepeatedPtrField<v1::AtRiskAccount>* accounts) = 0;

  // Engagement's current relationship score of `account` ("accounts/{id}")
  // in full (components, top reasons, silence, ...), asked on behalf of
  // `caller`. Errors as Refresh's, with messages in the same manner:
  // DEADLINE_EXCEEDED, UNAVAILABLE, engagement's own code (NOT_FOUND for an
  // account it does not know, ...), INTERNAL when it answers for another
  // account.
  virtual absl::StatusOr<engagement::v1::RelationshipScore> GetScore(
      const Caller& caller, const std::string& account) = 0;
};

// LiveScores over gRPC. Thread-safe; one per process, sharing engagement's
// channel for its life.
class GrpcLiveScores final : public LiveScores {
 public:
  struct Options {
    // Upper bound of one Refresh or GetScore, retries included
    // (--live_score_timeout); the caller's remaining deadline, less
    // kPeerAnswerMargin, can only shorten it.
    absl::Duration timeout = absl::Milliseconds(300);
  };

  // Names per BatchGetRelationshipScores call (engagement's limit).
  static constexpr int kMaxNamesPerCall = 500;

  // `channel` is engagement's, from MakePeerChannel with RetrySafeMethods()
  // among its retry-safe methods. `clock` (not owned, outlives this) must be
  // the system clock gRPC measures deadlines with: RealClock in production.
  GrpcLiveScores(std::shared_ptr<grpc::Channel> channel, Clock* clock,
                 Options options);

  // Engagement's channel to `target` ("host:port") with RetrySafeMethods()
  // and the client over it. INVALID_ARGUMENT when no channel can be made.
  static absl::StatusOr<std::unique_ptr<GrpcLiveScores>> Connect(
      absl::string_view target, Clock* clock, Options options);

  // As LiveScores says. Accounts are asked in calls of at most
  // kMaxNamesPerCall names, all within the one deadline.
  absl::Status Refresh(
      const Caller& caller,
      google::protobuf::RepeatedPtrField<v1::AtRiskAccount>* accounts) override;

  // As LiveScores says: one BatchGetRelationshipScores call of one name, so
  // that it shares Refresh's retry policy.
  absl::StatusOr<engagement::v1::RelationshipScore> GetScore(
      const Caller& caller, const std::string& account) override;

  // The engagement methods this client calls that are safe to retry:
  // BatchGetRelationshipScores, a read.
  static std::vector<PeerMethod> RetrySafeMethods();

 private:
  // The full scores of `accounts` ("accounts/{id}", at least one), in their
  // order, within one deadline; errors as LiveScores::Refresh says.
  absl::StatusOr<std::vector<engagement::v1::RelationshipScore>> Fetch(
      const Caller& caller, const std::vector<std::string>& accounts);

  std::unique_ptr<engagement::v1::EngagementService::Stub> stub_;
  Clock* const clock_;
  const Options options_;
};

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_LIVE_SCORES_H_
