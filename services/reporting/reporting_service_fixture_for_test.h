// Test-only: the reporting service as a client sees it. The real
// ReportingGrpcService on a real server (port 0) over the real read model
// (SQLite, fed events through the Projector as production feeds it), called
// through the generated C++ stub with the tokens below. Time is a FakeClock
// at 2026-01-01T00:00Z; engagement's live scores are a FakeLiveScores.
//
// FeedSmallDataSet() loads the data set the service tests share, written out
// here so a reader can check every figure a test expects:
//
//   tenant acme, all of it in 2025 (revenue in EUR, minor units):
//   account  tier        manager  mode at 2026-01-01  score band     revenue
//   2025 a1       ENTERPRISE  u-mia    CLIENT              80 STRONG       3
//   retainer
//                                                                     invoices
//                                                                     of 100000
//                                                                     = 300000
//   a2       STANDARD    -        CUSTOMER            30 AT_RISK      2
//   purchases of
//                                                                     5000 =
//                                                                     10000
//   a3       PREMIUM     u-mia    TRANSITIONING       45 NEEDS_ATT.   1
//   purchase
//                                                                     20000
//   a4       STANDARD    -        (not scored)        -               1
//   purchase 1000 Portfolio total: 4 accounts, 331000 EUR. Tickets: t1 of a2
//   created 2025-03-01, solved 2025-03-02 (CSAT 5);
//            t2 of a1 created 2025-11-01, open (the backlog at the end).
//   Deal: d1 of a3, PROPOSAL, 50000 EUR, expected to close 2025-11-15.
//
//   tenant globex: g1 (ENTERPRISE, manager u-mia, CLIENT 90 STRONG) with a
//   purchase of 999999 EUR, a ticket and a 70000 EUR deal in 2025 Q4. It
//   must never show up in acme's answers.
#ifndef CLIENTELE_SERVICES_REPORTING_REPORTING_SERVICE_FIXTURE_FOR_TEST_H_
#define CLIENTELE_SERVICES_REPORTING_REPORTING_SERVICE_FIXTURE_FOR_TEST_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clientele/reporting/v1/reporting_service.grpc.pb.h"
#include "common/auth.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "common/server/server.h"
#include "common/server/status_mapping.h"
#include "common/server/thread_pool.h"
#include "common/testing/grpc_for_test.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/reporting/live_scores_for_test.h"
#include "services/reporting/reporting_fixture_for_test.h"
#include "services/reporting/reporting_grpc_service.h"

