// A Database wrapper that times every statement by its SQL text, to say
// where a benchmark's time goes and which query plan made it
// (bench/reporting_scale.cc --profile). It adds a map lookup per statement:
// figures taken through it are a little slower than without.
#ifndef CLIENTELE_BENCH_QUERY_PROFILE_H_
#define CLIENTELE_BENCH_QUERY_PROFILE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "common/sql/database.h"

namespace clientele::bench {

class ProfilingDatabase final : public sql::Database {
 public:
  // `base` is not owned and must outlive this.
  explicit ProfilingDatabase(sql::Database* base) : base_(base) {}

  // One SQL text's calls since the last Reset.
  struct Statement {
    std::string sql;
    int64_t calls = 0;
    double seconds = 0;
    int64_t rows = 0;  // returned (Query) or changed (Exec)
    std::vector<sql::Value> last_params;
  };
  // Most time first.
  std::vector<Statement> Statements() const;
  void Reset();

  // SQLite's EXPLAIN QUERY PLAN of `statement` with its last parameters,
  // one line per step ("SEARCH interactions USING INDEX ...").
  absl::StatusOr<std::vector<std::string>> Plan(const Statement& statement);

  absl::Status Write(
      const std::function<absl::Status(sql::Transaction&)>& body) override;
  absl::Status Read(
      const std::function<absl::Status(sql::Transaction&)>& body) override;
  absl::StatusOr<int> Migrate(
      absl::Span<const sql::Migration> migrations) override {
    return base_->Migrate(migrations);
  }
  absl::Status Ping() override { return base_->Ping(); }
  absl::Status PurgeDeletedData() override { return base_->PurgeDeletedData(); }

 private:
  class ProfilingTransaction;
  void Record(absl::string_view sql, absl::Span<const sql::Value> params,
              double seconds, int64_t rows);

  sql::Database* const base_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Statement> statements_ ABSL_GUARDED_BY(mu_);
};

}  // namespace clientele::bench

#endif  // CLIENTELE_BENCH_QUERY_PROFILE_H_
