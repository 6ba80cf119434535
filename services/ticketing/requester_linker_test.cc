// The requester linker as the backend wires it: a form taken while contacts
// fails is offered to contacts again at once, not after the linker's period.
#include "services/ticketing/requester_linker.h"

#include <string>
#include <vector>

#include "common/testing/wait_for.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/ticketing_service_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::SizeIs;

TEST_F(TicketingServiceTest, AFormTakenWhileContactsFailsIsLinkedAtOnce) {
  // The linker's period is an hour (BackendOptions): only a wake sweeps.
  backend_->Start();
  contacts_.FailNext(1, absl::UnavailableError("contacts is down"));
  v1::SubmitTicketFormRequest form;
  form.set_name("Ana López");
  form.set_email("ana@example.com");
  form.set_problem("The pump is loud");
  form.set_request_id("form-1");
  v1::SubmitTicketFormResponse submitted;
  const grpc::Status status = Call(&TicketingService::Stub::SubmitTicketForm,
                                   form, &submitted, kAcmeAgent);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(submitted.ticket().requester_pending());

  v1::GetTicketRequest get;
  get.set_name(submitted.ticket().name());
  v1::GetTicketResponse got;
  EXPECT_TRUE(clientele::testing::WaitFor([&] {
    return Call(&TicketingService::Stub::GetTicket, get, &got).ok() &&
           !got.ticket().requester_pending();
  }));
  EXPECT_EQ(got.ticket().requester(), "contacts/contact-1");
  const std::vector<FakeContactsDirectory::Call> calls =
      contacts_.CallsForTest();
  ASSERT_THAT(calls, SizeIs(2));
  // Asked again on the intake caller's behalf, with the same request id.
  EXPECT_EQ(calls[1].authorization, absl::StrCat("Bearer ", kAcmeAgent));
  EXPECT_EQ(calls[1].request_id, "intake-form-1");
}

}  // namespace
}  // namespace clientele::ticketing
