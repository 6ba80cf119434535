#include "bench/query_profile.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace clientele::bench {

// Times each statement of the wrapped transaction.
class ProfilingDatabase::ProfilingTransaction final : public sql::Transaction {
 public:
  ProfilingTransaction(ProfilingDatabase* owner, sql::Transaction* base)
      : owner_(owner), base_(base) {}

  absl::StatusOr<int64_t> Exec(absl::string_view sql,
                               absl::Span<const sql::Value> params) override {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<int64_t> changed = base_->Exec(sql, params);
    owner_->Record(sql, params, SecondsSince(start),
                   changed.ok() ? *changed : 0);
    return changed;
  }

  absl::StatusOr<std::vector<sql::Row>> Query(
      absl::string_view sql, absl::Span<const sql::Value> params) override {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::vector<sql::Row>> rows = base_->Query(sql, params);
    owner_->Record(sql, params, SecondsSince(start),
                   rows.ok() ? static_cast<int64_t>(rows->size()) : 0);
    return rows;
  }

  int64_t LastInsertId() override { return base_->LastInsertId(); }

  // What the body asked to run after the commit goes to the real
  // transaction, which runs it.
  void HandOverAfterCommit() {
    for (auto& callback : TakeAfterCommit()) {
      base_->AfterCommit(std::move(callback));
    }
  }

 private:
  static double SecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  }

  ProfilingDatabase* const owner_;
  sql::Transaction* const base_;
};

void ProfilingDatabase::Record(absl::string_view sql,
                               absl::Span<const sql::Value> params,
                               double seconds, int64_t rows) {
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = statements_.try_emplace(sql);
  Statement& statement = it->second;
  if (inserted) statement.sql = std::string(sql);
  ++statement.calls;
  statement.seconds += seconds;
  statement.rows += rows;
  statement.last_params.assign(params.begin(), params.end());
}

std::vector<ProfilingDatabase::Statement> ProfilingDatabase::Statements()
    const {
  std::vector<Statement> out;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [sql, statement] : statements_) out.push_back(statement);
  }
  std::sort(out.begin(), out.end(), [](const Statement& a, const Statement& b) {
    return a.seconds > b.seconds;
  });
  return out;
}

void ProfilingDatabase::Reset() {
  absl::MutexLock lock(&mu_);
  statements_.clear();
}

absl::StatusOr<std::vector<std::string>> ProfilingDatabase::Plan(
    const Statement& statement) {
  std::vector<std::string> lines;
  RETURN_IF_ERROR(base_->Read([&](sql::Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        txn.Query(absl::StrCat("EXPLAIN QUERY PLAN ", statement.sql),
                  statement.last_params));
    // Columns: id, parent, notused, detail; indented by depth.
    absl::flat_hash_map<int64_t, int> depth;
    for (const sql::Row& row : rows) {
      const auto parent = depth.find(row.Int(1));
      const int level = parent == depth.end() ? 0 : parent->second + 1;
      depth[row.Int(0)] = level;
      lines.push_back(absl::StrCat(
          std::string(2 * static_cast<size_t>(level), ' '), row.String(3)));
    }
    return absl::OkStatus();
  }));
  return lines;
}

absl::Status ProfilingDatabase::Write(
    const std::function<absl::Status(sql::Transaction&)>& body) {
  std::chrono::steady_clock::time_point body_done;
  bool committing = false;
  RETURN_IF_ERROR(base_->Write([&](sql::Transaction& base) -> absl::Status {
    ProfilingTransaction txn(this, &base);
    RETURN_IF_ERROR(body(txn));
    txn.HandOverAfterCommit();
    body_done = std::chrono::steady_clock::now();
    committing = true;
    return absl::OkStatus();
  }));
  // The commit itself (dirty pages to the WAL, and the automatic checkpoint
  // if the database runs one on the committing thread) as a statement of its
  // own: no statement of the body pays for it.
  if (committing) {
    Record("COMMIT", {},
           std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         body_done)
               .count(),
           0);
  }
  return absl::OkStatus();
}

absl::Status ProfilingDatabase::Read(
    const std::function<absl::Status(sql::Transaction&)>& body) {
  return base_->Read([&](sql::Transaction& base) -> absl::Status {
    ProfilingTransaction txn(this, &base);
    return body(txn);
  });
}

}  // namespace clientele::bench
