#include "common/idempotency.h"

#include <memory>

#include "common/errors.h"
#include "common/sql/sqlite_database.h"
#include "common/testing/temp_dir.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"

namespace clientele {
namespace {

using ::google::protobuf::FieldMask;

FieldMask Mask(const char* path) {
  FieldMask mask;
  mask.add_paths(path);
  return mask;
}

class IdempotencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = sql::SqliteDatabase::Open({dir_.File("i.db")});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(
        db_->Migrate({{1, "idempotency", kIdempotencyMigrationSql}}).ok());
  }

  // Runs the "write" of `request` once per request id; returns how many times
  // the effect ran in total and the response the caller saw.
  absl::StatusOr<FieldMask> Call(const std::string& request_id,
                                 const FieldMask& request) {
    FieldMask response;
    absl::Status status =
        db_->Write([&](sql::Transaction& txn) -> absl::Status {
          const IdempotencyKey key{"acme", "Do", request_id};
          const std::string fingerprint = RequestFingerprint(request);
          auto found =
              FindStoredResponse(txn, key, fingerprint, now_, &response);
          if (!found.ok()) return found.status();
          if (*found) return absl::OkStatus();
          ++effects_;
          response = request;
          response.add_paths("done");
          return StoreResponse(txn, key, fingerprint, now_, response,
                               {"things/1"});
        });
    if (!status.ok()) return status;
    return response;
  }

  testing::TempDir dir_;
  std::unique_ptr<sql::Database> db_;
  absl::Time now_ = absl::FromUnixSeconds(1767225600);
  int effects_ = 0;
};

TEST_F(IdempotencyTest, RetryReturnsTheFirstResponseWithoutRepeating) {
  auto first = Call("r1", Mask("a"));
  auto second = Call("r1", Mask("a"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->DebugString(), second->DebugString());
  EXPECT_EQ(effects_, 1);
}

TEST_F(IdempotencyTest, SameIdDifferentRequestIsInvalidArgument) {
  ASSERT_TRUE(Call("r1", Mask("a")).ok());
  absl::Status status = Call("r1", Mask("b")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "request_id");
  EXPECT_EQ(effects_, 1);
}

TEST_F(IdempotencyTest, ExpiredAndForgottenEntriesRunAgain) {
  ASSERT_TRUE(Call("r1", Mask("a")).ok());
  now_ += kIdempotencyTtl + absl::Seconds(1);
  ASSERT_TRUE(Call("r1", Mask("b")).ok());
  EXPECT_EQ(effects_, 2);
  ASSERT_TRUE(db_->Write([&](sql::Transaction& txn) {
                   const std::string resources[] = {"things/1"};
                   return ForgetResponsesMentioning(txn, "acme", resources,
                                                    now_);
                 })
                  .ok());
  ASSERT_TRUE(Call("r1", Mask("b")).ok());
  EXPECT_EQ(effects_, 3);
}

TEST(ValidateRequestIdTest, LimitsLengthAndCharacters) {
  EXPECT_TRUE(ValidateRequestId("").ok());
  EXPECT_TRUE(ValidateRequestId("5f0c2d1e-aaaa-bbbb-cccc-0123456789ab").ok());
  EXPECT_FALSE(ValidateRequestId(std::string(65, 'a')).ok());
  EXPECT_FALSE(ValidateRequestId("a b").ok());
  EXPECT_FALSE(ValidateRequestId("\xc3\xa9").ok());
}

}  // namespace
}  // namespace clientele
