#include "common/redis/hiredis_client.h"

#include <hiredis.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace clientele::redis {
namespace {

// Blocks SIGPIPE in this thread for the scope's lifetime and discards a
// SIGPIPE raised meanwhile by writing to a socket the peer closed. hiredis
// 0.14 uses write(2), which raises SIGPIPE; blocking it here keeps the
// process-wide disposition untouched.
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock() {
    sigemptyset(&sigpipe_);
    sigaddset(&sigpipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigpipe_, &old_mask_);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  }
  ~ScopedSigpipeBlock() {
    if (!was_pending_) {
      sigset_t pending;
      sigemptyset(&pending);
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const struct timespec zero = {0, 0};
        while (sigtimedwait(&sigpipe_, nullptr, &zero) == -1 &&
               errno == EINTR) {
        }
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }

  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

 private:
  sigset_t sigpipe_;
  sigset_t old_mask_;
  bool was_pending_ = false;
};

Reply ConvertReply(const redisReply& reply) {
  Reply out;
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::kError;
      out.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = reply.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(reply.elements);
      for (size_t i = 0; i < reply.elements; ++i) {
        out.elements.push_back(ConvertReply(*reply.element[i]));
      }
      break;
    case REDIS_REPLY_NIL:
    default:
      out.type = Reply::Type::kNil;
      break;
  }
  return out;
}

std::string ContextError(const redisContext& context) {
  return context.errstr[0] != '\0' ? std::string(context.errstr)
                                   : absl::StrCat("error ", context.err);
}

}  // namespace

HiredisOptions BlockingReaderOptions(HiredisOptions base,
                                     absl::Duration max_block) {
  base.pool_size = 1;
  base.command_timeout += max_block;
  return base;
}

HiredisClient::HiredisClient(HiredisOptions options)
    : options_(std::move(options)) {}

HiredisClient::~HiredisClient() {
  absl::MutexLock lock(&mu_);
  for (redisContext* context : idle_) redisFree(context);
  idle_.clear();
}

bool HiredisClient::ConnectionAvailable() const {
  return !idle_.empty() || in_use_ < std::max(1, options_.pool_size);
}

absl::StatusOr<redisContext*> HiredisClient::Connect() const {
  redisContext* context =
      redisConnectWithTimeout(options_.host.c_str(), options_.port,
                              absl::ToTimeval(options_.connect_timeout));
  if (context == nullptr) {
    return absl::UnavailableError("Redis: cannot allocate a connection");
  }
  if (context->err != 0) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("Redis: cannot connect to ", options_.host, ":",
                     options_.port, ": ", ContextError(*context)));
    redisFree(context);
    return status;
  }
  if (redisSetTimeout(context, absl::ToTimeval(options_.command_timeout)) !=
      REDIS_OK) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("Redis: cannot set timeout: ", ContextError(*context)));
    redisFree(context);
    return status;
  }
  // Keepalive lets a half-open connection (server host gone) fail instead of
  // sitting in the pool forever; failing to enable it is harmless.
  redisEnableKeepAlive(context);
  return context;
}

absl::StatusOr<redisContext*> HiredisClient::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithTimeout(
            absl::Condition(this, &HiredisClient::ConnectionAvailable),
            options_.command_timeout)) {
      return absl::UnavailableError(absl::StrCat(
          "Redis: all ", options_.pool_size, " connections stayed busy for ",
          absl::FormatDuration(options_.command_timeout)));
    }
    ++in_use_;
    if (!idle_.empty()) {
      redisContext* context = idle_.back();
      idle_.pop_back();
      return context;
    }
  }
  // Connect outside the lock: a slow connect must not hold up callers that
  // could use an idle connection.
  absl::StatusOr<redisContext*> context = Connect();
  if (!context.ok()) {
    absl::MutexLock lock(&mu_);
    --in_use_;
  }
  return context;
}

void HiredisClient::Release(redisContext* context, bool broken) {
  std::vector<redisContext*> to_free;
  {
    absl::MutexLock lock(&mu_);
    --in_use_;
    if (broken) {
      to_free.swap(idle_);
      to_free.push_back(context);
    } else {
      idle_.push_back(context);
    }
  }
  for (redisContext* c : to_free) redisFree(c);
}

absl::StatusOr<Reply> HiredisClient::Command(
    absl::Span<const std::string> args) {
  if (args.empty()) {
    return absl::InvalidArgumentError("Redis: empty command");
  }
  std::vector<const char*> argv;
  std::vector<size_t> argv_len;
  argv.reserve(args.size());
  argv_len.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    argv_len.push_back(arg.size());
  }

  absl::StatusOr<redisContext*> acquired = Acquire();
  if (!acquired.ok()) return acquired.status();
  redisContext* context = *acquired;

  redisReply* raw = nullptr;
  {
    ScopedSigpipeBlock block_sigpipe;
    raw = static_cast<redisReply*>(redisCommandArgv(
        context, static_cast<int>(argv.size()), argv.data(), argv_len.data()));
  }
  if (raw == nullptr) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("Redis: ", args[0], " failed: ", ContextError(*context)));
    Release(context, /*broken=*/true);
    return status;
  }
  Reply reply = ConvertReply(*raw);
  freeReplyObject(raw);
  Release(context, /*broken=*/false);

  // A server still loading its AOF answers -LOADING to everything; that is
  // "not there yet", not "said no".
  if (reply.type == Reply::Type::kError &&
      absl::StartsWith(reply.str, "LOADING")) {
    return absl::UnavailableError(absl::StrCat("Redis: ", reply.str));
  }
  return reply;
}

}  // namespace clientele::redis
