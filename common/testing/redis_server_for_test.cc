#include "common/testing/redis_server_for_test.h"

#include <arpa/inet.h>
#include <hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace clientele::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(20);
constexpr absl::Duration kStopTimeout = absl::Seconds(20);
constexpr int kStartAttempts = 5;

// Binds 127.0.0.1:0 and returns the port the kernel chose. The port is free
// again once this returns, so someone else may take it before redis-server
// does; Create() retries with another port when that happens.
absl::StatusOr<int> PickFreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("socket: ", std::strerror(errno)));
  }
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    close(fd);
    return absl::UnavailableError(
        absl::StrCat("bind 127.0.0.1:0: ", std::strerror(error)));
  }
  close(fd);
  return ntohs(address.sin_port);
}

std::string FindRedisServer() {
  const char* path = std::getenv("PATH");
  if (path != nullptr) {
    for (absl::string_view dir : absl::StrSplit(path, ':')) {
      if (dir.empty()) continue;
      std::string candidate = absl::StrCat(dir, "/redis-server");
      if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
  }
  return "/usr/bin/redis-server";
}

// Sends one command on a short-lived connection. Sets `*ok` when the reply is
// a status or a string and returns its text; otherwise returns the error.
std::string RunCommand(const std::string& host, int port,
                       const std::vector<std::string>& args, bool* ok) {
  *ok = false;
  redisContext* context =
      redisConnectWithTimeout(host.c_str(), port, {0, 500000});
  if (context == nullptr) return "cannot allocate a connection";
  if (context->err != 0) {
    std::string error = context->errstr;
    redisFree(context);
    return error;
  }
  redisSetTimeout(context, {5, 0});
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto* reply = static_cast<redisReply*>(redisCommandArgv(
      context, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  std::string result;
  if (reply == nullptr) {
    result = context->errstr;
  } else {
    result.assign(reply->str == nullptr ? "" : reply->str,
                  reply->str == nullptr ? 0 : reply->len);
    *ok =
        reply->type == REDIS_REPLY_STATUS || reply->type == REDIS_REPLY_STRING;
    freeReplyObject(reply);
  }
  redisFree(context);
  return result;
}

// The pid in INFO server, so that we never mistake another test's server on
// a recycled port for ours.
bool ServesAsPid(const std::string& host, int port, pid_t pid) {
  bool ok = false;
  const std::string info = RunCommand(host, port, {"INFO", "server"}, &ok);
  if (!ok) return false;
  for (absl::string_view line : absl::StrSplit(info, absl::ByAnyChar("\r\n"))) {
    if (absl::ConsumePrefix(&line, "process_id:")) {
      int reported = 0;
      return absl::SimpleAtoi(line, &reported) && reported == pid;
    }
  }
  return false;
}

}  // namespace

RedisServerForTest::RedisServerForTest() : binary_(FindRedisServer()) {}

RedisServerForTest::~RedisServerForTest() {
  absl::Status status = Stop();
  if (!status.ok()) {
    std::fprintf(stderr, "RedisServerForTest: %s\n", status.ToString().c_str());
  }
}

absl::StatusOr<std::unique_ptr<RedisServerForTest>>
RedisServerForTest::Create() {
  std::unique_ptr<RedisServerForTest> server(new RedisServerForTest());
  absl::Status last;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    absl::StatusOr<int> port = PickFreePort();
    if (!port.ok()) return port.status();
    server->port_ = *port;
    last = server->Launch();
    if (last.ok()) return server;
  }
  return last;
}

absl::Status RedisServerForTest::Start() {
  if (running()) {
    return absl::FailedPreconditionError("redis-server is already running");
  }
  return Launch();
}

absl::Status RedisServerForTest::Launch() {
  const std::vector<std::string> args = {
      binary_,        "--port",    absl::StrCat(port_),
      "--bind",       host_,       "--dir",
      dir_.path(),    "--logfile", dir_.File("redis.log"),
      "--appendonly", "yes",       "--appendfsync",
      "always",       "--save",    "",
      "--daemonize",  "no",        "--protected-mode",
      "no",
  };
  // Everything the child needs is built before fork: between fork and exec
  // only async-signal-safe calls are allowed.
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const std::string& arg : args) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid < 0) {
    return absl::UnavailableError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    // Don't let the server hold on to the test's sockets and files.
    close_range(3, ~0U, 0);
    execv(argv[0], argv.data());
    _exit(127);
  }
  pid_ = pid;

  const absl::Time deadline = absl::Now() + kStartTimeout;
  while (absl::Now() < deadline) {
    int wait_status = 0;
    if (waitpid(pid_, &wait_status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(
          absl::StrCat("redis-server on port ", port_, " exited (status ",
                       wait_status, "); log:\n", LogTail()));
    }
    bool ok = false;
    const std::string pong = RunCommand(host_, port_, {"PING"}, &ok);
    if (ok && pong == "PONG" && ServesAsPid(host_, port_, pid_)) {
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  // The start already failed; how the cleanup went adds nothing.
  Kill().IgnoreError();
  return absl::UnavailableError(
      absl::StrCat("redis-server on port ", port_, " did not answer PING in ",
                   absl::FormatDuration(kStartTimeout), "; log:\n", LogTail()));
}

absl::Status RedisServerForTest::WaitForExit(int signal) {
  if (!running()) return absl::OkStatus();
  if (kill(pid_, signal) != 0 && errno != ESRCH) {
    return absl::InternalError(absl::StrCat("kill: ", std::strerror(errno)));
  }
  const absl::Time deadline = absl::Now() + kStopTimeout;
  while (true) {
    int wait_status = 0;
    const pid_t reaped = waitpid(pid_, &wait_status, WNOHANG);
    if (reaped == pid_ || (reaped < 0 && errno == ECHILD)) break;
    if (absl::Now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &wait_status, 0);
      pid_ = -1;
      return absl::DeadlineExceededError(
          "redis-server ignored SIGTERM; killed it");
    }
    absl::SleepFor(absl::Milliseconds(2));
  }
  pid_ = -1;
  return absl::OkStatus();
}

absl::Status RedisServerForTest::Stop() { return WaitForExit(SIGTERM); }

absl::Status RedisServerForTest::Kill() { return WaitForExit(SIGKILL); }

absl::Status RedisServerForTest::Flush() {
  if (!running()) {
    return absl::FailedPreconditionError("redis-server is not running");
  }
  bool ok = false;
  const std::string reply = RunCommand(host_, port_, {"FLUSHALL"}, &ok);
  if (!ok || reply != "OK") {
    return absl::UnavailableError(absl::StrCat("FLUSHALL: ", reply));
  }
  return absl::OkStatus();
}

std::string RedisServerForTest::LogTail() const {
  std::ifstream log(dir_.File("redis.log"));
  std::stringstream contents;
  contents << log.rdbuf();
  std::string text = contents.str();
  constexpr size_t kTail = 2000;
  if (text.size() > kTail) text = text.substr(text.size() - kTail);
  return text;
}

}  // namespace clientele::testing
