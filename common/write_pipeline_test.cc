#include "common/write_pipeline.h"

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/errors.h"
#include "common/idempotency.h"
#include "common/testing/caller_for_test.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/struct.pb.h"
#include "gtest/gtest.h"

namespace clientele {
namespace {

using ::google::protobuf::FieldMask;
using ::google::protobuf::Value;

// The request of these writes is a FieldMask (any message will do): the
// pipeline takes the id, method and request from the Caller.
class WritePipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::OpenSqliteForTest(dir_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(db_->Migrate({{1, "idempotency", kIdempotencyMigrationSql},
                              {2, "purge", kStoredResponsePurgeMigrationSql}})
                    .ok());
    pipeline_ = std::make_unique<WritePipeline>(db_.get(), &clock_);
  }

  // One write of `request` (its paths are the "change") by tenant `tenant`
  // under `request_id` as method `method`: counts the effects that ran and
  // the after-commit callbacks that fired.
  absl::StatusOr<FieldMask> Write(const FieldMask& request,
                                  const std::string& request_id,
                                  const std::string& method = "/svc/Do",
                                  const std::string& tenant = "acme",
                                  bool fail = false) {
    Caller caller{tenant, "role:admin", request_id};
    caller.method = method;
    caller.request_id = request_id;
    caller.request = &request;
    FieldMask response;
    absl::Status status =
        pipeline_->Run(caller, &response, [&](WriteScope& scope) {
          ++effects_;
          scope.txn().AfterCommit([this] { ++after_commits_; });
          if (fail) return absl::FailedPreconditionError("no");
          response = request;
          response.add_paths("done");
          scope.Mentions("things/1");
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
    return response;
  }

  int64_t StoredResponses() {
    int64_t count = -1;
    EXPECT_TRUE(db_->Read([&](sql::Transaction& txn) -> absl::Status {
                     auto rows =
                         txn.Query("SELECT COUNT(*) FROM idempotency_keys");
                     if (!rows.ok()) return rows.status();
                     count = rows->front().Int(0);
                     return absl::OkStatus();
                   })
                    .ok());
    return count;
  }

  absl::StatusOr<int64_t> Purge() {
    int64_t purged = 0;
    absl::Status status = db_->Write([&](sql::Transaction& txn) {
      auto n = PurgeExpiredResponses(txn, clock_.Now());
      if (!n.ok()) return n.status();
      purged = *n;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return purged;
  }

  static FieldMask Request(const char* path) {
    FieldMask mask;
    mask.add_paths(path);
    return mask;
  }

  testing::TempDir dir_;
  std::unique_ptr<sql::Database> db_;
  FakeClock clock_;
  std::unique_ptr<WritePipeline> pipeline_;
  int effects_ = 0;
  int after_commits_ = 0;
};

TEST_F(WritePipelineTest, ARetryGetsTheFirstAnswerWithoutRepeatingTheChange) {
  auto first = Write(Request("a"), "req-1");
  auto retry = Write(Request("a"), "req-1");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(first->DebugString(), retry->DebugString());
  EXPECT_EQ(effects_, 1);
  EXPECT_EQ(after_commits_, 1);  // the retry has no after-commit effects
}

TEST_F(WritePipelineTest, TheSameIdForAnotherRequestIsInvalidArgument) {
  ASSERT_TRUE(Write(Request("a"), "req-1").ok());
  absl::Status status = Write(Request("b"), "req-1").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(status).front().field, "request_id");
  EXPECT_EQ(effects_, 1);
}

TEST_F(WritePipelineTest, IdsAreScopedByTenantAndMethod) {
  ASSERT_TRUE(Write(Request("a"), "req-1", "/svc/Do", "acme").ok());
  ASSERT_TRUE(Write(Request("b"), "req-1", "/svc/Other", "acme").ok());
  ASSERT_TRUE(Write(Request("c"), "req-1", "/svc/Do", "globex").ok());
  EXPECT_EQ(effects_, 3);
}

TEST_F(WritePipelineTest, WithoutAnIdEveryCallIsAChange) {
  ASSERT_TRUE(Write(Request("a"), "").ok());
  ASSERT_TRUE(Write(Request("a"), "").ok());
  EXPECT_EQ(effects_, 2);
  EXPECT_EQ(after_commits_, 2);
  EXPECT_EQ(StoredResponses(), 0);
}

TEST_F(WritePipelineTest, AFailedChangeStoresNothingAndRunsNoEffects) {
  EXPECT_EQ(Write(Request("a"), "req-1", "/svc/Do", "acme", /*fail=*/true)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(after_commits_, 0);
  EXPECT_EQ(StoredResponses(), 0);
  ASSERT_TRUE(Write(Request("a"), "req-1").ok());  // the retry runs for real
  EXPECT_EQ(effects_, 2);
  EXPECT_EQ(after_commits_, 1);
}

TEST_F(WritePipelineTest, AMalformedIdIsInvalidArgumentBeforeAnyChange) {
  absl::Status status = Write(Request("a"), "has space").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(status).front().field, "request_id");
  EXPECT_EQ(effects_, 0);
}

TEST_F(WritePipelineTest, AnIdempotentWriteOutsideACallIsRefused) {
  Caller caller{"acme", "role:admin", ""};
  caller.request_id = "req-1";  // but no method or request
  FieldMask response;
  EXPECT_EQ(pipeline_
                ->Run(caller, &response,
                      [&](WriteScope&) {
                        ++effects_;
                        return absl::OkStatus();
                      })
                .code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(effects_, 0);
}

TEST_F(WritePipelineTest,
       StoredResponsesExpireAndThePurgeKeepsTheTableBounded) {
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(Write(Request("a"), "old-" + std::to_string(i)).ok());
  }
  clock_.Advance(kStoredResponseRetention - absl::Hours(1));
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(Write(Request("a"), "new-" + std::to_string(i)).ok());
  }
  EXPECT_EQ(StoredResponses(), 60);
  ASSERT_EQ(*Purge(), 0);  // nothing is past its retention yet
  clock_.Advance(absl::Hours(2));
  auto purged = Purge();
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(*purged, 50);
  EXPECT_EQ(StoredResponses(), 10);
  // A retry of a purged request runs as a new request; a recent one is
  // still answered from its stored response.
  const int before = effects_;
  ASSERT_TRUE(Write(Request("a"), "old-1").ok());
  ASSERT_TRUE(Write(Request("a"), "new-1").ok());
  EXPECT_EQ(effects_, before + 1);
}

TEST_F(WritePipelineTest, TheTestCallerCarriesTheRequestsOwnId) {
  Value request;  // has no request_id field
  Caller caller = testing::CallerServingForTest(Caller{"acme"}, request);
  EXPECT_EQ(caller.request_id, "");
  EXPECT_EQ(caller.request, &request);
  EXPECT_EQ(caller.method, "/test/google.protobuf.Value");
}

}  // namespace
}  // namespace clientele
