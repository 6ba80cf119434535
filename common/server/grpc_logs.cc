#include "common/server/grpc_logs.h"

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "common/log.h"
#include "grpc/support/log.h"

namespace clientele::server {
namespace {

void GrpcLogFunction(gpr_log_func_args* args) {
  LogSeverity severity = LogSeverity::kInfo;
  if (args->severity == GPR_LOG_SEVERITY_ERROR) severity = LogSeverity::kError;
  // An assertion failure is gRPC's last line before abort(): always written.
  const absl::string_view message =
      args->message == nullptr ? "" : args->message;
  const bool fatal = absl::StartsWith(message, "assertion failed");
  LogLibraryMessage(LibraryLogLimiter(), "grpc", severity, fatal,
                    args->file == nullptr ? "" : args->file, args->line,
                    message);
}

}  // namespace

void RouteGrpcLogs() { gpr_set_log_function(&GrpcLogFunction); }

}  // namespace clientele::server
