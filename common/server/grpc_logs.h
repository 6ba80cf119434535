// gRPC's own log messages (gpr_log: connection errors, assertion failures)
// would go to stderr in gRPC's format, one "E1206 13:40:00.123 ..." line
// each, breaking "one JSON object per line". RouteGrpcLogs sends them through
// common/log.h instead, rate-limited per call site like every library's
// messages (see LogLibraryMessage): a peer can make gRPC log at will.
#ifndef CLIENTELE_COMMON_SERVER_GRPC_LOGS_H_
#define CLIENTELE_COMMON_SERVER_GRPC_LOGS_H_

namespace clientele::server {

// Installs the route for the whole process (gpr_set_log_function). gRPC
// still filters by GRPC_VERBOSITY first (default: errors only). Call once,
// early in main; InitProcess does.
void RouteGrpcLogs();

}  // namespace clientele::server

#endif  // CLIENTELE_COMMON_SERVER_GRPC_LOGS_H_
