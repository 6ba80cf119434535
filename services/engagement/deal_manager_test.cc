// DealManager over the real backend and SQLite: create, get, update by mask
// and etag, close, list with filters and pages.
#include "services/engagement/deal_manager.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/deal_test_fixture.h"
#include "services/engagement/policy_manager.h"

namespace clientele::engagement {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using DealManagerTest = DealTest;

TEST_F(DealManagerTest, CreateFillsWhatTheServerOwnsAndPublishesDealCreated) {
  v1::Deal deal = NewDeal("acme-a", 1234567, Day(2026, 3, 31));
  deal.set_contact("contacts/anna");
  deal.set_title("  Payroll retainer 2027  ");
  deal.set_probability(0.99);                    // output only: ignored
  *deal.mutable_close_date() = Day(2026, 1, 1);  // output only: ignored
  deal.add_proposals("interactions/forged");     // output only: ignored
  auto created = Create(deal);
  ASSERT_TRUE(created.ok()) << created.status();

  EXPECT_THAT(created->name(), HasSubstr("deals/"));
  EXPECT_EQ(created->account(), "accounts/acme-a");
  EXPECT_EQ(created->contact(), "contacts/anna");
  EXPECT_EQ(created->title(), "Payroll retainer 2027");
  EXPECT_EQ(created->stage(), v1::DEAL_STAGE_QUALIFYING);
  // The default policy: QUALIFYING 0.1; 123456.7 cents round to 123457.
  EXPECT_DOUBLE_EQ(created->probability(), 0.1);
  EXPECT_EQ(created->weighted_amount().currency_code(), "EUR");
  EXPECT_EQ(created->weighted_amount().amount_minor_units(), 123457);
  EXPECT_FALSE(created->has_close_date());
  EXPECT_THAT(created->proposals(), IsEmpty());
  EXPECT_EQ(ToTime(created->create_time()), Now());
  EXPECT_EQ(ToTime(created->update_time()), Now());
  EXPECT_FALSE(created->etag().empty());

  auto got = deals().Get(CallerOf(), created->name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), created->SerializeAsString());

  std::vector<events::v1::Event> events =
      EventsOf(events::v1::Event::kDealCreated);
  ASSERT_EQ(events.size(), 1u);
  const events::v1::DealSnapshot& snapshot = events[0].deal_created().deal();
  EXPECT_EQ(snapshot.name(), created->name());
  EXPECT_EQ(snapshot.account(), "accounts/acme-a");
  EXPECT_EQ(snapshot.kind(), events::v1::DEAL_KIND_RETAINER);
  EXPECT_EQ(snapshot.stage(), events::v1::DEAL_STAGE_QUALIFYING);
  EXPECT_EQ(snapshot.amount().amount_minor_units(), 1234567);
  EXPECT_DOUBLE_EQ(snapshot.probability(), 0.1);
  EXPECT_EQ(snapshot.owner(), "olga");
  EXPECT_EQ(events[0].subject(), created->name());
}

TEST_F(DealManagerTest, CreateNamesEveryBadFieldAndStoresNothing) {
  v1::Deal deal;
  deal.set_account("acme-a");
  deal.set_contact("anna");
  deal.set_title(" ");
  *deal.mutable_amount() = Money("EURO", -1);
  deal.set_stage(v1::DEAL_STAGE_WON);
  *deal.mutable_expected_close_date() = Day(2026, 2, 30);
  const absl::Status status = Create(deal).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      FieldsOf(status),
      ElementsAre("deal.account", "deal.contact", "deal.title",
                  "deal.amount.currency_code", "deal.amount.amount_minor_units",
                  "deal.kind", "deal.stage", "deal.expected_close_date",
                  "deal.owner"));

  v1::Deal no_amount = NewDeal("acme-a", 100, Day(2026, 3, 1));
  no_amount.clear_amount();
  no_amount.clear_expected_close_date();
  no_amount.set_title(std::string(201, 'x'));
  EXPECT_THAT(
      FieldsOf(Create(no_amount).status()),
      ElementsAre("deal.title", "deal.amount", "deal.expected_close_date"));
  v1::Deal too_much = NewDeal("acme-a", 1'000'000'000'000'001, Day(2026, 3, 1));
  EXPECT_THAT(FieldsOf(Create(too_much).status()),
              ElementsAre("deal.amount.amount_minor_units"));
  EXPECT_EQ(Count("SELECT count(*) FROM deals"), 0);
  EXPECT_THAT(EventsOf(events::v1::Event::kDealCreated), IsEmpty());
}

