// The engagement backend over a real SQLite file in a temporary directory,
// filled the way the service is filled: accounts arrive as contacts'
// AccountCreated events through the projection, interactions through
// InteractionManager::Record in batches, as a client records them. For
// benchmarks that measure the backend in-process (docs/performance.md).
#ifndef CLIENTELE_BENCH_ENGAGEMENT_FIXTURE_H_
#define CLIENTELE_BENCH_ENGAGEMENT_FIXTURE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/events/event_writer.h"
#include "common/sql/database.h"
#include "common/testing/temp_dir.h"
#include "services/engagement/engagement_backend.h"
#include "services/engagement/score_cache.h"

namespace clientele::bench {

// How far back a recorded history reaches: about the model's longest
// window (rhythm, plus the trend window), so every interaction is read.
inline constexpr absl::Duration kHistorySpan = absl::Hours(24 * 730);

// Recording batches: at most this many interactions per call.
inline constexpr int kHistoryBatch = 1000;

class EngagementFixture {
 public:
  // A migrated database in a new temporary directory (removed with the
  // fixture) and a backend over it with no score cache. The clock is fixed,
  // so every score is computed as of the same instant.
  static absl::StatusOr<std::unique_ptr<EngagementFixture>> Create(
      std::string tenant);

  // An organization on a monthly retainer with a dedicated manager, as
  // contacts announces it. Recording needs the account first.
  absl::Status CreateAccount(const std::string& account_id);

  // Records `count` interactions on the account, spread evenly over
  // kHistorySpan up to an hour ago, in batches of kHistoryBatch: emails,
  // calls, meetings, advice sessions, newsletters and retainer invoices
  // (with an amount) with four contacts, none of which creates follow-ups.
  absl::Status RecordHistory(const std::string& account_id, int count);

  // Rows of activity_buckets the account has (a week and kind each): what a
  // score reads, whatever the number of interactions.
  absl::StatusOr<int64_t> BucketCount(const std::string& account_id);

  engagement::EngagementBackend& backend() { return *backend_; }
  const std::string& tenant() const { return tenant_; }

 private:
  explicit EngagementFixture(std::string tenant) : tenant_(std::move(tenant)) {}

  const std::string tenant_;
  testing::TempDir dir_;
  FakeClock clock_;
  engagement::NoScoreCache cache_;
  std::unique_ptr<sql::Database> database_;
  std::unique_ptr<events::EventWriter> events_;
  std::unique_ptr<engagement::EngagementBackend> backend_;
};

}  // namespace clientele::bench

#endif  // CLIENTELE_BENCH_ENGAGEMENT_FIXTURE_H_
