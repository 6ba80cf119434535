// Test-only: the engagement service as a client sees it. The real
// EngagementGrpcService on a real server (port 0) over real SQLite, called
// through the generated C++ stub with the tokens a test names. The score
// cache is NoScoreCache, or the Redis score cache on a real redis-server
// when the test asks for it. Accounts reach engagement the way they do in
// production, as contacts' events applied to the projection; time is a
// FakeClock.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_SERVICE_FIXTURE_FOR_TEST_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_SERVICE_FIXTURE_FOR_TEST_H_

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "clientele/engagement/v1/engagement_service.grpc.pb.h"
#include "clientele/events/v1/event.pb.h"
#include "common/auth.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/events/event_writer.h"
#include "common/redis/channel_subscriber.h"
#include "common/redis/hiredis_client.h"
#include "common/server/server.h"
#include "common/server/status_mapping.h"
#include "common/server/thread_pool.h"
#include "common/sql/database.h"
#include "common/testing/grpc_for_test.h"
#include "common/testing/redis_server_for_test.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "common/testing/wait_for.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_backend.h"
#include "services/engagement/engagement_grpc_service.h"
#include "services/engagement/engagement_schema.h"
#include "services/engagement/redis_score_cache.h"
#include "services/engagement/score_cache.h"

namespace clientele::engagement {

// The score cache the fixture's backend reads through.
enum class ScoreCacheForTest {
  kNone,   // NoScoreCache: every read computes.
  kRedis,  // RedisScoreCache on a redis-server of its own, with its
           // invalidation subscriber running.
};

class EngagementServiceFixture : public ::testing::Test {
 public:
  // Calls `rpc` with `token` (the fixture's default token when null);
  // returns the status as the client saw it.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (v1::EngagementService::Stub::*rpc)(
                        grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response,
                    const char* token = nullptr) {
    return clientele::testing::CallForTest(
        *stub_, rpc, request, response,
        token == nullptr ? default_token_ : token);
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

 protected:
  // The server knows exactly `tokens`; Call uses `default_token` when a
  // test names none. `threads` serve the RPCs.
  EngagementServiceFixture(
      std::initializer_list<clientele::testing::TokenForTest> tokens,
      const char* default_token,
      ScoreCacheForTest cache = ScoreCacheForTest::kNone, int threads = 2)
      : pool_(threads), default_token_(default_token), cache_kind_(cache) {
    auto auth = clientele::testing::AuthenticatorForTest(tokens);
    authenticator_status_ = auth.status();
    if (auth.ok()) {
      authenticator_ = *std::move(auth);
    }
  }

  void SetUp() override {
    ASSERT_TRUE(authenticator_status_.ok()) << authenticator_status_;
    runtime_.authenticator = authenticator_.get();
    runtime_.executor = &pool_;
    runtime_.log_rpcs = false;

    ScoreCache* score_cache = &no_cache_;
    if (cache_kind_ == ScoreCacheForTest::kRedis) {
      auto redis_server = clientele::testing::RedisServerForTest::Create();
      ASSERT_TRUE(redis_server.ok()) << redis_server.status();
      redis_server_ = *std::move(redis_server);
      redis::HiredisOptions redis_options;
      redis_options.port = redis_server_->port();
      redis_ = std::make_unique<redis::HiredisClient>(redis_options);
      cache_ = std::make_unique<RedisScoreCache>(
          redis_.get(), RedisScoreCacheOptions{}, &clock_);
      redis::ChannelSubscriberOptions subscriber_options;
      subscriber_options.port = redis_server_->port();
      subscriber_options.channel = RedisScoreCache::kInvalidationChannel;
      subscriber_ = std::make_unique<redis::ChannelSubscriber>(
          subscriber_options, cache_.get());
      subscriber_->Start();
      ASSERT_TRUE(clientele::testing::WaitFor(
          [&] { return cache_->Ticket().epoch >= 0; }));
      score_cache = cache_.get();
    }

    auto database =
        clientele::testing::OpenSqliteForTest(dir_, "engagement.db");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
    ASSERT_TRUE(database_->Migrate(EngagementMigrations()).ok());
    events_ = std::make_unique<events::EventWriter>(
        "engagement", &clock_, RandomIdGenerator::Get(), nullptr);
    backend_ = std::make_unique<EngagementBackend>(
        database_.get(), events_.get(), &clock_, RandomIdGenerator::Get(),
        score_cache);
    service_ =
        std::make_unique<EngagementGrpcService>(&runtime_, backend_.get());
    auto server = server::Server::Start(
        server::ServerOptions(),
        {{service_.get(), v1::EngagementService::service_full_name()}},
        [db = database_.get()] { return db->Ping(); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = v1::EngagementService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_ != nullptr) {
      server_->Shutdown();
    }
    pool_.Shutdown();
    if (subscriber_ != nullptr) {
      subscriber_->Stop();
    }
  }

  // What contacts' AccountCreated event does: the account becomes known to
  // engagement in `tenant`.
  void KnowAccount(const std::string& id, const std::string& tenant = "acme",
                   const std::string& account_manager = "") {
    events::v1::Event event;
    auto* account = event.mutable_account_created()->mutable_account();
    account->set_name(absl::StrCat("accounts/", id));
    account->set_account_manager(account_manager);
    ApplyToProjection(event, tenant);
  }

  // Applies contacts' `event` to the projection in `tenant`, as the
  // consumer would.
  void ApplyToProjection(const events::v1::Event& event,
                         const std::string& tenant = "acme") {
    ASSERT_TRUE(database_
                    ->Write([&](sql::Transaction& txn) {
                      return backend_->projection().ApplyEvent(txn, tenant,
                                                               event);
                    })
                    .ok());
  }

  clientele::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<TokenAuthenticator> authenticator_;
  server::ThreadPool pool_;
  server::RpcRuntime runtime_;
  NoScoreCache no_cache_;
  std::unique_ptr<clientele::testing::RedisServerForTest> redis_server_;
  std::unique_ptr<redis::HiredisClient> redis_;
  std::unique_ptr<RedisScoreCache> cache_;  // Null unless kRedis.
  std::unique_ptr<redis::ChannelSubscriber> subscriber_;
  std::unique_ptr<sql::Database> database_;
  std::unique_ptr<events::EventWriter> events_;
  std::unique_ptr<EngagementBackend> backend_;
  std::unique_ptr<EngagementGrpcService> service_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<v1::EngagementService::Stub> stub_;

 private:
  const char* default_token_;
  ScoreCacheForTest cache_kind_;
  absl::Status authenticator_status_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_SERVICE_FIXTURE_FOR_TEST_H_
