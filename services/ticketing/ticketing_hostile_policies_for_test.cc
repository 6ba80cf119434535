// The hostile requests to the routing and SLA policy RPCs, SLA alerts, CSAT
// surveys and the data-subject export. ticketing_hostile_input_test.cc sends
// them.
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "google/protobuf/timestamp.pb.h"
#include "services/ticketing/ticketing_hostile_input_fixture_for_test.h"

namespace clientele::ticketing {

std::vector<Hostile> TicketingHostileInputTest::PolicyAndSurveyRpcCases(
    const std::string& megabyte, const std::string& garbage_token) {
  using Stub = TicketingService::Stub;
  const grpc::StatusCode kInvalid = grpc::StatusCode::INVALID_ARGUMENT;

  // Request builders: a valid request, edited.
  const auto routing =
      [this](const std::string& path,
             const std::function<void(v1::RoutingPolicy*)>& edit) {
        return [this, path, edit] {
          v1::UpdateRoutingPolicyRequest request;
          edit(request.mutable_routing_policy());
          request.mutable_update_mask()->add_paths(path);
          v1::UpdateRoutingPolicyResponse response;
          return Call(&Stub::UpdateRoutingPolicy, request, &response);
        };
      };
  const auto policy = [this](const std::function<void(v1::SlaPolicy*)>& edit) {
    return [this, edit] {
      v1::CreateSlaPolicyRequest request;
      *request.mutable_sla_policy() = Policy();
      edit(request.mutable_sla_policy());
      v1::CreateSlaPolicyResponse response;
      return Call(&Stub::CreateSlaPolicy, request, &response);
    };
  };
  const auto calendar =
      [&policy](const std::function<void(v1::BusinessCalendar*)>& edit) {
        return policy([edit](v1::SlaPolicy* p) {
          *p->mutable_business_calendar() = Calendar();
          edit(p->mutable_business_calendar());
        });
      };
  const auto policy_update =
      [this](const std::string& path,
             const std::function<void(v1::SlaPolicy*)>& edit) {
        return [this, path, edit] {
          v1::UpdateSlaPolicyRequest request;
          request.mutable_sla_policy()->set_name(policy_.name());
          edit(request.mutable_sla_policy());
          request.mutable_update_mask()->add_paths(path);
          v1::UpdateSlaPolicyResponse response;
          return Call(&Stub::UpdateSlaPolicy, request, &response);
        };
      };
  const auto alerts =
      [this](const std::function<void(v1::ListSlaAlertsRequest*)>& edit) {
        return [this, edit] {
          v1::ListSlaAlertsRequest request;
          edit(&request);
          v1::ListSlaAlertsResponse response;
          return Call(&Stub::ListSlaAlerts, request, &response, kAcmeViewer);
        };
      };
  const auto surveys =
      [this](const std::function<void(v1::ListCsatSurveysRequest*)>& edit) {
        return [this, edit] {
          v1::ListCsatSurveysRequest request;
          edit(&request);
          v1::ListCsatSurveysResponse response;
          return Call(&Stub::ListCsatSurveys, request, &response, kAcmeViewer);
        };
      };
  const auto answer =
      [this](const std::function<void(v1::SubmitCsatResponseRequest*)>& edit) {
        return [this, edit] {
          v1::SubmitCsatResponseRequest request;
          request.set_name(survey_.name());
          request.set_token(survey_.token());
          request.set_rating(4);
          edit(&request);
          v1::SubmitCsatResponseResponse response;
          grpc::ClientContext context;  // no bearer token: the survey's own
          return stub_->SubmitCsatResponse(&context, request, &response);
        };
      };
  const auto named = [](auto request, const std::string& name) {
    request.set_name(name);
    return request;
  };
  const auto get_routing = [this, &named](const std::string& name) {
    return [this, request = named(v1::GetRoutingPolicyRequest(), name)] {
      v1::GetRoutingPolicyResponse response;
      return Call(&Stub::GetRoutingPolicy, request, &response, kAcmeViewer);
    };
  };
  const auto get_policy = [this, &named](const std::string& name) {
    return [this, request = named(v1::GetSlaPolicyRequest(), name)] {
      v1::GetSlaPolicyResponse response;
      return Call(&Stub::GetSlaPolicy, request, &response, kAcmeViewer);
    };
  };
  const auto delete_policy = [this, &named](const std::string& name) {
    return [this, request = named(v1::DeleteSlaPolicyRequest(), name)] {
      v1::DeleteSlaPolicyResponse response;
      return Call(&Stub::DeleteSlaPolicy, request, &response);
    };
  };
  const auto list_policies = [this](int page_size, const std::string& token) {
    return [this, page_size, token] {
      v1::ListSlaPoliciesRequest request;
      request.set_page_size(page_size);
      request.set_page_token(token);
      v1::ListSlaPoliciesResponse response;
      return Call(&Stub::ListSlaPolicies, request, &response, kAcmeViewer);
    };
  };
  const auto get_survey = [this, &named](const std::string& name) {
    return [this, request = named(v1::GetCsatSurveyRequest(), name)] {
      v1::GetCsatSurveyResponse response;
      return Call(&Stub::GetCsatSurvey, request, &response, kAcmeViewer);
    };
  };
  const auto export_subject = [this](const std::string& subject, int page_size,
                                     const std::string& token) {
    return [this, subject, page_size, token] {
      v1::ExportDataSubjectRequest request;
      request.set_subject(subject);
      request.set_page_size(page_size);
      request.set_page_token(token);
      v1::ExportDataSubjectResponse response;
      return Call(&Stub::ExportDataSubject, request, &response);
    };
  };
  // Static: the cases call it after this returns.
  static constexpr auto out_of_range = [](google::protobuf::Timestamp* time,
                                          int64_t seconds) {
    time->set_seconds(seconds);
  };

  std::vector<Hostile> cases = {
      // UpdateRoutingPolicy, GetRoutingPolicy
      {"routing: 100,000 teams",
       routing("teams",
               [](auto* p) {
                 for (int i = 0; i < 100000; ++i) {
                   p->add_teams()->set_name("t");
                 }
               }),
       kInvalid, "routing_policy.teams"},
      {"routing: 100,000 agents",
       routing("teams",
               [](auto* p) {
                 v1::SupportTeam* team = p->add_teams();
                 team->set_name("support");
                 for (int i = 0; i < 100000; ++i) {
                   team->add_agents("u");
                 }
               }),
       kInvalid, "routing_policy.teams[0].agents"},
      {"routing: negative capacity",
       routing("agent_capacity", [](auto* p) { p->set_agent_capacity(-1); }),
       kInvalid, "routing_policy.agent_capacity"},
      {"routing: unknown mask path", routing("teams.bogus", [](auto*) {}),
       kInvalid, "update_mask"},
      {"routing: name with extra slashes",
       routing("agent_capacity",
               [](auto* p) { p->set_name("routingPolicy/x"); }),
       kInvalid, "routing_policy.name"},
      {"get routing: another name", get_routing("routingPolicy/../x"), kInvalid,
       "name"},
      // CreateSlaPolicy
      {"policy: 1 MB display name",
       policy([&](auto* p) { p->set_display_name(megabyte); }), kInvalid,
       "sla_policy.display_name"},
      {"policy: unknown tier", policy([](auto* p) {
         p->add_tiers(static_cast<type::v1::AccountTier>(99));
       }),
       kInvalid, "sla_policy.tiers[0]"},
      {"policy: 1,000,000 unknown tiers", policy([](auto* p) {
         for (int i = 0; i < 1000000; ++i) {
           p->add_tiers(static_cast<type::v1::AccountTier>(99));
         }
       }),
       kInvalid, "sla_policy.tiers"},
      {"policy: 1,000,000 priorities", policy([](auto* p) {
         for (int i = 0; i < 1000000; ++i) {
           p->add_priorities(v1::TICKET_PRIORITY_HIGH);
         }
       }),
       kInvalid, "sla_policy.priorities"},
      {"policy: 1,000,000 unknown modes", policy([](auto* p) {
         for (int i = 0; i < 1000000; ++i) {
           p->add_modes(static_cast<type::v1::RelationshipMode>(-1));
         }
       }),
       kInvalid, "sla_policy.modes"},
      {"policy: negative rank", policy([](auto* p) { p->set_rank(-1); }),
       kInvalid, "sla_policy.rank"},
      {"policy: negative target", policy([](auto* p) {
         p->mutable_resolution_target()->set_seconds(-3600);
       }),
       kInvalid, "sla_policy.resolution_target"},
      {"policy: a target of 10,000 years", policy([](auto* p) {
         p->mutable_resolution_target()->set_seconds(315576000000);
       }),
       kInvalid, "sla_policy.resolution_target"},
      {"policy: the largest target", policy([](auto* p) {
         p->mutable_first_response_target()->set_seconds(
             std::numeric_limits<int64_t>::max());
       }),
       kInvalid, "sla_policy.first_response_target"},
      {"policy: a target with nanos of the wrong sign", policy([](auto* p) {
         p->mutable_next_response_target()->set_seconds(3600);
         p->mutable_next_response_target()->set_nanos(-1);
       }),
       kInvalid, "sla_policy.next_response_target"},
      {"policy: NaN threshold", policy([](auto* p) {
         p->set_at_risk_threshold(std::numeric_limits<double>::quiet_NaN());
       }),
       kInvalid, "sla_policy.at_risk_threshold"},
      {"policy: infinite threshold", policy([](auto* p) {
         p->set_at_risk_threshold(std::numeric_limits<double>::infinity());
       }),
       kInvalid, "sla_policy.at_risk_threshold"},
      {"policy: negative infinite threshold", policy([](auto* p) {
         p->set_at_risk_threshold(-std::numeric_limits<double>::infinity());
       }),
       kInvalid, "sla_policy.at_risk_threshold"},
      {"policy: threshold of 1",
       policy([](auto* p) { p->set_at_risk_threshold(1.0); }), kInvalid,
       "sla_policy.at_risk_threshold"},
      {"policy: a zone that leaves the zoneinfo directory",
       calendar([](auto* c) { c->set_time_zone("../../../etc/passwd"); }),
       kInvalid, "sla_policy.business_calendar.time_zone"},
      {"policy: a 1 MB zone",
       calendar([&](auto* c) { c->set_time_zone(megabyte); }), kInvalid,
       "sla_policy.business_calendar.time_zone"},
      {"policy: 100,000 working spans", calendar([](auto* c) {
         for (int i = 0; i < 100000; ++i) {
           *c->add_working_hours() = c->working_hours(0);
         }
       }),
       kInvalid, "sla_policy.business_calendar.working_hours"},
      {"policy: 100,000 bad working spans", calendar([](auto* c) {
         for (int i = 0; i < 100000; ++i) {
           c->add_working_hours()->set_weekday(static_cast<v1::Weekday>(99));
         }
       }),
       kInvalid, "sla_policy.business_calendar.working_hours"},
      {"policy: unknown weekday", calendar([](auto* c) {
         c->mutable_working_hours(0)->set_weekday(static_cast<v1::Weekday>(8));
       }),
       kInvalid, "sla_policy.business_calendar.working_hours[0].weekday"},
      {"policy: a span ending after midnight", calendar([](auto* c) {
         c->mutable_working_hours(0)->set_end_minute(
             std::numeric_limits<int32_t>::max());
       }),
       kInvalid, "sla_policy.business_calendar.working_hours[0].end_minute"},
      {"policy: a span starting before midnight", calendar([](auto* c) {
         c->mutable_working_hours(0)->set_start_minute(
             std::numeric_limits<int32_t>::min());
       }),
       kInvalid, "sla_policy.business_calendar.working_hours[0].start_minute"},
      {"policy: 100,000 bad holidays", calendar([](auto* c) {
         for (int i = 0; i < 100000; ++i) c->add_holidays()->set_year(-1);
       }),
       kInvalid, "sla_policy.business_calendar.holidays"},
      {"policy: 366 bad holidays", calendar([](auto* c) {
         for (int i = 0; i < 366; ++i) c->add_holidays()->set_month(13);
       }),
       kInvalid, "sla_policy.business_calendar.holidays[0]"},
      {"policy: a holiday in year 10000", calendar([](auto* c) {
         type::v1::Date* day = c->add_holidays();
         day->set_year(10000);
         day->set_month(1);
         day->set_day(1);
       }),
       kInvalid, "sla_policy.business_calendar.holidays[0]"},
      {"policy: the largest day", calendar([](auto* c) {
         type::v1::Date* day = c->add_holidays();
         day->set_year(2026);
         day->set_month(1);
         day->set_day(std::numeric_limits<int32_t>::max());
       }),
       kInvalid, "sla_policy.business_calendar.holidays[0]"},
      {"policy: request id of 1000 characters",
       [this] {
         v1::CreateSlaPolicyRequest request;
         *request.mutable_sla_policy() = Policy();
         request.set_request_id(std::string(1000, 'r'));
         v1::CreateSlaPolicyResponse response;
         return Call(&Stub::CreateSlaPolicy, request, &response);
       },
       kInvalid, "request_id"},
      // UpdateSlaPolicy, GetSlaPolicy, DeleteSlaPolicy, ListSlaPolicies
      {"policy update: NaN threshold",
       policy_update("at_risk_threshold",
                     [](auto* p) { p->set_at_risk_threshold(std::nan("")); }),
       kInvalid, "sla_policy.at_risk_threshold"},
      {"policy update: 100,000 holidays",
       policy_update("business_calendar",
                     [](auto* p) {
                       *p->mutable_business_calendar() = Calendar();
                       for (int i = 0; i < 100000; ++i) {
                         type::v1::Date* day =
                             p->mutable_business_calendar()->add_holidays();
                         day->set_month(1);
                         day->set_day(1);
                       }
                     }),
       kInvalid, "sla_policy.business_calendar.holidays"},
      {"policy update: unknown mask path",
       policy_update("rank.x", [](auto*) {}), kInvalid, "update_mask"},
      {"policy update: output-only etag", policy_update("etag", [](auto*) {}),
       kInvalid, "update_mask"},
      {"policy update: name with extra slashes",
       policy_update("rank", [](auto* p) { p->set_name("slaPolicies/a/b"); }),
       kInvalid, "sla_policy.name"},
      {"get policy: name with extra slashes", get_policy("slaPolicies/a/b"),
       kInvalid, "name"},
      {"get policy: 1 MB name", get_policy(megabyte), kInvalid, "name"},
      {"delete policy: another collection", delete_policy("tickets/x"),
       kInvalid, "name"},
      {"list policies: negative page size", list_policies(-1, ""), kInvalid,
       "page_size"},
      {"list policies: garbage page token", list_policies(0, garbage_token),
       kInvalid, "page_token"},
      // ListSlaAlerts
      {"alerts: unknown state",
       alerts([](auto* r) { r->set_state(static_cast<v1::SlaAlertState>(9)); }),
       kInvalid, "state"},
      {"alerts: unknown metric",
       alerts([](auto* r) { r->set_metric(static_cast<v1::SlaMetric>(-9)); }),
       kInvalid, "metric"},
      {"alerts: negative page size",
       alerts([](auto* r) { r->set_page_size(-1); }), kInvalid, "page_size"},
      {"alerts: garbage page token",
       alerts([&](auto* r) { r->set_page_token(garbage_token); }), kInvalid,
       "page_token"},
      {"alerts: due until year 10000", alerts([&](auto* r) {
         r->set_include_finished_tickets(true);
         out_of_range(r->mutable_due_time_range()->mutable_end_time(),
                      kYear10000);
       }),
       kInvalid, "due_time_range.end_time"},
      {"alerts: account with extra slashes",
       alerts([](auto* r) { r->set_account("accounts/a1/x"); }), kInvalid,
       "account"},
      // GetCsatSurvey, ListCsatSurveys, SubmitCsatResponse
      {"get survey: name with extra slashes", get_survey("csatSurveys/a/b"),
       kInvalid, "name"},
      {"surveys: unknown state", surveys([](auto* r) {
         r->set_state(static_cast<v1::CsatSurveyState>(99));
       }),
       kInvalid, "state"},
      {"surveys: sent from year 0", surveys([&](auto* r) {
         out_of_range(r->mutable_send_time_range()->mutable_start_time(),
                      kYear0);
       }),
       kInvalid, "send_time_range.start_time"},
      {"surveys: garbage page token",
       surveys([&](auto* r) { r->set_page_token(garbage_token); }), kInvalid,
       "page_token"},
      {"surveys: negative page size",
       surveys([](auto* r) { r->set_page_size(-1); }), kInvalid, "page_size"},
      {"surveys: ticket with extra slashes",
       surveys([](auto* r) { r->set_ticket("tickets/a/b"); }), kInvalid,
       "ticket"},
      {"answer: rating 6", answer([](auto* r) { r->set_rating(6); }), kInvalid,
       "rating"},
      {"answer: the lowest rating", answer([](auto* r) {
         r->set_rating(std::numeric_limits<int32_t>::min());
       }),
       kInvalid, "rating"},
      {"answer: 1 MB comment",
       answer([&](auto* r) { r->set_comment(megabyte); }), kInvalid, "comment"},
      {"answer: a 1 MB token", answer([&](auto* r) { r->set_token(megabyte); }),
       grpc::StatusCode::UNAUTHENTICATED, ""},
      {"answer: no token", answer([](auto* r) { r->clear_token(); }),
       grpc::StatusCode::UNAUTHENTICATED, ""},
      // ExportDataSubject
      {"export: a subject of another collection",
       export_subject("tickets/x", 0, ""), kInvalid, "subject"},
      {"export: a subject with extra slashes",
       export_subject("contacts/c1/x", 0, ""), kInvalid, "subject"},
      {"export: negative page size", export_subject("contacts/c1", -1, ""),
       kInvalid, "page_size"},
      {"export: garbage page token",
       export_subject("contacts/c1", 0, garbage_token), kInvalid, "page_token"},
  };
  return cases;
}

}  // namespace clientele::ticketing
