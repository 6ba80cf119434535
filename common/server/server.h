// The gRPC server every Clientele process runs: callback API, reflection
// (which can also describe grpc.health.v1.Health, because every server binary
// links health.proto in), a health service that reports real readiness, and
// a graceful shutdown.
//
// Lifecycle:
//   Start  -> health NOT_SERVING; readiness probed every readiness_interval,
//             SERVING once the probe passes (and NOT_SERVING again if it
//             starts failing).
//   Shutdown (SIGTERM/SIGINT in WaitForTerminationSignal, or a direct call)
//          -> health NOT_SERVING first, while calls are still served for
//             drain_delay (time for load balancers to notice); then new calls
//             are answered UNAVAILABLE "server is shutting down; retry", and
//             calls in flight get up to shutdown_grace to finish (those still
//             running then are cancelled); then gRPC stops taking calls
//             (GOAWAY on every connection, the port closed), so later calls
//             fail to connect: UNAVAILABLE too. With a call_gate, a client
//             that waits for each answer is never answered CANCELLED for a
//             call that was not running; see common/server/call_gate.h.
#ifndef CLIENTELE_COMMON_SERVER_SERVER_H_
#define CLIENTELE_COMMON_SERVER_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/server/call_gate.h"
#include "grpcpp/server.h"

namespace clientele::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 picks a free port (tests)
  absl::Duration shutdown_grace = absl::Seconds(10);
  absl::Duration drain_delay = absl::ZeroDuration();
  absl::Duration readiness_interval = absl::Seconds(2);
  int max_message_bytes = 16 << 20;
  // The gate of the RpcRuntime of the services served (not owned), which
  // Shutdown closes; see the file comment. nullptr: calls that reach gRPC
  // while it stops are CANCELLED by gRPC itself.
  CallGate* call_gate = nullptr;
};

// Options from the common server flags (--host, --port, --shutdown_grace,
// --drain_delay, --readiness_interval, --max_message_bytes); --port -1
// means `default_port`.
ServerOptions ServerOptionsFromFlags(int default_port);

// A service to serve and the name health reports it under
// (`Foo::service_full_name()` of the generated code).
struct ServiceRegistration {
  grpc::Service* service;
  std::string name;
};

// Readiness probe: OK when the process can do its job (its database answers).
// Dependencies that degrade gracefully (Redis) must not fail it.
using ReadinessProbe = std::function<absl::Status()>;

class Server {
 public:
  // Builds and starts the server with `services` (which must outlive it).
  // Fails when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const ServerOptions& options,
      const std::vector<ServiceRegistration>& services,
      ReadinessProbe readiness);

  ~Server();  // Shutdown() if not done yet.

  // The port actually bound.
  int port() const { return port_; }
  std::string address() const;

  // See the file comment. Returns when every call has finished or been
  // cancelled. Idempotent and thread-safe.
  void Shutdown();

  // Blocks until SIGTERM or SIGINT arrives (see BlockTerminationSignals), or
  // until Shutdown is called from elsewhere; then shuts down.
  void WaitForTerminationSignal();

 private:
  Server(const ServerOptions& options, ReadinessProbe readiness,
         std::vector<std::string> service_names);
  void ProbeLoop();
  void SetHealth(bool serving);
  // Stops and waits for the calls the gate admitted, then holds new ones
  // until none arrives for a while; see common/server/call_gate.h.
  void DrainThroughGate(absl::Time grace_end);

  const ServerOptions options_;
  ReadinessProbe readiness_;
  std::vector<std::string> service_names_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  absl::Notification stop_;
  std::thread probe_thread_;
  absl::Mutex shutdown_mutex_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mutex_) = false;
};

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts
// afterwards, so that WaitForTerminationSignal can take them synchronously.
// Call it first thing in main, before any thread exists.
void BlockTerminationSignals();

}  // namespace clientele::server

#endif  // CLIENTELE_COMMON_SERVER_SERVER_H_
