// Deals beside the rest of engagement: proposals linked to their deal
// (DealLinks), merges, erasure and exports (DealDataPart), and the closed
// deals scoring reads.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/deal_rules.h"
#include "services/engagement/deal_test_fixture.h"
#include "services/engagement/sqlite_score_store.h"

namespace clientele::engagement {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

using DealLinksTest = DealTest;

TEST_F(DealLinksTest, AProposalMovesAQualifyingDealAndIsListedOnIt) {
  const v1::Deal deal = MustCreate(NewDeal("acme-a", 5000, Day(2026, 3, 1)));
  auto first = Record({Proposal("acme-a", deal.name(), absl::Hours(5))});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)[0].deal(), deal.name());

  auto moved = deals().Get(CallerOf(), deal.name());
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->stage(), v1::DEAL_STAGE_PROPOSAL);
  EXPECT_DOUBLE_EQ(moved->probability(), 0.3);
  EXPECT_NE(moved->etag(), deal.etag());
  EXPECT_THAT(moved->proposals(), ElementsAre((*first)[0].name()));
  std::vector<events::v1::Event> updates =
      EventsOf(events::v1::Event::kDealUpdated);
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_THAT(updates[0].deal_updated().changed_fields(), ElementsAre("stage"));
  EXPECT_EQ(updates[0].deal_updated().deal().stage(),
            events::v1::DEAL_STAGE_PROPOSAL);

  // A second proposal, older than the first: linked, listed first, and the
  // deal (no longer QUALIFYING) does not move again.
  auto second = Record({Proposal("acme-a", deal.name(), absl::Hours(9))});
  ASSERT_TRUE(second.ok()) << second.status();
  moved = deals().Get(CallerOf(), deal.name());
  EXPECT_THAT(moved->proposals(),
              ElementsAre((*second)[0].name(), (*first)[0].name()));
  EXPECT_EQ(EventsOf(events::v1::Event::kDealUpdated).size(), 1u);

  // A NEGOTIATION deal stays where it is.
  v1::Deal negotiating = NewDeal("acme-a", 100, Day(2026, 3, 2));
  negotiating.set_stage(v1::DEAL_STAGE_NEGOTIATION);
  negotiating = MustCreate(negotiating);
  ASSERT_TRUE(Record({Proposal("acme-a", negotiating.name())}).ok());
  EXPECT_EQ(deals().Get(CallerOf(), negotiating.name())->stage(),
            v1::DEAL_STAGE_NEGOTIATION);
}

