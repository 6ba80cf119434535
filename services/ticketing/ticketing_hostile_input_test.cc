// Hostile requests to every ticketing RPC, through the real service over real
// SQLite: each answers the right code naming the field (google.rpc.
// BadRequest), nothing is stored, and the service goes on serving. Run under
// AddressSanitizer and UndefinedBehaviorSanitizer, a crash or an overflow
// fails the test too. The cases, by RPC, are in
// ticketing_hostile_tickets_for_test.cc and
// ticketing_hostile_policies_for_test.cc.
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/page_token.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/ticketing_hostile_input_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST_F(TicketingHostileInputTest, EveryRpcRefusesHostileInputNamingTheField) {
  using Stub = TicketingService::Stub;
  const std::string megabyte(1 << 20, 'x');
  const std::string garbage_token = "'; DROP TABLE tickets; --";
  std::vector<Hostile> cases = TicketRpcCases(megabyte, garbage_token);
  for (Hostile& hostile : PolicyAndSurveyRpcCases(megabyte, garbage_token)) {
    cases.push_back(std::move(hostile));
  }

  for (const Hostile& hostile : cases) {
    const grpc::Status answered = hostile.call();
    EXPECT_EQ(answered.error_code(), hostile.code)
        << hostile.name << ": " << answered.error_message();
    if (!hostile.field.empty()) {
      EXPECT_EQ(FirstField(answered), hostile.field) << hostile.name;
    }
    // Short enough for a person to read and for the trailers.
    EXPECT_LT(answered.error_message().size(), 4000u) << hostile.name;
  }

  // Nothing was stored: the tickets, the policy and the survey are as they
  // were, no ticket or policy was added, and the service still answers.
  EXPECT_EQ(Get(ticket_.name()).etag(), ticket_.etag());
  EXPECT_EQ(Get(other_.name()).etag(), other_.etag());
  EXPECT_EQ(Get(solved_.name()).etag(), solved_.etag());
  v1::ListTicketsResponse tickets;
  ASSERT_TRUE(
      Call(&Stub::ListTickets, v1::ListTicketsRequest(), &tickets).ok());
  EXPECT_THAT(tickets.tickets(), SizeIs(3));
  v1::ListSlaPoliciesResponse policies;
  ASSERT_TRUE(
      Call(&Stub::ListSlaPolicies, v1::ListSlaPoliciesRequest(), &policies)
          .ok());
  ASSERT_THAT(policies.sla_policies(), SizeIs(1));
  EXPECT_EQ(policies.sla_policies(0).etag(), policy_.etag());
  v1::GetRoutingPolicyRequest get_policy_request;
  get_policy_request.set_name("routingPolicy");
  v1::GetRoutingPolicyResponse routing_policy;
  ASSERT_TRUE(
      Call(&Stub::GetRoutingPolicy, get_policy_request, &routing_policy).ok());
  EXPECT_THAT(routing_policy.routing_policy().etag(), IsEmpty());
  v1::GetCsatSurveyRequest get_survey_request;
  get_survey_request.set_name(survey_.name());
  v1::GetCsatSurveyResponse survey;
  ASSERT_TRUE(Call(&Stub::GetCsatSurvey, get_survey_request, &survey).ok());
  EXPECT_EQ(survey.csat_survey().state(), v1::CSAT_SURVEY_STATE_SENT);
  EXPECT_THAT(contacts_.calls(), 0);
  EXPECT_EQ(CreateTicket("a1", "c1").subject(), "The pump is loud");
}

// A page token is tamper-evident, not secret: one forged with a valid
// checksum but a time no timestamp can hold is refused, not computed with.
TEST_F(TicketingHostileInputTest, AForgedAlertPageTokenIsRefused) {
  std::string filter = "ListSlaAlerts|";
  // The filter of a request with no filters (sla_alert_manager.cc).
  for (const std::string& part :
       {std::string("acme"), std::string("11"), std::string("0"), std::string(),
        std::string(), std::string(), std::string("0"),
        absl::StrCat(std::numeric_limits<int64_t>::min()),
        absl::StrCat(std::numeric_limits<int64_t>::max())}) {
    absl::StrAppend(&filter, part.size(), ":", part, "|");
  }
  const auto list_after = [&](int64_t as_of) {
    const std::string key[] = {absl::StrCat(as_of), "0", "t", "1"};
    v1::ListSlaAlertsRequest request;
    request.set_page_token(EncodePageToken(filter, key));
    v1::ListSlaAlertsResponse response;
    return Call(&TicketingService::Stub::ListSlaAlerts, request, &response);
  };
  // The forgery is one the service takes when its time is a time...
  const grpc::Status sane = list_after(ToMicros(clock_.Now()));
  EXPECT_TRUE(sane.ok()) << sane.error_message();
  // ...and refuses when it is not.
  for (int64_t as_of : {std::numeric_limits<int64_t>::min(),
                        std::numeric_limits<int64_t>::max()}) {
    const grpc::Status status = list_after(as_of);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << as_of << ": " << status.error_message();
    EXPECT_EQ(FirstField(status), "page_token");
  }
}

}  // namespace
}  // namespace clientele::ticketing