TEST_F(DealManagerTest, AccountsResolveThroughTheProjection) {
  const absl::Status unknown =
      Create(NewDeal("nobody", 100, Day(2026, 3, 1))).status();
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.message(), HasSubstr("accounts/nobody"));
  // Another tenant's account is not there at all.
  EXPECT_EQ(Create(NewDeal("globex-a", 100, Day(2026, 3, 1))).status().code(),
            absl::StatusCode::kNotFound);

  Merge("acme-b", "acme-a");
  auto on_merged = Create(NewDeal("acme-b", 100, Day(2026, 3, 1)));
  ASSERT_TRUE(on_merged.ok()) << on_merged.status();
  EXPECT_EQ(on_merged->account(), "accounts/acme-a");
}

TEST_F(DealManagerTest, CreateIsIdempotentByRequestId) {
  const v1::Deal deal = NewDeal("acme-a", 5000, Day(2026, 3, 1));
  auto first = Create(deal, "create-1");
  auto again = Create(deal, "create-1");
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->name(), again->name());
  EXPECT_EQ(first->etag(), again->etag());
  EXPECT_EQ(Count("SELECT count(*) FROM deals"), 1);
  EXPECT_EQ(EventsOf(events::v1::Event::kDealCreated).size(), 1u);

  v1::Deal other = deal;
  other.set_title("Another deal");
  const absl::Status reused = Create(other, "create-1").status();
  EXPECT_EQ(reused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(reused), ElementsAre("request_id"));
}

TEST_F(DealManagerTest, GetAnswersNotFoundForAnotherTenantsDeal) {
  const v1::Deal deal = MustCreate(NewDeal("acme-a", 5000, Day(2026, 3, 1)));
  EXPECT_EQ(deals().Get(CallerOf("globex"), deal.name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(deals().Get(CallerOf(), "deals/missing").status().code(),
            absl::StatusCode::kNotFound);
  const absl::Status malformed = deals().Get(CallerOf(), "orders/x").status();
  EXPECT_EQ(malformed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(malformed), ElementsAre("name"));
}

TEST_F(DealManagerTest, UpdateAppliesTheMaskChecksTheEtagAndSaysWhatChanged) {
  const v1::Deal deal = MustCreate(NewDeal("acme-a", 5000, Day(2026, 3, 1)));
  clock_.Advance(absl::Minutes(5));

  v1::Deal patch;
  patch.set_name(deal.name());
  patch.set_etag(deal.etag());
  *patch.mutable_amount() = Money("EUR", 8000);
  patch.set_stage(v1::DEAL_STAGE_NEGOTIATION);
  patch.set_title("ignored: not in the mask");
  auto updated =
      deals().Update(CallerOf(), patch, Mask({"amount", "stage", "owner"}));
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument)
      << "owner in the mask and unset: required";
  EXPECT_THAT(FieldsOf(updated.status()), ElementsAre("deal.owner"));

  updated = deals().Update(CallerOf(), patch, Mask({"amount", "stage"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->title(), "Payroll retainer 2027");
  EXPECT_EQ(updated->stage(), v1::DEAL_STAGE_NEGOTIATION);
  EXPECT_DOUBLE_EQ(updated->probability(), 0.6);
  EXPECT_EQ(updated->weighted_amount().amount_minor_units(), 4800);
  EXPECT_NE(updated->etag(), deal.etag());
  EXPECT_EQ(ToTime(updated->update_time()), Now() + absl::Minutes(5));
  std::vector<events::v1::Event> events =
      EventsOf(events::v1::Event::kDealUpdated);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0].deal_updated().changed_fields(),
              ElementsAre("amount", "stage"));
  EXPECT_DOUBLE_EQ(events[0].deal_updated().deal().probability(), 0.6);

  // The old etag is stale now.
  const absl::Status stale =
      deals().Update(CallerOf(), patch, Mask({"amount"})).status();
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted);

  // Sending what is stored changes nothing: same etag, no event.
  patch.set_etag("");
  auto same = deals().Update(CallerOf(), patch, Mask({"amount", "stage"}));
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->etag(), updated->etag());
  EXPECT_EQ(EventsOf(events::v1::Event::kDealUpdated).size(), 1u);

  // A read-modify-write with "*" works too.
  v1::Deal whole = *same;
  whole.set_owner("max");
  auto star = deals().Update(CallerOf(), whole, Mask({"*"}));
  ASSERT_TRUE(star.ok()) << star.status();
  EXPECT_EQ(star->owner(), "max");
  EXPECT_THAT(EventsOf(events::v1::Event::kDealUpdated)
                  .back()
                  .deal_updated()
                  .changed_fields(),
              ElementsAre("owner"));
}

