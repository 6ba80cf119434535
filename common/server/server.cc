#include "common/server/server.h"

#include <signal.h>

#include <cerrno>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "grpc/grpc.h"
#include "grpc/support/time.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

ABSL_FLAG(std::string, host, "127.0.0.1",
          "Address to listen on; 0.0.0.0 in a container.");
ABSL_FLAG(int, port, -1,
          "Port to listen on; -1 uses the service's default (contacts 7001, "
          "engagement 7002, ticketing 7003, reporting 7004), 0 any free port.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "On SIGTERM, how long calls in flight may take to finish before "
          "they are cancelled.");
ABSL_FLAG(absl::Duration, drain_delay, absl::ZeroDuration(),
          "On SIGTERM, how long to keep serving after health turns "
          "NOT_SERVING, so load balancers stop sending new calls first.");
ABSL_FLAG(absl::Duration, readiness_interval, absl::Seconds(2),
          "How often the readiness probe behind the health service runs.");
ABSL_FLAG(int, max_message_bytes, 16 << 20,
          "Largest request accepted; larger ones answer RESOURCE_EXHAUSTED.");

namespace clientele::server {

ServerOptions ServerOptionsFromFlags(int default_port) {
  ServerOptions options;
  options.host = absl::GetFlag(FLAGS_host);
  const int port = absl::GetFlag(FLAGS_port);
  options.port = port < 0 ? default_port : port;
  options.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  options.drain_delay = absl::GetFlag(FLAGS_drain_delay);
  options.readiness_interval = absl::GetFlag(FLAGS_readiness_interval);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  return options;
}

void BlockTerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

Server::Server(const ServerOptions& options, ReadinessProbe readiness,
               std::vector<std::string> service_names)
    : options_(options),
      readiness_(std::move(readiness)),
      service_names_(std::move(service_names)) {}

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const ServerOptions& options,
    const std::vector<ServiceRegistration>& services,
    ReadinessProbe readiness) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int bound_port = 0;
  const std::string address = absl::StrCat(absl::StrContains(options.host, ':')
                                               ? "[" + options.host + "]"
                                               : options.host,
                                           ":", options.port);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(),
                           &bound_port);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  std::vector<std::string> names;
  for (const ServiceRegistration& registration : services) {
    builder.RegisterService(registration.service);
    names.push_back(registration.name);
  }

  auto server = std::unique_ptr<Server>(
      new Server(options, std::move(readiness), std::move(names)));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || bound_port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  server->port_ = bound_port;
  server->SetHealth(false);
  server->probe_thread_ = std::thread([s = server.get()] { s->ProbeLoop(); });
  LOG(INFO) << "listening on " << server->address();
  return server;
}

Server::~Server() { Shutdown(); }

std::string Server::address() const {
  return absl::StrCat(options_.host, ":", port_);
}

void Server::SetHealth(bool serving) {
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  if (health == nullptr) return;
  // Sets the whole server ("") and every registered service name, so that
  // `Health/Check {"service": "clientele.contacts.v1.ContactsService"}` works.
  health->SetServingStatus("", serving);
  for (const std::string& name : service_names_) {
    health->SetServingStatus(name, serving);
  }
}

void Server::ProbeLoop() {
  bool serving = false;
  do {
    const absl::Status status = readiness_ ? readiness_() : absl::OkStatus();
    if (status.ok() != serving) {
      serving = status.ok();
      if (serving) {
        LOG(INFO) << "ready: health is SERVING";
      } else {
        LOG(WARNING) << "not ready: " << status;
      }
      if (!stop_.HasBeenNotified()) SetHealth(serving);
    }
  } while (!stop_.WaitForNotificationWithTimeout(options_.readiness_interval));
}

void Server::Shutdown() {
  absl::MutexLock lock(&shutdown_mutex_);
  if (shut_down_) return;
  shut_down_ = true;
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (probe_thread_.joinable()) probe_thread_.join();
  if (grpc::HealthCheckServiceInterface* health =
          server_->GetHealthCheckService()) {
    // Every service NOT_SERVING, and no later change.
    health->Shutdown();
  }
  LOG(INFO) << "shutting down: health is NOT_SERVING";
  if (options_.drain_delay > absl::ZeroDuration()) {
    absl::SleepFor(options_.drain_delay);
  }
  // Wall time throughout: gRPC deadlines are on the system clock, not the
  // services' Clock.
  const absl::Time grace_end = absl::Now() + options_.shutdown_grace;
  if (options_.call_gate != nullptr) DrainThroughGate(grace_end);

  // gRPC stops taking calls: GOAWAY on every connection, the port closed.
  // Called through the C API first (grpc::Server::Shutdown would do the same
  // but return only when every call is done), so that the held calls are
  // answered after the GOAWAY, on the same connections.
  grpc_completion_queue* shutdown_queue =
      grpc_completion_queue_create_for_next(nullptr);
  grpc_server_shutdown_and_notify(server_->c_server(), shutdown_queue,
                                  /*tag=*/nullptr);
  if (options_.call_gate != nullptr) options_.call_gate->Close();
  // Calls still running past the grace are cancelled.
  server_->Shutdown(absl::ToChronoTime(grace_end));
  server_->Wait();
  grpc_completion_queue_shutdown(shutdown_queue);
  while (grpc_completion_queue_next(shutdown_queue,
                                    gpr_inf_future(GPR_CLOCK_REALTIME), nullptr)
             .type != GRPC_QUEUE_SHUTDOWN) {
  }
  grpc_completion_queue_destroy(shutdown_queue);
  LOG(INFO) << "server stopped";
}

void Server::DrainThroughGate(absl::Time grace_end) {
  CallGate& gate = *options_.call_gate;
  gate.Refuse();
  LOG(INFO) << "new calls are answered UNAVAILABLE; " << gate.running()
            << " calls in flight may run until the shutdown grace ends";
  if (!gate.AwaitIdle(grace_end)) {
    LOG(WARNING) << gate.running()
                 << " calls still running after the shutdown grace: they "
                    "are cancelled";
  }
  // A client waiting for an answer sends no new call. Holding the calls that
  // keep coming until none has come for kHoldQuiet means no call is on its
  // way when gRPC stops taking calls, which it does by cancelling them.
  // Clients that never wait for an answer are held for kMaxHold at most.
  constexpr absl::Duration kHoldQuiet = absl::Milliseconds(200);
  constexpr absl::Duration kMaxHold = absl::Seconds(2);
  gate.Hold();
  gate.AwaitQuiet(kHoldQuiet, absl::Now() + kMaxHold);
  LOG(INFO) << "gRPC stops taking calls; " << gate.held()
            << " held calls are answered UNAVAILABLE";
}

void Server::WaitForTerminationSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  const timespec poll = {0, 200'000'000};  // 200 ms
  while (!stop_.HasBeenNotified()) {
    const int signal = sigtimedwait(&signals, nullptr, &poll);
    if (signal == SIGTERM || signal == SIGINT) {
      LOG(INFO) << "received " << (signal == SIGTERM ? "SIGTERM" : "SIGINT");
      break;
    }
  }
  Shutdown();
}

}  // namespace clientele::server
