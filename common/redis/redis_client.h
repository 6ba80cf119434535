// The Redis client every service uses: a narrow interface so that tests can
// swap in a fake or a fault-injecting wrapper, and a hiredis implementation
// (hiredis_client.h) with a connection pool, timeouts and reconnects.
//
// Calls block for at most the command timeout, so they belong on worker
// threads, never on a gRPC callback thread.
#ifndef CLIENTELE_COMMON_REDIS_REDIS_CLIENT_H_
#define CLIENTELE_COMMON_REDIS_REDIS_CLIENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace clientele::redis {

// A decoded Redis reply.
struct Reply {
  enum class Type { kNil, kString, kStatus, kInteger, kArray, kError };
  Type type = Type::kNil;
  std::string str;              // kString, kStatus, kError
  int64_t integer = 0;          // kInteger
  std::vector<Reply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
};

class RedisClient {
 public:
  virtual ~RedisClient() = default;

  // Sends one command (binary-safe arguments) and returns its reply.
  // Connection failures, timeouts and a server that is loading answer
  // UNAVAILABLE (the next call reconnects); a Redis error reply (`-ERR ...`)
  // is returned as a Reply of type kError, not as a failed status, so callers
  // can tell "Redis said no" from "Redis is not there".
  virtual absl::StatusOr<Reply> Command(absl::Span<const std::string> args) = 0;
};

}  // namespace clientele::redis

#endif  // CLIENTELE_COMMON_REDIS_REDIS_CLIENT_H_