TEST_F(DealManagerTest, UpdateRefusesWhatOnlyCloseOrContactsMayChange) {
  const v1::Deal deal = MustCreate(NewDeal("acme-a", 5000, Day(2026, 3, 1)));
  v1::Deal patch = deal;

  patch.set_stage(v1::DEAL_STAGE_WON);
  absl::Status status =
      deals().Update(CallerOf(), patch, Mask({"stage"})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(status), ElementsAre("deal.stage"));
  patch.set_stage(v1::DEAL_STAGE_UNSPECIFIED);
  EXPECT_THAT(
      FieldsOf(deals().Update(CallerOf(), patch, Mask({"stage"})).status()),
      ElementsAre("deal.stage"));

  for (const char* path : {"account", "probability", "close_date", "etag",
                           "proposals", "nonsense"}) {
    status = deals().Update(CallerOf(), deal, Mask({path})).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_THAT(FieldsOf(status), ElementsAre("update_mask")) << path;
  }
  EXPECT_THAT(FieldsOf(deals().Update(CallerOf(), deal, Mask({})).status()),
              ElementsAre("update_mask"));
  patch.set_name("deals/missing");
  EXPECT_EQ(deals().Update(CallerOf(), patch, Mask({"title"})).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      deals().Update(CallerOf("globex"), deal, Mask({"title"})).status().code(),
      absl::StatusCode::kNotFound);

  ASSERT_TRUE(Close(Won(deal)).ok());
  v1::Deal late = deal;
  late.clear_etag();
  late.set_title("Too late");
  status = deals().Update(CallerOf(), late, Mask({"title"})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("closed"));
}

TEST_F(DealManagerTest, CloseAsWonDefaultsToTodayAndIsFinal) {
  const v1::Deal deal = MustCreate(NewDeal("acme-a", 5000, Day(2026, 3, 1)));
  v1::CloseDealRequest won = Won(deal);
  won.set_close_note("Signed on the spot");
  won.set_etag(deal.etag());
  auto closed = Close(won);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->stage(), v1::DEAL_STAGE_WON);
  EXPECT_EQ(closed->close_date().SerializeAsString(),
            Day(2026, 2, 15).SerializeAsString());
  EXPECT_EQ(ToTime(closed->close_time()), Now());
  EXPECT_EQ(closed->close_note(), "Signed on the spot");
  EXPECT_DOUBLE_EQ(closed->probability(), 1.0);
  EXPECT_EQ(closed->weighted_amount().amount_minor_units(), 5000);
  std::vector<events::v1::Event> events = EventsOf(events::v1::Event::kDealWon);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].deal_won().deal().stage(), events::v1::DEAL_STAGE_WON);
  EXPECT_EQ(events[0].deal_won().deal().close_date().day(), 15);

  // Won again, even with the stale etag: unchanged, no second event.
  clock_.Advance(absl::Hours(1));
  auto again = Close(won);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->etag(), closed->etag());
  EXPECT_EQ(ToTime(again->close_time()), Now());
  EXPECT_EQ(EventsOf(events::v1::Event::kDealWon).size(), 1u);
  // Lost now: the other way.
  const absl::Status lost =
      Close(Lost(deal, v1::DEAL_LOSS_REASON_PRICE)).status();
  EXPECT_EQ(lost.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(lost.message(), HasSubstr("DEAL_STAGE_WON"));
}

