#include "common/sql/statement.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/sql/database.h"
#include "common/sql/stored_proto.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"

namespace clientele::sql {
namespace {

using google::protobuf::Timestamp;

TEST(StatementTest, TextAndValuesGrowTogether) {
  Statement select{"SELECT data FROM t WHERE tenant = ?", {std::string("a")}};
  select.Append(" AND kind = ?", {int64_t{3}});
  select.AppendIn(" AND state", std::vector<int>{1, 4});
  select.Append(" AND (at, id) > (?, ?)", {int64_t{9}, std::string("x")});
  select.Append(" ORDER BY at, id");
  EXPECT_EQ(select.sql,
            "SELECT data FROM t WHERE tenant = ? AND kind = ? AND state IN "
            "(?, ?) AND (at, id) > (?, ?) ORDER BY at, id");
  EXPECT_EQ(select.params,
            (std::vector<Value>{std::string("a"), int64_t{3}, int64_t{1},
                                int64_t{4}, int64_t{9}, std::string("x")}));
}

class StoredQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::OpenSqliteForTest(dir_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(db_->Write([](Transaction& txn) -> absl::Status {
                     auto created = txn.Exec(
                         "CREATE TABLE t (id TEXT PRIMARY KEY, kind INTEGER, "
                         "data BLOB)");
                     if (!created.ok()) return created.status();
                     for (int64_t kind : {1, 2, 3}) {
                       Timestamp stored;
                       stored.set_seconds(kind);
                       const Value row[] = {absl::StrCat("r", kind), kind,
                                            Blob{stored.SerializeAsString()}};
                       auto inserted = txn.Exec(
                           "INSERT INTO t (id, kind, data) VALUES (?, ?, ?)",
                           row);
                       if (!inserted.ok()) return inserted.status();
                     }
                     return absl::OkStatus();
                   })
                    .ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(StoredQueryTest, ParsesEveryRowOrTheFirstOne) {
  ASSERT_TRUE(
      db_->Read([](Transaction& txn) -> absl::Status {
           Statement select{"SELECT data FROM t WHERE kind >= ?", {int64_t{2}}};
           select.AppendIn(" AND kind", std::vector<int>{1, 3});
           absl::StatusOr<std::vector<Timestamp>> all =
               QueryStored<Timestamp>(txn, select.sql, select.params, "stamp");
           EXPECT_TRUE(all.ok()) << all.status();
           EXPECT_EQ(all->size(), 1u);
           EXPECT_EQ((*all)[0].seconds(), 3);

           const Value id[] = {std::string("r2")};
           auto found = FindStored<Timestamp>(
               txn, "SELECT data FROM t WHERE id = ?", id, "stamp");
           EXPECT_TRUE(found.ok() && found->has_value());
           EXPECT_EQ((*found)->seconds(), 2);
           const Value none[] = {std::string("r9")};
           found = FindStored<Timestamp>(txn, "SELECT data FROM t WHERE id = ?",
                                         none, "stamp");
           EXPECT_TRUE(found.ok() && !found->has_value());
           return absl::OkStatus();
         })
          .ok());
}

TEST_F(StoredQueryTest, ARowThatDoesNotParseIsDataLoss) {
  ASSERT_TRUE(db_->Write([](Transaction& txn) -> absl::Status {
                   return txn
                       .Exec("UPDATE t SET data = x'ffff' WHERE id = 'r1'")
                       .status();
                 })
                  .ok());
  absl::Status status = db_->Read([](Transaction& txn) -> absl::Status {
    return QueryStored<Timestamp>(txn, "SELECT data FROM t", {}, "stamp")
        .status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), ::testing::HasSubstr("stored stamp"));
}

}  // namespace
}  // namespace clientele::sql
