// The at-risk list from its maintained ranking (projector_at_risk.cc) on
// what random histories do not reach: a year window that moves month by
// month for more than a year, a gap of more than a year, and revenue dated
// after as_of. Each list is compared with the account-by-account answer.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/reporting/at_risk_report.h"
#include "services/reporting/fast_path_fixture_for_test.h"

namespace clientele::reporting {
namespace {

using testing::AccountFields;
using testing::FastPathEquivalenceTest;
using testing::Utc;

constexpr events::v1::InteractionKind kPurchase =
    events::v1::INTERACTION_KIND_PURCHASE;

class AtRiskRankingTest : public FastPathEquivalenceTest {
 protected:
  void SetUp() override {
    FastPathEquivalenceTest::SetUp();
    if (HasFatalFailure()) return;
    for (const char* id : {"a1", "a2", "a3"}) {
      AccountFields account;
      account.id = id;
      account.time = Utc(2024, 1, 2);
      Apply("contacts", testing::AccountCreated(account));
      Apply("engagement",
            testing::ScoreChanged({.account = id,
                                   .time = Utc(2024, 1, 3),
                                   .score = 20,
                                   .band = type::v1::SCORE_BAND_AT_RISK}));
    }
  }

  void Purchase(const std::string& account, absl::Time time, int64_t amount) {
    Apply("engagement", testing::Interaction({.account = account,
                                              .time = time,
                                              .kind = kPurchase,
                                              .amount = amount,
                                              .currency = "EUR"}));
  }

  // The list as of `as_of` (both ways), as "account:revenue at risk".
  std::vector<std::string> Ranking(
      absl::Time as_of, bool from_ranking,
      std::optional<absl::Time> start = std::nullopt) {
    const ReportScope scope = testing::Scope(
        "acme", start.value_or(as_of - absl::Hours(24 * 90)), as_of, as_of);
    const std::string what = absl::StrCat("as of ", absl::FormatTime(as_of));
    const absl::StatusOr<bool> ranked = Read([&](sql::Transaction& txn) {
      return AtRiskRankingAnswers(txn, scope);
    });
    EXPECT_TRUE(ranked.ok()) << ranked.status();
    EXPECT_EQ(ranked.value_or(!from_ranking), from_ranking) << what;
    const auto list = BothWays(
        scope, what, [](sql::Transaction& txn, const ReportScope& read) {
          return ListAtRisk(txn, read, {});
        });
    std::vector<std::string> out;
    if (!list.has_value()) return out;
    for (const v1::AtRiskAccount& account : list->at_risk_accounts()) {
      out.push_back(
          absl::StrCat(account.account().substr(9), ":",
                       account.revenue_at_risk().amount_minor_units()));
    }
    return out;
  }
};

// a1 buys 1000 on the 15th of every month from January 2024; a2 5000 on
// 2024-02-15 and 100 on 2025-03-15. Each month the window drops its
// oldest month and takes the new one.
TEST_F(AtRiskRankingTest, TheWindowMovesAMonthAtATime) {
  for (absl::CivilMonth month(2024, 1); month <= absl::CivilMonth(2025, 3);
       ++month) {
    const absl::Time fifteenth = absl::FromCivil(
        absl::CivilDay(month.year(), month.month(), 15), absl::UTCTimeZone());
    Purchase("a1", fifteenth, 1000);
    if (month == absl::CivilMonth(2024, 2)) Purchase("a2", fifteenth, 5000);
    if (month == absl::CivilMonth(2025, 3)) Purchase("a2", fifteenth, 100);
    const std::vector<std::string> ranking = Ranking(fifteenth, true);
    if (HasFailure()) return;
    // January 2025: February 2024 to January 2025, a2's 5000 still in it.
    if (month == absl::CivilMonth(2025, 1)) {
      EXPECT_EQ(ranking,
                (std::vector<std::string>{"a1:12000", "a2:5000", "a3:0"}));
    }
  }
  // March 2025: April 2024 to March 2025.
  EXPECT_EQ(Ranking(Utc(2025, 3, 15), true),
            (std::vector<std::string>{"a1:12000", "a2:100", "a3:0"}));
  // Nothing happens for 15 months; then a1 buys again: June 2026's window
  // (July 2025 on) has that purchase only.
  Purchase("a1", Utc(2026, 6, 10), 700);
  EXPECT_EQ(Ranking(Utc(2026, 6, 10), true),
            (std::vector<std::string>{"a1:700", "a2:0", "a3:0"}));
}

// A purchase dated after as_of is not revenue of the year before it: the
// list is then read account by account, and the same.
TEST_F(AtRiskRankingTest, RevenueDatedAfterAsOfIsLeftOut) {
  Purchase("a1", Utc(2024, 3, 1), 300);
  Purchase("a2", Utc(2024, 3, 2), 200);
  // Recorded on 03-03, dated 03-20.
  Apply("engagement", testing::Interactions({{.account = "a3",
                                              .time = Utc(2024, 3, 20),
                                              .kind = kPurchase,
                                              .amount = 900,
                                              .currency = "EUR"}},
                                            "acme", Utc(2024, 3, 3)));
  EXPECT_EQ(Ranking(Utc(2024, 3, 10), false),
            (std::vector<std::string>{"a1:300", "a2:200", "a3:0"}));
  // The range does not change it: a1's purchase is before this one.
  EXPECT_EQ(Ranking(Utc(2024, 3, 10), false, Utc(2024, 3, 2)),
            (std::vector<std::string>{"a1:300", "a2:200", "a3:0"}));
  EXPECT_EQ(Ranking(Utc(2024, 3, 25), true),
            (std::vector<std::string>{"a3:900", "a1:300", "a2:200"}));
}

// As of the first instant of a month the year ends with the month before:
// a purchase dated at that very instant is the new month's, in neither path.
TEST_F(AtRiskRankingTest, AMonthThatBeginsAtAsOfIsNotInTheYear) {
  Purchase("a1", Utc(2024, 3, 31, 12), 300);
  // Recorded on 03-31 23:00, dated 04-01 00:00.
  Apply("engagement", testing::Interactions({{.account = "a2",
                                              .time = Utc(2024, 4, 1),
                                              .kind = kPurchase,
                                              .amount = 900,
                                              .currency = "EUR"}},
                                            "acme", Utc(2024, 3, 31, 23)));
  EXPECT_EQ(Ranking(Utc(2024, 4, 1), true),
            (std::vector<std::string>{"a1:300", "a2:0", "a3:0"}));
}

}  // namespace
}  // namespace clientele::reporting