namespace clientele::reporting::testing {

inline constexpr char kAcmeViewer[] = "acme-viewer";
inline constexpr char kAcmeAdmin[] = "acme-admin";
inline constexpr char kGlobexViewer[] = "globex-viewer";

class ReportingServiceFixture : public ReportingFixture {
 public:
  // Calls `rpc` with `token` (acme's viewer when null; "" sends no
  // authorization header at all); returns the status as the client saw it.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (v1::ReportingService::Stub::*rpc)(
                        grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response,
                    const char* token = kAcmeViewer) {
    if (token != nullptr && token[0] == '\0') {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(30));
      return ((*stub_).*rpc)(&context, request, response);
    }
    return clientele::testing::CallForTest(*stub_, rpc, request, response,
                                           token);
  }

  // The fields named by the BadRequest of `status`, in order.
  static std::vector<std::string> Fields(const grpc::Status& status) {
    std::vector<std::string> fields;
    for (const FieldViolation& violation :
         FieldViolationsOf(server::FromGrpcStatus(status))) {
      fields.push_back(violation.field);
    }
    return fields;
  }

  // The fixture clock's start: the data set's "now".
  static absl::Time Now() { return Utc(2026, 1, 1); }

  // A time range over 2025.
  static type::v1::TimeRange Year2025() {
    type::v1::TimeRange range;
    SetTimestamp(Utc(2025, 1, 1), range.mutable_start_time());
    SetTimestamp(Utc(2026, 1, 1), range.mutable_end_time());
    return range;
  }

 protected:
  ReportingServiceFixture() : clock_(Now()), pool_(2) {}

  void SetUp() override {
    ReportingFixture::SetUp();
    auto auth = clientele::testing::AuthenticatorForTest(
        {{kAcmeViewer, "acme", "viewer"},
         {kAcmeAdmin, "acme", "admin"},
         {kGlobexViewer, "globex", "viewer"}});
    ASSERT_TRUE(auth.ok()) << auth.status();
    authenticator_ = *std::move(auth);
    runtime_.authenticator = authenticator_.get();
    runtime_.executor = &pool_;
    runtime_.log_rpcs = false;
    ReportingDeps deps;
    deps.database = database();
    deps.clock = &clock_;
    deps.live_scores = &live_scores_;
    service_ = std::make_unique<ReportingGrpcService>(&runtime_, deps);
    auto server = server::Server::Start(
        server::ServerOptions(),
        {{service_.get(), v1::ReportingService::service_full_name()}},
        [db = database()] { return db->Ping(); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = v1::ReportingService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
    pool_.Shutdown();
  }

  // The data set of the file comment.
  void FeedSmallDataSet() {
    const absl::Time created = Utc(2024, 6, 1);
    Apply("contacts",
          AccountCreated({.id = "a1",
                          .time = created,
                          .tier = type::v1::ACCOUNT_TIER_ENTERPRISE,
                          .account_manager = "u-mia",
                          .model = type::v1::COMMERCIAL_MODEL_RETAINER,
                          .billing_cycle = type::v1::BILLING_CYCLE_MONTHLY,
                          .recurring_minor = 100000}));
    Apply("contacts",
          AccountCreated({.id = "a2",
                          .time = created,
                          .segment = type::v1::ACCOUNT_SEGMENT_B2C,
                          .tier = type::v1::ACCOUNT_TIER_STANDARD}));
    Apply("contacts", AccountCreated({.id = "a3",
                                      .time = created,
                                      .tier = type::v1::ACCOUNT_TIER_PREMIUM,
                                      .account_manager = "u-mia"}));
    Apply("contacts",
          AccountCreated({.id = "a4",
                          .time = created,
                          .segment = type::v1::ACCOUNT_SEGMENT_B2C,
                          .tier = type::v1::ACCOUNT_TIER_STANDARD}));
    const absl::Time scored = Utc(2024, 12, 1);
    Apply("engagement",
          ScoreChanged({.account = "a1",
                        .time = scored,
                        .mode = type::v1::RELATIONSHIP_MODE_CLIENT,
                        .score = 80,
                        .band = type::v1::SCORE_BAND_STRONG}));
    Apply("engagement",
          ScoreChanged({.account = "a2",
                        .time = scored,
                        .mode = type::v1::RELATIONSHIP_MODE_CUSTOMER,
                        .score = 30,
                        .band = type::v1::SCORE_BAND_AT_RISK,
                        .reasons = {"No purchase in 120 days"}}));
    Apply("engagement",
          ScoreChanged({.account = "a3",
                        .time = scored,
                        .mode = type::v1::RELATIONSHIP_MODE_TRANSITIONING,
                        .score = 45,
                        .band = type::v1::SCORE_BAND_NEEDS_ATTENTION}));
    using events::v1::INTERACTION_KIND_PURCHASE;
    using events::v1::INTERACTION_KIND_RETAINER_INVOICE;
    Apply("engagement",
          Interactions({{.account = "a1",
                         .time = Utc(2025, 1, 5),
                         .kind = INTERACTION_KIND_RETAINER_INVOICE,
                         .amount = 100000,
                         .currency = "EUR",
                         .staff = "u-mia"},
                        {.account = "a1",
                         .time = Utc(2025, 2, 5),
                         .kind = INTERACTION_KIND_RETAINER_INVOICE,
                         .amount = 100000,
                         .currency = "EUR",
                         .staff = "u-mia"},
                        {.account = "a1",
                         .time = Utc(2025, 3, 5),
                         .kind = INTERACTION_KIND_RETAINER_INVOICE,
                         .amount = 100000,
                         .currency = "EUR",
                         .staff = "u-mia"},
                        {.account = "a2",
                         .time = Utc(2025, 2, 10),
                         .kind = INTERACTION_KIND_PURCHASE,
                         .amount = 5000,
                         .currency = "EUR"},
                        {.account = "a2",
                         .time = Utc(2025, 4, 10),
                         .kind = INTERACTION_KIND_PURCHASE,
                         .amount = 5000,
                         .currency = "EUR"},
                        {.account = "a3",
                         .time = Utc(2025, 5, 20),
                         .kind = INTERACTION_KIND_PURCHASE,
                         .amount = 20000,
                         .currency = "EUR"},
                        {.account = "a4",
                         .time = Utc(2025, 6, 1),
                         .kind = INTERACTION_KIND_PURCHASE,
                         .amount = 1000,
                         .currency = "EUR"}}));
    const TicketFields t1{.id = "t1",
                          .account = "a2",
                          .time = Utc(2025, 3, 1),
                          .assignee = "u-agent"};
    Apply("ticketing", TicketCreated(t1));
    TicketFields t1_solved = t1;
    t1_solved.time = Utc(2025, 3, 2);
    t1_solved.create_time = Utc(2025, 3, 1);
    Apply("ticketing",
          TicketSolved(t1_solved, {.first_response = absl::Hours(2),
                                   .resolution = absl::Hours(24)}));
    Apply("ticketing", CsatResponded({.ticket = "t1",
                                      .account = "a2",
                                      .rating = 5,
                                      .time = Utc(2025, 3, 3)}));
    Apply("ticketing",
          TicketCreated({.id = "t2",
                         .account = "a1",
                         .time = Utc(2025, 11, 1),
                         .status = events::v1::TICKET_STATUS_OPEN,
                         .assignee = "u-agent",
                         .tier = type::v1::ACCOUNT_TIER_ENTERPRISE,
                         .mode = type::v1::RELATIONSHIP_MODE_CLIENT}));
    Apply("engagement",
          DealCreated({.id = "d1",
                       .account = "a3",
                       .time = Utc(2025, 10, 2),
                       .stage = events::v1::DEAL_STAGE_PROPOSAL,
                       .amount = 50000,
                       .probability = 0.5,
                       .expected_close = absl::CivilDay(2025, 11, 15)}));

    // Another tenant, with the same staff ids and richer figures.
    Apply("contacts", AccountCreated({.tenant = "globex",
                                      .id = "g1",
                                      .time = created,
                                      .tier = type::v1::ACCOUNT_TIER_ENTERPRISE,
                                      .account_manager = "u-mia"}));
    Apply("engagement",
          ScoreChanged({.tenant = "globex",
                        .account = "g1",
                        .time = scored,
                        .mode = type::v1::RELATIONSHIP_MODE_CLIENT,
                        .score = 90,
                        .band = type::v1::SCORE_BAND_STRONG}));
    Apply("engagement", Interactions({{.account = "g1",
                                       .time = Utc(2025, 7, 1),
                                       .kind = INTERACTION_KIND_PURCHASE,
                                       .amount = 999999,
                                       .currency = "EUR"}},
                                     "globex"));
    Apply("ticketing", TicketCreated({.tenant = "globex",
                                      .id = "gt1",
                                      .account = "g1",
                                      .time = Utc(2025, 7, 2),
                                      .assignee = "u-agent"}));
    Apply("engagement",
          DealCreated({.tenant = "globex",
                       .id = "gd1",
                       .account = "g1",
                       .time = Utc(2025, 10, 3),
                       .stage = events::v1::DEAL_STAGE_PROPOSAL,
                       .amount = 70000,
                       .probability = 0.5,
                       .expected_close = absl::CivilDay(2025, 12, 1)}));
  }

  FakeClock clock_;
  FakeLiveScores live_scores_;
  std::unique_ptr<TokenAuthenticator> authenticator_;
  server::ThreadPool pool_;
  server::RpcRuntime runtime_;
  std::unique_ptr<ReportingGrpcService> service_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<v1::ReportingService::Stub> stub_;
};

}  // namespace clientele::reporting::testing

#endif  // CLIENTELE_SERVICES_REPORTING_REPORTING_SERVICE_FIXTURE_FOR_TEST_H_
