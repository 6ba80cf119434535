// How one Clientele service calls another (DESIGN.md, "How the services
// talk"): one channel per peer, made at start-up and reused for the life of
// the process; a retry policy only for the methods that are safe to repeat
// (reads, and writes that carry a request id); and every call made on behalf
// of the caller being served, with the caller's credentials and a deadline
// taken from the caller's remaining budget.
//
// Calls are blocking: make them from a worker thread (ServeUnary's handlers
// run on the worker pool), never from a gRPC callback thread, and never
// inside a database transaction.
#ifndef CLIENTELE_COMMON_PEER_CHANNEL_H_
#define CLIENTELE_COMMON_PEER_CHANNEL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/caller.h"
#include "common/clock.h"
#include "common/server/status_mapping.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/status.h"

namespace clientele {

// One method of a peer's service.
struct PeerMethod {
  // The service's full name, e.g. "clientele.contacts.v1.ContactsService".
  std::string service;
  // The method's name, e.g. "FindOrCreateContact".
  std::string method;
};

struct PeerChannelOptions {
  // How the channel authenticates the peer; nullptr means plaintext
  // (grpc::InsecureChannelCredentials), until the suite speaks TLS.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // The methods gRPC retries when an attempt fails with UNAVAILABLE (the peer
  // was not reached or shed the call): reads, and writes whose request
  // carries a request id, so that a repeat cannot apply twice. Every other
  // method runs exactly one attempt.
  std::vector<PeerMethod> retry_safe_methods;
  // Attempts per call of a retry-safe method, the first included (gRPC caps
  // it at 5). Every attempt shares the call's one deadline.
  int max_attempts = 3;
  // Exponential backoff between attempts, with gRPC's jitter.
  absl::Duration initial_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Milliseconds(500);
  double backoff_multiplier = 2.0;
  // The longest the channel waits before trying to reconnect to a peer that
  // went away (gRPC's default is two minutes: far too long to notice that a
  // restarted peer is back).
  absl::Duration max_reconnect_backoff = absl::Seconds(5);
};

// The gRPC service config JSON `options` stand for: a retryPolicy
// (retryableStatusCodes ["UNAVAILABLE"]) on each retry-safe method, and
// retry throttling so that a struggling peer is not sent three times the
// load. INVALID_ARGUMENT for max_attempts below 2 with retry-safe methods,
// backoffs not positive, or an empty service or method name.
absl::StatusOr<std::string> PeerServiceConfigJson(
    const PeerChannelOptions& options);

// A channel to `target` ("host:port", or any gRPC target URI) with retries
// enabled and PeerServiceConfigJson(options) as its service config (the name
// resolver's config is ignored). Connects lazily, so it can be made before
// the peer is up. INVALID_ARGUMENT when the options make no valid config.
// Make one per peer at start-up and share it: a channel holds the
// connection, and gRPC multiplexes concurrent calls over it.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakePeerChannel(
    absl::string_view target, const PeerChannelOptions& options);

// What a call to a peer leaves its caller to answer with whatever the peer
// said.
inline constexpr absl::Duration kPeerAnswerMargin = absl::Milliseconds(50);

// The deadline of a peer call made at `now` for a caller whose own deadline
// is `caller_deadline`: the earlier of `caller_deadline - margin` and
// `now + timeout` (the peer's own timeout). DEADLINE_EXCEEDED when that is
// not after `now`: the caller's budget is spent, so the peer is not called.
absl::StatusOr<absl::Time> PeerDeadline(
    absl::Time caller_deadline, absl::Time now, absl::Duration timeout,
    absl::Duration margin = kPeerAnswerMargin);

// Prepares `context` (fresh, one per call) for a call at `now` on behalf of
// `caller`: "authorization" set to caller.authorization as it came (left out
// when empty: the peer then answers UNAUTHENTICATED), "x-request-id" to
// caller.trace_id (left out when empty), and the deadline of PeerDeadline.
// DEADLINE_EXCEEDED, with `context` untouched, when the budget is spent.
// `now` must come from the clock gRPC measures deadlines with, the system
// clock (RealClock in production).
absl::Status PreparePeerContext(const Caller& caller, absl::Time now,
                                absl::Duration timeout,
                                grpc::ClientContext* context);

// Calls `rpc` of `stub` on behalf of `caller` as PreparePeerContext says,
// with `clock` for now and `timeout` as the peer's timeout. Returns the
// peer's status as an absl::Status with its code, message and details
// (google.rpc.BadRequest, ...) kept (server::FromGrpcStatus); UNAVAILABLE
// when the peer could not be reached (after the retries of a retry-safe
// method), DEADLINE_EXCEEDED when it did not answer in time or the budget
// was already spent.
template <typename Stub, typename Request, typename Response>
absl::Status CallPeer(const Caller& caller, Clock& clock,
                      absl::Duration timeout, Stub& stub,
                      grpc::Status (Stub::*rpc)(grpc::ClientContext*,
                                                const Request&, Response*),
                      const Request& request, Response* response) {
  grpc::ClientContext context;
  absl::Status prepared =
      PreparePeerContext(caller, clock.Now(), timeout, &context);
  if (!prepared.ok()) return prepared;
  return server::FromGrpcStatus((stub.*rpc)(&context, request, response));
}

}  // namespace clientele

#endif  // CLIENTELE_COMMON_PEER_CHANNEL_H_
