// Test-only: the ticketing service (TicketingServiceTest) with what the
// hostile-input test aims at: three tickets of acme's client a1 (one solved,
// with its CSAT survey) and an SLA policy, and the hostile requests to send,
// each with the answer a client must see. Shared by
// ticketing_hostile_input_test.cc and the case tables,
// ticketing_hostile_tickets_for_test.cc and
// ticketing_hostile_policies_for_test.cc.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKETING_HOSTILE_INPUT_FIXTURE_FOR_TEST_H_
#define CLIENTELE_SERVICES_TICKETING_TICKETING_HOSTILE_INPUT_FIXTURE_FOR_TEST_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "grpcpp/support/status.h"
#include "gtest/gtest.h"
#include "services/ticketing/ticketing_service_fixture_for_test.h"

namespace clientele::ticketing {

// One hostile request: what it sends, and what the client must see.
struct Hostile {
  std::string name;
  std::function<grpc::Status()> call;
  grpc::StatusCode code;
  std::string field;  // "" when the answer names no field
};

inline constexpr int64_t kYear10000 = 253402300800;  // 10000-01-01T00:00:00Z
inline constexpr int64_t kYear0 = -62135596801;      // 0000-12-31T23:59:59Z

class TicketingHostileInputTest : public TicketingServiceTest {
 protected:
  void SetUp() override {
    TicketingServiceTest::SetUp();
    PublishAccount("a1", "acme", type::v1::RELATIONSHIP_MODE_CLIENT, "u-maria");
    PublishContact("c1", "a1", "acme");
    ticket_ = CreateTicket("a1", "c1");
    other_ = CreateTicket("a1", "c1");
    solved_ = CreateTicket("a1", "c1");
    v1::ChangeTicketStatusRequest solve;
    solve.set_name(solved_.name());
    solve.set_status(v1::TICKET_STATUS_SOLVED);
    v1::ChangeTicketStatusResponse solved;
    ASSERT_TRUE(
        Call(&TicketingService::Stub::ChangeTicketStatus, solve, &solved).ok());
    survey_ = solved.csat_survey();
    ASSERT_FALSE(survey_.token().empty());
    solved_ = solved.ticket();
    v1::CreateSlaPolicyRequest policy;
    *policy.mutable_sla_policy() = Policy();
    v1::CreateSlaPolicyResponse created;
    ASSERT_TRUE(
        Call(&TicketingService::Stub::CreateSlaPolicy, policy, &created).ok());
    policy_ = created.sla_policy();
  }

  // A valid policy, around the clock.
  static v1::SlaPolicy Policy() {
    v1::SlaPolicy policy;
    policy.set_display_name("Default");
    policy.set_rank(100);
    policy.mutable_resolution_target()->set_seconds(int64_t{8} * 3600);
    return policy;
  }

  // A valid business calendar: Monday 09:00-17:00 in Berlin.
  static v1::BusinessCalendar Calendar() {
    v1::BusinessCalendar calendar;
    calendar.set_time_zone("Europe/Berlin");
    v1::WorkingHours* hours = calendar.add_working_hours();
    hours->set_weekday(v1::WEEKDAY_MONDAY);
    hours->set_start_minute(9 * 60);
    hours->set_end_minute(17 * 60);
    return calendar;
  }

  v1::Ticket Get(const std::string& name) {
    v1::GetTicketRequest request;
    request.set_name(name);
    v1::GetTicketResponse response;
    const grpc::Status status =
        Call(&TicketingService::Stub::GetTicket, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.ticket();
  }

  // The hostile requests, by the RPCs they go to. They refer to `megabyte`
  // (1 MB of text) and `garbage_token` (a page token no service issued),
  // which must outlive them.
  //
  // The ticket RPCs, and every RPC that names a ticket given a bad name
  // (ticketing_hostile_tickets_for_test.cc).
  std::vector<Hostile> TicketRpcCases(const std::string& megabyte,
                                      const std::string& garbage_token);
  // The routing and SLA policies, SLA alerts, CSAT surveys and the
  // data-subject export (ticketing_hostile_policies_for_test.cc).
  std::vector<Hostile> PolicyAndSurveyRpcCases(
      const std::string& megabyte, const std::string& garbage_token);

  v1::Ticket ticket_;
  v1::Ticket other_;
  v1::Ticket solved_;
  v1::CsatSurvey survey_;
  v1::SlaPolicy policy_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKETING_HOSTILE_INPUT_FIXTURE_FOR_TEST_H_
