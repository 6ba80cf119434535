// Hostile requests to every ticketing RPC, through the real service over real
// SQLite: each answers the right code naming the field (google.rpc.
// BadRequest), nothing is stored, and the service goes on serving. Run under
// AddressSanitizer and UndefinedBehaviorSanitizer, a crash or an overflow
// fails the test too.
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/page_token.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/ticketing_service_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

// One hostile request: what it sends, and what the client must see.
struct Hostile {
  std::string name;
  std::function<grpc::Status()> call;
  grpc::StatusCode code;
  std::string field;  // "" when the answer names no field
};

constexpr int64_t kYear10000 = 253402300800;  // 10000-01-01T00:00:00Z
constexpr int64_t kYear0 = -62135596801;      // 0000-12-31T23:59:59Z

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

  v1::Ticket ticket_;
  v1::Ticket other_;
  v1::Ticket solved_;
  v1::CsatSurvey survey_;
  v1::SlaPolicy policy_;
};

TEST_F(TicketingHostileInputTest, EveryRpcRefusesHostileInputNamingTheField) {
  using Stub = TicketingService::Stub;
  const grpc::StatusCode kInvalid = grpc::StatusCode::INVALID_ARGUMENT;
  const std::string megabyte(1 << 20, 'x');
  const std::string ticket = ticket_.name();

  // Request builders: a valid request, edited.
  const auto create =
      [this](const std::function<void(v1::CreateTicketRequest*)>& edit) {
        return [this, edit] {
          v1::CreateTicketRequest request;
          request.mutable_ticket()->set_account("accounts/a1");
          request.mutable_ticket()->set_subject("Valid");
          edit(&request);
          v1::CreateTicketResponse response;
          return Call(&Stub::CreateTicket, request, &response, kAcmeAgent);
        };
      };
  const auto form =
      [this](const std::function<void(v1::SubmitTicketFormRequest*)>& edit) {
        return [this, edit] {
          v1::SubmitTicketFormRequest request;
          request.set_name("Ana");
          request.set_email("ana@example.com");
          request.set_problem("Broken");
          edit(&request);
          v1::SubmitTicketFormResponse response;
          return Call(&Stub::SubmitTicketForm, request, &response, kAcmeAgent);
        };
      };
  const auto update = [this, ticket](
                          const std::string& path,
                          const std::function<void(v1::Ticket*)>& edit) {
    return [this, ticket, path, edit] {
      v1::UpdateTicketRequest request;
      request.mutable_ticket()->set_name(ticket);
      edit(request.mutable_ticket());
      request.mutable_update_mask()->add_paths(path);
      v1::UpdateTicketResponse response;
      return Call(&Stub::UpdateTicket, request, &response, kAcmeAgent);
    };
  };
  const auto list =
      [this](const std::function<void(v1::ListTicketsRequest*)>& edit) {
        return [this, edit] {
          v1::ListTicketsRequest request;
          edit(&request);
          v1::ListTicketsResponse response;
          return Call(&Stub::ListTickets, request, &response, kAcmeViewer);
        };
      };
  const auto comment =
      [this, ticket](
          const std::function<void(v1::CreateTicketCommentRequest*)>& edit) {
        return [this, ticket, edit] {
          v1::CreateTicketCommentRequest request;
          request.set_parent(ticket);
          v1::TicketComment* c = request.mutable_comment();
          c->set_visibility(v1::COMMENT_VISIBILITY_PUBLIC_REPLY);
          c->set_author_type(v1::COMMENT_AUTHOR_TYPE_AGENT);
          c->set_body("Hello");
          edit(&request);
          v1::CreateTicketCommentResponse response;
          return Call(&Stub::CreateTicketComment, request, &response,
                      kAcmeAgent);
        };
      };
  const auto comments =
      [this, ticket](
          const std::function<void(v1::ListTicketCommentsRequest*)>& edit) {
        return [this, ticket, edit] {
          v1::ListTicketCommentsRequest request;
          request.set_parent(ticket);
          edit(&request);
          v1::ListTicketCommentsResponse response;
          return Call(&Stub::ListTicketComments, request, &response,
                      kAcmeViewer);
        };
      };
  const auto history =
      [this,
       ticket](const std::function<void(v1::ListTicketHistoryRequest*)>& edit) {
        return [this, ticket, edit] {
          v1::ListTicketHistoryRequest request;
          request.set_parent(ticket);
          edit(&request);
          v1::ListTicketHistoryResponse response;
          return Call(&Stub::ListTicketHistory, request, &response,
                      kAcmeViewer);
        };
      };
  const auto merge =
      [this,
       ticket](const std::function<void(v1::MergeTicketsRequest*)>& edit) {
        return [this, ticket, edit] {
          v1::MergeTicketsRequest request;
          request.set_target(ticket);
          request.add_sources(other_.name());
          edit(&request);
          v1::MergeTicketsResponse response;
          return Call(&Stub::MergeTickets, request, &response, kAcmeAgent);
        };
      };
  const auto status =
      [this, ticket](
          const std::function<void(v1::ChangeTicketStatusRequest*)>& edit) {
        return [this, ticket, edit] {
          v1::ChangeTicketStatusRequest request;
          request.set_name(ticket);
          request.set_status(v1::TICKET_STATUS_OPEN);
          edit(&request);
          v1::ChangeTicketStatusResponse response;
          return Call(&Stub::ChangeTicketStatus, request, &response,
                      kAcmeAgent);
        };
      };
  const auto assign =
      [this,
       ticket](const std::function<void(v1::AssignTicketRequest*)>& edit) {
        return [this, ticket, edit] {
          v1::AssignTicketRequest request;
          request.set_name(ticket);
          request.set_assignee("u-ivan");
          edit(&request);
          v1::AssignTicketResponse response;
          return Call(&Stub::AssignTicket, request, &response, kAcmeAgent);
        };
      };
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
  const auto get_ticket = [this, &named](const std::string& name) {
    return [this, request = named(v1::GetTicketRequest(), name)] {
      v1::GetTicketResponse response;
      return Call(&Stub::GetTicket, request, &response, kAcmeViewer);
    };
  };
  const auto delete_ticket = [this, &named](const std::string& name) {
    return [this, request = named(v1::DeleteTicketRequest(), name)] {
      v1::DeleteTicketResponse response;
      return Call(&Stub::DeleteTicket, request, &response);
    };
  };
  const auto route_ticket = [this, &named](const std::string& name) {
    return [this, request = named(v1::RouteTicketRequest(), name)] {
      v1::RouteTicketResponse response;
      return Call(&Stub::RouteTicket, request, &response, kAcmeAgent);
    };
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
  const auto out_of_range = [](google::protobuf::Timestamp* time,
                               int64_t seconds) { time->set_seconds(seconds); };
  const std::string garbage_token = "'; DROP TABLE tickets; --";
  const std::vector<std::string> bad_ticket_names = {
      "tickets/",    "tickets",
      "tickets/a/b", "tickets//a",
      "/tickets/a",  "tickets/../a",
      "contacts/c1", "tickets/" + std::string(65, 'a')};

  std::vector<Hostile> cases = {
      // CreateTicket
      {"1 MB subject",
       create([&](auto* r) { r->mutable_ticket()->set_subject(megabyte); }),
       kInvalid, "ticket.subject"},
      {"1 MB description",
       create([&](auto* r) { r->mutable_ticket()->set_description(megabyte); }),
       kInvalid, "ticket.description"},
      {"control character in the subject", create([](auto* r) {
         r->mutable_ticket()->set_subject("a\x07z");
       }),
       kInvalid, "ticket.subject"},
      {"unknown type", create([](auto* r) {
         r->mutable_ticket()->set_type(static_cast<v1::TicketType>(12345));
       }),
       kInvalid, "ticket.type"},
      {"negative priority", create([](auto* r) {
         r->mutable_ticket()->set_priority(static_cast<v1::TicketPriority>(-1));
       }),
       kInvalid, "ticket.priority"},
      {"unknown channel", create([](auto* r) {
         r->mutable_ticket()->set_channel(static_cast<v1::TicketChannel>(99));
       }),
       kInvalid, "ticket.channel"},
      {"100,000 tags", create([](auto* r) {
         for (int i = 0; i < 100000; ++i) r->mutable_ticket()->add_tags("t");
       }),
       kInvalid, "ticket.tags"},
      {"a tag of 1 MB",
       create([&](auto* r) { r->mutable_ticket()->add_tags(megabyte); }),
       kInvalid, "ticket.tags[0]"},
      {"account with extra slashes", create([](auto* r) {
         r->mutable_ticket()->set_account("accounts/a1/../../x");
       }),
       kInvalid, "ticket.account"},
      {"requester of another collection", create([](auto* r) {
         r->mutable_ticket()->set_requester("accounts/a1");
       }),
       kInvalid, "ticket.requester"},
      {"1 MB assignee",
       create([&](auto* r) { r->mutable_ticket()->set_assignee(megabyte); }),
       kInvalid, "ticket.assignee"},
      {"1 MB team",
       create([&](auto* r) { r->mutable_ticket()->set_team(megabyte); }),
       kInvalid, "ticket.team"},
      {"request id of 1000 characters",
       create([](auto* r) { r->set_request_id(std::string(1000, 'r')); }),
       kInvalid, "request_id"},
      // SubmitTicketForm
      {"form: 1 MB email", form([&](auto* r) { r->set_email(megabyte); }),
       kInvalid, "email"},
      {"form: 1 MB name", form([&](auto* r) { r->set_name(megabyte); }),
       kInvalid, "name"},
      {"form: 1 MB problem", form([&](auto* r) { r->set_problem(megabyte); }),
       kInvalid, "problem"},
      {"form: unknown priority", form([](auto* r) {
         r->set_priority(static_cast<v1::TicketPriority>(77));
       }),
       kInvalid, "priority"},
      {"form: email with two @", form([](auto* r) {
         r->set_email("a@b@example.com");
       }),
       kInvalid, "email"},
      // UpdateTicket
      {"update: unknown mask path", update("subject.bogus", [](auto*) {}),
       kInvalid, "update_mask"},
      {"update: output-only status",
       update("status",
              [](auto* t) { t->set_status(v1::TICKET_STATUS_CLOSED); }),
       kInvalid, "update_mask"},
      {"update: 1 MB subject",
       update("subject", [&](auto* t) { t->set_subject(megabyte); }), kInvalid,
       "ticket.subject"},
      {"update: 100,000 tags", update("tags",
                                      [](auto* t) {
                                        for (int i = 0; i < 100000; ++i) {
                                          t->add_tags("t");
                                        }
                                      }),
       kInvalid, "ticket.tags"},
      {"update: unknown priority", update("priority",
                                          [](auto* t) {
                                            t->set_priority(
                                                static_cast<v1::TicketPriority>(
                                                    -7));
                                          }),
       kInvalid, "ticket.priority"},
      {"update: name with extra slashes",
       update("subject",
              [](auto* t) {
                t->set_name("tickets/a/b");
                t->set_subject("x");
              }),
       kInvalid, "ticket.name"},
      {"update: 1 MB etag", update("subject",
                                   [&](auto* t) {
                                     t->set_subject("New");
                                     t->set_etag(megabyte);
                                   }),
       grpc::StatusCode::ABORTED, ""},
      // ListTickets
      {"list: negative page size", list([](auto* r) { r->set_page_size(-1); }),
       kInvalid, "page_size"},
      {"list: huge page size (read as the maximum)",
       list([](auto* r) { r->set_page_size(1 << 30); }), grpc::StatusCode::OK,
       ""},
      {"list: garbage page token",
       list([&](auto* r) { r->set_page_token(garbage_token); }), kInvalid,
       "page_token"},
      {"list: 1 MB page token",
       list([&](auto* r) { r->set_page_token(megabyte); }), kInvalid,
       "page_token"},
      {"list: unknown status", list([](auto* r) {
         r->add_statuses(static_cast<v1::TicketStatus>(99));
       }),
       kInvalid, "statuses[0]"},
      {"list: 100,000 unknown statuses", list([](auto* r) {
         for (int i = 0; i < 100000; ++i) {
           r->add_statuses(static_cast<v1::TicketStatus>(99));
         }
       }),
       kInvalid, "statuses"},
      {"list: unknown priority", list([](auto* r) {
         r->set_priority(static_cast<v1::TicketPriority>(42));
       }),
       kInvalid, "priority"},
      {"list: unknown type",
       list([](auto* r) { r->set_type(static_cast<v1::TicketType>(-3)); }),
       kInvalid, "type"},
      {"list: created from year 0", list([&](auto* r) {
         out_of_range(r->mutable_create_time_range()->mutable_start_time(),
                      kYear0);
       }),
       kInvalid, "create_time_range.start_time"},
      {"list: created until year 10000", list([&](auto* r) {
         out_of_range(r->mutable_create_time_range()->mutable_end_time(),
                      kYear10000);
       }),
       kInvalid, "create_time_range.end_time"},
      {"list: nanos out of range", list([](auto* r) {
         r->mutable_create_time_range()->mutable_start_time()->set_nanos(-1);
       }),
       kInvalid, "create_time_range.start_time"},
      {"list: account with extra slashes",
       list([](auto* r) { r->set_account("accounts/a1/"); }), kInvalid,
       "account"},
      // CreateTicketComment
      {"comment: 1 MB body",
       comment([&](auto* r) { r->mutable_comment()->set_body(megabyte); }),
       kInvalid, "comment.body"},
      {"comment: occurred in year 0", comment([&](auto* r) {
         out_of_range(r->mutable_comment()->mutable_occur_time(), kYear0);
       }),
       kInvalid, "comment.occur_time"},
      {"comment: occurred in year 10000", comment([&](auto* r) {
         out_of_range(r->mutable_comment()->mutable_occur_time(), kYear10000);
       }),
       kInvalid, "comment.occur_time"},
      {"comment: occurred at the largest time", comment([](auto* r) {
         r->mutable_comment()->mutable_occur_time()->set_seconds(
             std::numeric_limits<int64_t>::max());
       }),
       kInvalid, "comment.occur_time"},
      {"comment: occurred in the future", comment([this](auto* r) {
         r->mutable_comment()->mutable_occur_time()->set_seconds(
             absl::ToUnixSeconds(clock_.Now() + absl::Hours(24)));
       }),
       kInvalid, "comment.occur_time"},
      {"comment: unknown visibility", comment([](auto* r) {
         r->mutable_comment()->set_visibility(
             static_cast<v1::CommentVisibility>(9));
       }),
       kInvalid, "comment.visibility"},
      {"comment: unknown author type", comment([](auto* r) {
         r->mutable_comment()->set_author_type(
             static_cast<v1::CommentAuthorType>(-9));
       }),
       kInvalid, "comment.author_type"},
      {"comment: parent with extra slashes",
       comment([&](auto* r) { r->set_parent(ticket + "/comments/x"); }),
       kInvalid, "parent"},
      // ListTicketComments
      {"comments: negative page size",
       comments([](auto* r) { r->set_page_size(-20); }), kInvalid,
       "page_size"},
      {"comments: garbage page token",
       comments([&](auto* r) { r->set_page_token(garbage_token); }), kInvalid,
       "page_token"},
      {"comments: unknown visibility", comments([](auto* r) {
         r->set_visibility(static_cast<v1::CommentVisibility>(99));
       }),
       kInvalid, "visibility"},
      {"comments: parent with extra slashes",
       comments([](auto* r) { r->set_parent("tickets//x"); }), kInvalid,
       "parent"},
      // ListTicketHistory
      {"history: negative page size",
       history([](auto* r) { r->set_page_size(std::numeric_limits<int>::min()); }),
       kInvalid, "page_size"},
      {"history: garbage page token",
       history([&](auto* r) { r->set_page_token(garbage_token); }), kInvalid,
       "page_token"},
      {"history: parent of another collection",
       history([](auto* r) { r->set_parent("slaPolicies/x"); }), kInvalid,
       "parent"},
      // MergeTickets
      {"merge: 21 sources", merge([](auto* r) {
         for (int i = 0; i < 20; ++i) r->add_sources(absl::StrCat("tickets/d", i));
       }),
       kInvalid, "sources"},
      {"merge: 100,000 sources", merge([](auto* r) {
         for (int i = 0; i < 100000; ++i) {
           r->add_sources(absl::StrCat("tickets/d", i));
         }
       }),
       kInvalid, "sources"},
      {"merge: a source with extra slashes",
       merge([](auto* r) { r->set_sources(0, "tickets/a/b"); }), kInvalid,
       "sources[0]"},
      {"merge: the target as a source",
       merge([&](auto* r) { r->set_sources(0, ticket); }), kInvalid,
       "sources[0]"},
      {"merge: a target of another collection",
       merge([](auto* r) { r->set_target("accounts/a1"); }), kInvalid,
       "target"},
      // ChangeTicketStatus
      {"status: unknown", status([](auto* r) {
         r->set_status(static_cast<v1::TicketStatus>(99));
       }),
       kInvalid, "status"},
      {"status: negative", status([](auto* r) {
         r->set_status(static_cast<v1::TicketStatus>(-1));
       }),
       kInvalid, "status"},
      {"status: unset", status([](auto* r) {
         r->set_status(v1::TICKET_STATUS_UNSPECIFIED);
       }),
       kInvalid, "status"},
      // AssignTicket
      {"assign: 1 MB assignee",
       assign([&](auto* r) { r->set_assignee(megabyte); }), kInvalid,
       "assignee"},
      {"assign: control character in the team", assign([](auto* r) {
         r->set_team(std::string("a\0b", 3));
       }),
       kInvalid, "team"},
      {"assign: name with extra slashes",
       assign([](auto* r) { r->set_name("tickets/a/"); }), kInvalid, "name"},
      // UpdateRoutingPolicy, GetRoutingPolicy
      {"routing: 100,000 teams", routing("teams",
                                         [](auto* p) {
                                           for (int i = 0; i < 100000; ++i) {
                                             p->add_teams()->set_name("t");
                                           }
                                         }),
       kInvalid, "routing_policy.teams"},
      {"routing: 100,000 agents", routing("teams",
                                          [](auto* p) {
                                            v1::SupportTeam* team =
                                                p->add_teams();
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
      {"routing: name with extra slashes", routing("agent_capacity",
                                                   [](auto* p) {
                                                     p->set_name(
                                                         "routingPolicy/x");
                                                   }),
       kInvalid, "routing_policy.name"},
      {"get routing: another name", get_routing("routingPolicy/../x"),
       kInvalid, "name"},
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
      {"policy: NaN threshold",
       policy([](auto* p) {
         p->set_at_risk_threshold(std::numeric_limits<double>::quiet_NaN());
       }),
       kInvalid, "sla_policy.at_risk_threshold"},
      {"policy: infinite threshold",
       policy([](auto* p) {
         p->set_at_risk_threshold(std::numeric_limits<double>::infinity());
       }),
       kInvalid, "sla_policy.at_risk_threshold"},
      {"policy: negative infinite threshold",
       policy([](auto* p) {
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
      {"policy update: NaN threshold", policy_update("at_risk_threshold",
                                                     [](auto* p) {
                                                       p->set_at_risk_threshold(
                                                           std::nan(""));
                                                     }),
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
      {"policy update: unknown mask path", policy_update("rank.x", [](auto*) {}),
       kInvalid, "update_mask"},
      {"policy update: output-only etag", policy_update("etag", [](auto*) {}),
       kInvalid, "update_mask"},
      {"policy update: name with extra slashes",
       policy_update("rank",
                     [](auto* p) { p->set_name("slaPolicies/a/b"); }),
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
      {"alerts: unknown state", alerts([](auto* r) {
         r->set_state(static_cast<v1::SlaAlertState>(9));
       }),
       kInvalid, "state"},
      {"alerts: unknown metric", alerts([](auto* r) {
         r->set_metric(static_cast<v1::SlaMetric>(-9));
       }),
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
      {"answer: 1 MB comment", answer([&](auto* r) { r->set_comment(megabyte); }),
       kInvalid, "comment"},
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
       export_subject("contacts/c1", 0, garbage_token), kInvalid,
       "page_token"},
  };
  for (const std::string& name : bad_ticket_names) {
    cases.push_back({"get: " + name, get_ticket(name), kInvalid, "name"});
    cases.push_back({"delete: " + name, delete_ticket(name), kInvalid, "name"});
    cases.push_back({"route: " + name, route_ticket(name), kInvalid, "name"});
    cases.push_back({"status of: " + name,
                     status([name](auto* r) { r->set_name(name); }), kInvalid,
                     "name"});
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
