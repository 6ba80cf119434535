// Calling a real gRPC server from a service test, as its clients would.
#ifndef CLIENTELE_COMMON_TESTING_GRPC_FOR_TEST_H_
#define CLIENTELE_COMMON_TESTING_GRPC_FOR_TEST_H_

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/auth.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace clientele::testing {

// One line of a test's token file.
struct TokenForTest {
  absl::string_view token;
  absl::string_view tenant;
  absl::string_view role;  // viewer, agent, manager or admin
};

// An authenticator that knows exactly `tokens`.
inline absl::StatusOr<std::unique_ptr<TokenAuthenticator>> AuthenticatorForTest(
    std::initializer_list<TokenForTest> tokens) {
  std::string text;
  for (const TokenForTest& line : tokens) {
    absl::StrAppend(&text, Sha256Hex(line.token), " ", line.tenant, " ",
                    line.role, "\n");
  }
  return TokenAuthenticator::FromText(text);
}

// Calls `rpc` of `stub` with `authorization: Bearer <token>` and a 30 s
// deadline; returns the status as the client saw it.
template <typename Stub, typename Request, typename Response>
grpc::Status CallForTest(Stub& stub,
                         grpc::Status (Stub::*rpc)(grpc::ClientContext*,
                                                   const Request&, Response*),
                         const Request& request, Response* response,
                         absl::string_view token) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  return (stub.*rpc)(&context, request, response);
}

}  // namespace clientele::testing

#endif  // CLIENTELE_COMMON_TESTING_GRPC_FOR_TEST_H_