TEST_F(DealLinksTest, ADealMustBeAnOpenDealOfTheSameAccountAndTenant) {
  const v1::Deal deal = MustCreate(NewDeal("acme-a", 5000, Day(2026, 3, 1)));
  auto globex = Create(NewDeal("globex-a", 100, Day(2026, 3, 1)), "", "globex");
  ASSERT_TRUE(globex.ok()) << globex.status();

  v1::Interaction call = Proposal("acme-a", deal.name());
  call.set_kind(v1::INTERACTION_KIND_CALL);
  absl::Status status = Record({call}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(status), ElementsAre("interaction.deal"));

  status = Record({Proposal("acme-a", "orders/1")}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(status), ElementsAre("interaction.deal"));

  for (const std::string& missing :
       {std::string("deals/missing"), globex->name()}) {
    status = Record({Proposal("acme-a", missing)}).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << missing;
    EXPECT_THAT(FieldsOf(status), ElementsAre("interaction.deal")) << missing;
  }

  // In a batch the failing row is named; nothing of the batch is stored.
  status =
      Record({Proposal("acme-a", deal.name()), Proposal("acme-b", deal.name())})
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(FieldsOf(status), ElementsAre("interactions[1].deal"));
  EXPECT_THAT(status.message(), HasSubstr("accounts/acme-a"));
  EXPECT_EQ(Count("SELECT count(*) FROM interactions"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM deal_proposals"), 0);
  EXPECT_EQ(deals().Get(CallerOf(), deal.name())->stage(),
            v1::DEAL_STAGE_QUALIFYING);

  ASSERT_TRUE(Close(Lost(deal, v1::DEAL_LOSS_REASON_PRICE)).ok());
  status = Record({Proposal("acme-a", deal.name())}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(FieldsOf(status), ElementsAre("interaction.deal"));

  // Without a deal a proposal records as before.
  EXPECT_TRUE(Record({Proposal("acme-a", "")}).ok());
}

TEST_F(DealLinksTest, ADealListsItsLatestTwentyProposalsOldestFirst) {
  const v1::Deal deal = MustCreate(NewDeal("acme-a", 5000, Day(2026, 3, 1)));
  std::vector<v1::Interaction> batch;
  for (int i = 25; i >= 1; --i) {  // i hours ago: the last is the newest
    batch.push_back(Proposal("acme-a", deal.name(), absl::Hours(i)));
  }
  auto recorded = Record(batch);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  auto got = deals().Get(CallerOf(), deal.name());
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_THAT(got->proposals(), SizeIs(20));
  EXPECT_EQ(got->proposals(0), (*recorded)[5].name());
  EXPECT_EQ(got->proposals(19), (*recorded)[24].name());

  // Deleting an interaction removes its link; the deal keeps its stage.
  ASSERT_TRUE(
      backend_->interactions().Delete(CallerOf(), (*recorded)[24].name()).ok());
  got = deals().Get(CallerOf(), deal.name());
  EXPECT_EQ(got->proposals(19), (*recorded)[23].name());
  EXPECT_EQ(got->proposals(0), (*recorded)[4].name());
  EXPECT_EQ(got->stage(), v1::DEAL_STAGE_PROPOSAL);
  EXPECT_EQ(Count("SELECT count(*) FROM deal_proposals"), 24);
}

TEST_F(DealLinksTest, AMergeMovesDealsToTheSurvivor) {
  const v1::Deal deal = MustCreate(NewDeal("acme-b", 5000, Day(2026, 3, 1)));
  Merge("acme-b", "acme-a");
  auto moved = deals().Get(CallerOf(), deal.name());
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->account(), "accounts/acme-a");
  EXPECT_EQ(moved->etag(), deal.etag());
  // A proposal recorded on either name is one of the survivor's.
  EXPECT_TRUE(Record({Proposal("acme-b", deal.name())}).ok());
  EXPECT_TRUE(Record({Proposal("acme-a", deal.name())}).ok());
  EXPECT_THAT(deals().Get(CallerOf(), deal.name())->proposals(), SizeIs(2));
}

TEST_F(DealLinksTest, ErasingAnAccountDeletesItsDealsAndLinks) {
  KnowAccount("acme-c");
  const v1::Deal kept = MustCreate(NewDeal("acme-c", 100, Day(2026, 3, 1)));
  // Created on acme-b, which then merged into acme-a: the stored response
  // names acme-b, and still goes when acme-a is erased.
  const auto erased = Create(NewDeal("acme-b", 5000, Day(2026, 3, 1)), "c-1");
  ASSERT_TRUE(erased.ok()) << erased.status();
  Merge("acme-b", "acme-a");
  ASSERT_TRUE(Record({Proposal("acme-a", erased->name())}).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM idempotency_keys"), 1);

  events::v1::Event event;
  event.mutable_data_subject_erased()->set_erased_account("accounts/acme-a");
  ASSERT_TRUE(Deliver(event).ok());
  EXPECT_EQ(deals().Get(CallerOf(), erased->name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(deals().Get(CallerOf(), kept.name()).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM deals"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM deal_proposals"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM idempotency_keys"), 0);
}

TEST_F(DealLinksTest, ErasingAContactClearsItFromDeals) {
  v1::Deal deal = NewDeal("acme-a", 5000, Day(2026, 3, 1));
  deal.set_contact("contacts/anna");
  deal.set_title("Anna's wedding photos");
  deal = MustCreate(deal);
  ASSERT_TRUE(Close(Won(deal)).ok());

  v1::ExportDataSubjectRequest request;
  request.set_subject("contacts/anna");
  auto exported = backend_->data_subjects().Export(CallerOf(), request);
  ASSERT_TRUE(exported.ok()) << exported.status();
  ASSERT_THAT(exported->deals(), SizeIs(1));
  EXPECT_EQ(exported->deals(0).title(), "Anna's wedding photos");

  events::v1::Event event;
  event.mutable_data_subject_erased()->add_erased_contacts("contacts/anna");
  ASSERT_TRUE(Deliver(event).ok());
  auto got = deals().Get(CallerOf(), deal.name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->contact(), "");
  EXPECT_EQ(got->title(), kErasedDealTitle);
  EXPECT_EQ(got->stage(), v1::DEAL_STAGE_WON);
  EXPECT_EQ(got->amount().amount_minor_units(), 5000);
  exported = backend_->data_subjects().Export(CallerOf(), request);
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_THAT(exported->deals(), IsEmpty());
}

TEST_F(DealLinksTest, AnAccountExportListsItsDealsAsGetShowsThem) {
  const v1::Deal deal = MustCreate(NewDeal("acme-a", 5000, Day(2026, 3, 1)));
  ASSERT_TRUE(Record({Proposal("acme-a", deal.name())}).ok());
  MustCreate(NewDeal("acme-b", 100, Day(2026, 3, 1)));
  v1::ExportDataSubjectRequest request;
  request.set_subject("accounts/acme-a");
  auto exported = backend_->data_subjects().Export(CallerOf(), request);
  ASSERT_TRUE(exported.ok()) << exported.status();
  ASSERT_THAT(exported->deals(), SizeIs(1));
  EXPECT_EQ(exported->deals(0).SerializeAsString(),
            deals().Get(CallerOf(), deal.name())->SerializeAsString());
}

TEST_F(DealLinksTest, ScoringReadsClosedDealsAndClosingRefreshesTheScore) {
  std::vector<ClosedDeal> seen;
  backend_->scores().AddStateLoader([&](sql::Transaction&, absl::string_view,
                                        const ProjectedAccount&, absl::Time,
                                        AccountState* state) {
    seen = state->closed_deals;
    return absl::OkStatus();
  });
  ASSERT_TRUE(backend_->scores().RescoreDirty(100).ok());
  MustCreate(NewDeal("acme-a", 100, Day(2026, 3, 1)));  // stays open
  const v1::Deal retainer =
      MustCreate(NewDeal("acme-a", 1200000, Day(2026, 3, 1)));
  v1::Deal sale = NewDeal("acme-a", 900, Day(2026, 3, 1));
  sale.set_kind(v1::DEAL_KIND_ONE_OFF_SALE);
  sale = MustCreate(sale);
  MustCreate(NewDeal("acme-b", 100, Day(2026, 3, 1)));
  const auto revision = [&] {
    return Count(
        "SELECT revision FROM accounts WHERE tenant = 'acme' AND "
        "account_id = 'acme-a'");
  };
  const int64_t before = revision();
  cache_.invalidated.clear();  // what contacts' events invalidated

  ASSERT_TRUE(Close(Won(retainer)).ok());  // today, 2026-02-15
  v1::CloseDealRequest lost = Lost(sale, v1::DEAL_LOSS_REASON_PRICE);
  *lost.mutable_close_date() = Day(2026, 1, 20);
  ASSERT_TRUE(Close(lost).ok());
  EXPECT_GT(revision(), before);
  EXPECT_THAT(cache_.invalidated, ElementsAre("acme/acme-a", "acme/acme-a"));

  SqliteScoreStore score_store;
  std::vector<DirtyAccount> dirty;
  ASSERT_TRUE(database_
                  ->Read([&](sql::Transaction& txn) -> absl::Status {
                    auto taken = score_store.TakeDirty(txn, 100);
                    if (taken.ok()) {
                      dirty = *taken;
                    }
                    return taken.status();
                  })
                  .ok());
  ASSERT_THAT(dirty, SizeIs(1));
  EXPECT_EQ(dirty[0].account_id, "acme-a");
  ASSERT_THAT(dirty[0].causes, SizeIs(2));
  EXPECT_EQ(dirty[0].causes[0].kind(), v1::SCORE_CHANGE_CAUSE_KIND_DEAL_CLOSED);
  EXPECT_EQ(dirty[0].causes[0].resource(), retainer.name());
  EXPECT_THAT(dirty[0].causes[0].description(), HasSubstr("RETAINER deal won"));

  ASSERT_TRUE(backend_->scores()
                  .Get(CallerOf(), "accounts/acme-a/relationshipScore", nullptr,
                       v1::RELATIONSHIP_SCORE_VIEW_FULL)
                  .ok());
  ASSERT_THAT(seen, SizeIs(2));  // oldest first; the open deal is not there
  EXPECT_EQ(seen[0].kind, v1::DEAL_KIND_ONE_OFF_SALE);
  EXPECT_FALSE(seen[0].won);
  EXPECT_EQ(seen[0].close_time,
            absl::FromCivil(absl::CivilDay(2026, 1, 20), absl::UTCTimeZone()));
  EXPECT_EQ(seen[0].amount_minor, 900);
  EXPECT_EQ(seen[1].kind, v1::DEAL_KIND_RETAINER);
  EXPECT_TRUE(seen[1].won);
  EXPECT_EQ(seen[1].currency, "EUR");

  // As of a day before the win, only the loss had happened.
  const google::protobuf::Timestamp as_of = ToTimestamp(
      absl::FromCivil(absl::CivilDay(2026, 2, 14), absl::UTCTimeZone()));
  ASSERT_TRUE(backend_->scores()
                  .Get(CallerOf(), "accounts/acme-a/relationshipScore", &as_of,
                       v1::RELATIONSHIP_SCORE_VIEW_FULL)
                  .ok());
  ASSERT_THAT(seen, SizeIs(1));
  EXPECT_FALSE(seen[0].won);
}

}  // namespace
}  // namespace clientele::engagement
