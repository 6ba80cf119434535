#include "bench/engagement_fixture.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clientele/events/v1/event.pb.h"
#include "common/caller.h"
#include "common/proto_time.h"
#include "common/sql/sqlite_database.h"
#include "common/status_macros.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/engagement/engagement_schema.h"

namespace clientele::bench {
namespace {

namespace v1 = ::clientele::engagement::v1;

struct KindMix {
  v1::InteractionKind kind;
  v1::InteractionChannel channel;
  v1::InteractionDirection direction;
};

// Mostly conversation, some broadcast, a monthly-ish invoice.
constexpr KindMix kMix[] = {
    {v1::INTERACTION_KIND_EMAIL, v1::INTERACTION_CHANNEL_EMAIL,
     v1::INTERACTION_DIRECTION_INBOUND},
    {v1::INTERACTION_KIND_CALL, v1::INTERACTION_CHANNEL_PHONE,
     v1::INTERACTION_DIRECTION_OUTBOUND},
    {v1::INTERACTION_KIND_EMAIL, v1::INTERACTION_CHANNEL_EMAIL,
     v1::INTERACTION_DIRECTION_OUTBOUND},
    {v1::INTERACTION_KIND_MEETING, v1::INTERACTION_CHANNEL_IN_PERSON,
     v1::INTERACTION_DIRECTION_OUTBOUND},
    {v1::INTERACTION_KIND_ADVICE_SESSION, v1::INTERACTION_CHANNEL_VIDEO,
     v1::INTERACTION_DIRECTION_OUTBOUND},
    {v1::INTERACTION_KIND_NEWSLETTER, v1::INTERACTION_CHANNEL_EMAIL,
     v1::INTERACTION_DIRECTION_OUTBOUND},
    {v1::INTERACTION_KIND_RETAINER_INVOICE, v1::INTERACTION_CHANNEL_EMAIL,
     v1::INTERACTION_DIRECTION_OUTBOUND},
};
constexpr int kMixSize = sizeof(kMix) / sizeof(kMix[0]);

constexpr const char* kContacts[] = {"contacts/partner", "contacts/counsel",
                                     "contacts/finance", "contacts/assistant"};
constexpr const char* kStaff[] = {"alice", "bob"};

}  // namespace

absl::StatusOr<std::unique_ptr<EngagementFixture>> EngagementFixture::Create(
    std::string tenant) {
  std::unique_ptr<EngagementFixture> fixture(
      new EngagementFixture(std::move(tenant)));
  sql::SqliteOptions options;  // as the service opens it
  options.path = fixture->dir_.File("engagement.db");
  ASSIGN_OR_RETURN(fixture->database_, sql::SqliteDatabase::Open(options));
  RETURN_IF_ERROR(
      fixture->database_->Migrate(engagement::EngagementMigrations()).status());
  fixture->events_ = std::make_unique<events::EventWriter>(
      "engagement", &fixture->clock_, RandomIdGenerator::Get(), nullptr);
  fixture->backend_ = std::make_unique<engagement::EngagementBackend>(
      fixture->database_.get(), fixture->events_.get(), &fixture->clock_,
      RandomIdGenerator::Get(), &fixture->cache_);
  return fixture;
}

absl::Status EngagementFixture::CreateAccount(const std::string& account_id) {
  events::v1::Event event;
  auto* account = event.mutable_account_created()->mutable_account();
  account->set_name(absl::StrCat("accounts/", account_id));
  account->set_kind(type::v1::ACCOUNT_KIND_ORGANIZATION);
  account->set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
  account->set_tier(type::v1::ACCOUNT_TIER_PREMIUM);
  account->set_lifecycle_stage(type::v1::LIFECYCLE_STAGE_ACTIVE);
  account->set_owner("alice");
  account->set_account_manager("bob");
  account->set_locale("en-GB");
  account->set_time_zone("Europe/London");
  const absl::CivilDay start =
      absl::ToCivilDay(clock_.Now() - kHistorySpan, absl::UTCTimeZone());
  auto set_start = [&](type::v1::Date* date) {
    date->set_year(static_cast<int32_t>(start.year()));
    date->set_month(start.month());
    date->set_day(start.day());
  };
  set_start(account->mutable_acquisition_date());
  auto* terms = account->mutable_commercial_terms();
  terms->set_model(type::v1::COMMERCIAL_MODEL_RETAINER);
  terms->set_billing_cycle(type::v1::BILLING_CYCLE_MONTHLY);
  terms->mutable_recurring_amount()->set_currency_code("EUR");
  terms->mutable_recurring_amount()->set_amount_minor_units(250000);
  set_start(terms->mutable_contract_start_date());
  terms->set_auto_renew(true);
  SetTimestamp(clock_.Now() - kHistorySpan, account->mutable_create_time());
  SetTimestamp(clock_.Now() - kHistorySpan, account->mutable_update_time());
  return database_->Write([&](sql::Transaction& txn) {
    return backend_->projection().ApplyEvent(txn, tenant_, event);
  });
}

absl::Status EngagementFixture::RecordHistory(const std::string& account_id,
                                              int count) {
  const Caller caller{tenant_, "role:admin", "bench"};
  const absl::Time newest = clock_.Now() - absl::Hours(1);
  const absl::Duration step = kHistorySpan / std::max(count, 1);
  for (int first = 0; first < count; first += kHistoryBatch) {
    google::protobuf::RepeatedPtrField<v1::Interaction> batch;
    for (int i = first; i < std::min(count, first + kHistoryBatch); ++i) {
      const KindMix& mix = kMix[i % kMixSize];
      v1::Interaction* interaction = batch.Add();
      interaction->set_account(absl::StrCat("accounts/", account_id));
      interaction->set_kind(mix.kind);
      interaction->set_channel(mix.channel);
      interaction->set_direction(mix.direction);
      if (mix.kind != v1::INTERACTION_KIND_NEWSLETTER) {
        interaction->set_contact(kContacts[i % 4]);
        interaction->set_staff_user(kStaff[i % 2]);
      }
      if (mix.kind == v1::INTERACTION_KIND_RETAINER_INVOICE) {
        interaction->mutable_amount()->set_currency_code("EUR");
        interaction->mutable_amount()->set_amount_minor_units(250000);
      }
      interaction->set_summary("Quarterly review");
      // Oldest first; i = count - 1 is an hour ago.
      SetTimestamp(newest - step * (count - 1 - i),
                   interaction->mutable_occur_time());
    }
    ASSIGN_OR_RETURN(
        std::vector<v1::Interaction> recorded,
        backend_->interactions().Record(caller, batch, /*single=*/false));
    if (static_cast<int>(recorded.size()) != batch.size()) {
      return absl::InternalError(
          absl::StrCat("recorded ", recorded.size(), " of ", batch.size()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> EngagementFixture::BucketCount(
    const std::string& account_id) {
  int64_t count = 0;
  RETURN_IF_ERROR(database_->Read([&](sql::Transaction& txn) -> absl::Status {
    const sql::Value key[] = {tenant_, account_id};
    ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                     txn.Query("SELECT count(*) FROM activity_buckets WHERE "
                               "tenant = ? AND account_id = ?",
                               key));
    count = rows.empty() ? 0 : rows[0].Int(0);
    return absl::OkStatus();
  }));
  return count;
}

}  // namespace clientele::bench