TEST_F(DealManagerTest, CloseAsLostKeepsTheReasonAndAPastDay) {
  const v1::Deal deal = MustCreate(NewDeal("acme-a", 5000, Day(2026, 3, 1)));
  v1::CloseDealRequest lost = Lost(deal, v1::DEAL_LOSS_REASON_COMPETITOR);
  *lost.mutable_close_date() = Day(2026, 1, 20);
  auto closed = Close(lost);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->stage(), v1::DEAL_STAGE_LOST);
  EXPECT_EQ(closed->loss_reason(), v1::DEAL_LOSS_REASON_COMPETITOR);
  EXPECT_EQ(closed->close_date().month(), 1);
  EXPECT_DOUBLE_EQ(closed->probability(), 0.0);
  EXPECT_EQ(closed->weighted_amount().amount_minor_units(), 0);
  std::vector<events::v1::Event> events =
      EventsOf(events::v1::Event::kDealLost);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].deal_lost().deal().loss_reason(),
            events::v1::DEAL_LOSS_REASON_COMPETITOR);
  EXPECT_EQ(Close(Won(deal)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(DealManagerTest, CloseNamesEveryBadFieldAndChecksTheEtag) {
  const v1::Deal deal = MustCreate(NewDeal("acme-a", 5000, Day(2026, 3, 1)));
  v1::CloseDealRequest request = Won(deal);
  request.set_outcome(v1::DEAL_STAGE_NEGOTIATION);
  request.set_close_note(std::string(1001, 'x'));
  *request.mutable_close_date() = Day(2026, 2, 16);  // tomorrow
  EXPECT_THAT(FieldsOf(Close(request).status()),
              ElementsAre("outcome", "close_note", "close_date"));

  request = Lost(deal, v1::DEAL_LOSS_REASON_UNSPECIFIED);
  *request.mutable_close_date() = Day(2026, 2, 29);  // 2026 is no leap year
  EXPECT_THAT(FieldsOf(Close(request).status()),
              ElementsAre("loss_reason", "close_date"));
  request = Won(deal);
  request.set_loss_reason(v1::DEAL_LOSS_REASON_PRICE);
  EXPECT_THAT(FieldsOf(Close(request).status()), ElementsAre("loss_reason"));
  request = Won(deal);
  request.set_name("deal/x");
  EXPECT_THAT(FieldsOf(Close(request).status()), ElementsAre("name"));

  request = Won(deal);
  request.set_etag("stale");
  EXPECT_EQ(Close(request).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Close(Won(deal), "globex").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(deals().Get(CallerOf(), deal.name())->stage(),
            v1::DEAL_STAGE_QUALIFYING);
}

TEST_F(DealManagerTest, CloseIsIdempotentByRequestId) {
  const v1::Deal deal = MustCreate(NewDeal("acme-a", 5000, Day(2026, 3, 1)));
  v1::CloseDealRequest request = Lost(deal, v1::DEAL_LOSS_REASON_TIMING);
  request.set_request_id("close-1");
  auto first = Close(request);
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = Close(request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(EventsOf(events::v1::Event::kDealLost).size(), 1u);
}

TEST_F(DealManagerTest, ProbabilitiesFollowThePolicyAndRoundHalfUp) {
  // 5 cents x 0.3 = 1.5 -> 2; 3 cents x 0.1 = 0.3 -> 0.
  const v1::Deal five = MustCreate(NewDeal("acme-a", 5, Day(2026, 3, 1)));
  v1::Deal in_proposal = NewDeal("acme-a", 5, Day(2026, 3, 2));
  in_proposal.set_stage(v1::DEAL_STAGE_PROPOSAL);
  EXPECT_EQ(MustCreate(in_proposal).weighted_amount().amount_minor_units(), 2);
  EXPECT_EQ(MustCreate(NewDeal("acme-a", 3, Day(2026, 3, 3)))
                .weighted_amount()
                .amount_minor_units(),
            0);

  v1::ScoringPolicy policy;
  policy.set_name(kScoringPolicyName);
  policy.mutable_deal_stage_probabilities()->set_qualifying(0.25);
  policy.mutable_deal_stage_probabilities()->set_proposal(0.5);
  policy.mutable_deal_stage_probabilities()->set_negotiation(0.75);
  const absl::Status updated =
      backend_->policies()
          .Update(Caller{"acme", "role:admin", "t"}, policy,
                  Mask({"deal_stage_probabilities"}))
          .status();
  ASSERT_TRUE(updated.ok()) << updated;
  auto got = deals().Get(CallerOf(), five.name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_DOUBLE_EQ(got->probability(), 0.25);
  EXPECT_EQ(got->weighted_amount().amount_minor_units(), 1);  // 1.25 -> 1
  // Another tenant keeps the defaults.
  auto globex = Create(NewDeal("globex-a", 5, Day(2026, 3, 1)), "", "globex");
  ASSERT_TRUE(globex.ok()) << globex.status();
  EXPECT_DOUBLE_EQ(globex->probability(), 0.1);
}

class DealListTest : public DealTest {
 protected:
  void SetUp() override {
    DealTest::SetUp();
    // Expected close days 1..6 of March, alternating accounts and owners.
    for (int day = 1; day <= 6; ++day) {
      v1::Deal deal = NewDeal(day % 2 == 1 ? "acme-a" : "acme-b",
                              int64_t{100} * day, Day(2026, 3, day));
      deal.set_owner(day <= 3 ? "olga" : "max");
      deal.set_stage(day == 6 ? v1::DEAL_STAGE_NEGOTIATION
                              : v1::DEAL_STAGE_QUALIFYING);
      created_.push_back(MustCreate(deal));
    }
    ASSERT_TRUE(Close(Won(created_[4])).ok());  // day 5
    ASSERT_TRUE(
        Create(NewDeal("globex-a", 100, Day(2026, 3, 1)), "", "globex").ok());
  }

  std::vector<int> Days(const v1::ListDealsRequest& request) {
    auto listed = deals().List(CallerOf(), request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<int> days;
    if (listed.ok()) {
      for (const v1::Deal& deal : listed->deals()) {
        days.push_back(deal.expected_close_date().day());
      }
    }
    return days;
  }

  std::vector<v1::Deal> created_;
};

TEST_F(DealListTest, FiltersCombine) {
  EXPECT_THAT(Days({}), ElementsAre(1, 2, 3, 4, 5, 6));
  v1::ListDealsRequest request;
  request.set_account("accounts/acme-a");
  EXPECT_THAT(Days(request), ElementsAre(1, 3, 5));
  request.add_stages(v1::DEAL_STAGE_QUALIFYING);
  request.add_stages(v1::DEAL_STAGE_NEGOTIATION);
  EXPECT_THAT(Days(request), ElementsAre(1, 3));
  request.clear_account();
  request.set_owner("max");
  EXPECT_THAT(Days(request), ElementsAre(4, 6));
  request.clear_owner();
  *request.mutable_expected_close_date_range()->mutable_start_date() =
      Day(2026, 3, 2);
  *request.mutable_expected_close_date_range()->mutable_end_date() =
      Day(2026, 3, 4);
  EXPECT_THAT(Days(request), ElementsAre(2, 3, 4));
  request.clear_stages();
  request.add_stages(v1::DEAL_STAGE_WON);
  request.clear_expected_close_date_range();
  EXPECT_THAT(Days(request), ElementsAre(5));

  // A merged account lists its survivor's deals.
  Merge("acme-b", "acme-a");
  v1::ListDealsRequest merged;
  merged.set_account("accounts/acme-b");
  EXPECT_THAT(Days(merged), ElementsAre(1, 2, 3, 4, 5, 6));
  merged.set_account("accounts/unknown");
  EXPECT_THAT(Days(merged), IsEmpty());
}

TEST_F(DealListTest, PagesCoverEveryDealOnceAndTokensKeepTheirFilters) {
  v1::ListDealsRequest request;
  request.set_page_size(4);
  auto first = deals().List(CallerOf(), request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->deals_size(), 4);
  ASSERT_FALSE(first->next_page_token().empty());
  // Each listed deal shows what Get shows.
  EXPECT_EQ(first->deals(0).SerializeAsString(),
            deals().Get(CallerOf(), created_[0].name())->SerializeAsString());

  request.set_page_token(first->next_page_token());
  auto second = deals().List(CallerOf(), request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->deals_size(), 2);
  EXPECT_EQ(second->deals(0).expected_close_date().day(), 5);
  EXPECT_TRUE(second->next_page_token().empty());

  request.set_owner("olga");
  absl::Status changed = deals().List(CallerOf(), request).status();
  EXPECT_EQ(changed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(changed), ElementsAre("page_token"));
  request.clear_owner();
  EXPECT_THAT(FieldsOf(deals().List(CallerOf("globex"), request).status()),
              ElementsAre("page_token"));
  request.set_page_token("garbage");
  EXPECT_THAT(FieldsOf(deals().List(CallerOf(), request).status()),
              ElementsAre("page_token"));
}

TEST_F(DealListTest, BadFiltersAreNamed) {
  v1::ListDealsRequest request;
  request.set_account("acme-a");
  request.add_stages(v1::DEAL_STAGE_UNSPECIFIED);
  request.set_owner(std::string(129, 'o'));
  *request.mutable_expected_close_date_range()->mutable_start_date() =
      Day(2026, 13, 1);
  *request.mutable_expected_close_date_range()->mutable_end_date() =
      Day(0, 1, 1);
  EXPECT_THAT(FieldsOf(deals().List(CallerOf(), request).status()),
              ElementsAre("account", "stages", "owner",
                          "expected_close_date_range.start_date",
                          "expected_close_date_range.end_date"));
  v1::ListDealsRequest backwards;
  *backwards.mutable_expected_close_date_range()->mutable_start_date() =
      Day(2026, 3, 2);
  *backwards.mutable_expected_close_date_range()->mutable_end_date() =
      Day(2026, 3, 1);
  EXPECT_THAT(FieldsOf(deals().List(CallerOf(), backwards).status()),
              ElementsAre("expected_close_date_range"));
  v1::ListDealsRequest negative;
  negative.set_page_size(-1);
  EXPECT_THAT(FieldsOf(deals().List(CallerOf(), negative).status()),
              ElementsAre("page_size"));
}

}  // namespace
}  // namespace clientele::engagement
