// The hostile requests to the ticket RPCs, from CreateTicket to
// AssignTicket, and to every RPC that names a ticket given a name that is
// not one. ticketing_hostile_input_test.cc sends them.
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/ticketing/ticketing_hostile_input_fixture_for_test.h"

namespace clientele::ticketing {

std::vector<Hostile> TicketingHostileInputTest::TicketRpcCases(
    const std::string& megabyte, const std::string& garbage_token) {
  using Stub = TicketingService::Stub;
  const grpc::StatusCode kInvalid = grpc::StatusCode::INVALID_ARGUMENT;
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
  // Static: the cases call it after this returns.
  static constexpr auto out_of_range = [](google::protobuf::Timestamp* time,
                                          int64_t seconds) {
    time->set_seconds(seconds);
  };
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
      {"control character in the subject",
       create([](auto* r) { r->mutable_ticket()->set_subject("a\x07z"); }),
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
      {"form: email with two @",
       form([](auto* r) { r->set_email("a@b@example.com"); }), kInvalid,
       "email"},
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
      {"update: 100,000 tags",
       update("tags",
              [](auto* t) {
                for (int i = 0; i < 100000; ++i) {
                  t->add_tags("t");
                }
              }),
       kInvalid, "ticket.tags"},
      {"update: unknown priority",
       update("priority",
              [](auto* t) {
                t->set_priority(static_cast<v1::TicketPriority>(-7));
              }),
       kInvalid, "ticket.priority"},
      {"update: name with extra slashes",
       update("subject",
              [](auto* t) {
                t->set_name("tickets/a/b");
                t->set_subject("x");
              }),
       kInvalid, "ticket.name"},
      {"update: 1 MB etag",
       update("subject",
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
       comment([ticket](auto* r) { r->set_parent(ticket + "/comments/x"); }),
       kInvalid, "parent"},
      // ListTicketComments
      {"comments: negative page size",
       comments([](auto* r) { r->set_page_size(-20); }), kInvalid, "page_size"},
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
      {"history: negative page size", history([](auto* r) {
         r->set_page_size(std::numeric_limits<int>::min());
       }),
       kInvalid, "page_size"},
      {"history: garbage page token",
       history([&](auto* r) { r->set_page_token(garbage_token); }), kInvalid,
       "page_token"},
      {"history: parent of another collection",
       history([](auto* r) { r->set_parent("slaPolicies/x"); }), kInvalid,
       "parent"},
      // MergeTickets
      {"merge: 21 sources", merge([](auto* r) {
         for (int i = 0; i < 20; ++i) {
           r->add_sources(absl::StrCat("tickets/d", i));
         }
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
       merge([ticket](auto* r) { r->set_sources(0, ticket); }), kInvalid,
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
      {"status: unset",
       status([](auto* r) { r->set_status(v1::TICKET_STATUS_UNSPECIFIED); }),
       kInvalid, "status"},
      // AssignTicket
      {"assign: 1 MB assignee",
       assign([&](auto* r) { r->set_assignee(megabyte); }), kInvalid,
       "assignee"},
      {"assign: control character in the team",
       assign([](auto* r) { r->set_team(std::string("a\0b", 3)); }), kInvalid,
       "team"},
      {"assign: name with extra slashes",
       assign([](auto* r) { r->set_name("tickets/a/"); }), kInvalid, "name"},
  };
  for (const std::string& name : bad_ticket_names) {
    cases.push_back({"get: " + name, get_ticket(name), kInvalid, "name"});
    cases.push_back({"delete: " + name, delete_ticket(name), kInvalid, "name"});
    cases.push_back({"route: " + name, route_ticket(name), kInvalid, "name"});
    cases.push_back({"status of: " + name,
                     status([name](auto* r) { r->set_name(name); }), kInvalid,
                     "name"});
  }
  return cases;
}

}  // namespace clientele::ticketing
