// Structured logging: every line written to stderr is one JSON object, so
// `kubectl logs` output can be filtered with jq and shipped as is.
//
// Debian's Abseil (20220623) has no absl/log; LOG(severity) here keeps its
// spelling so that an upgrade is a rename.
//
//   LOG(INFO) << "listening on " << address;
//   -> {"ts":"2026-11-22T19:40:00.123456Z","severity":"INFO",
//       "file":"server.cc","line":42,"msg":"listening on 127.0.0.1:7001"}
#ifndef CLIENTELE_COMMON_LOG_H_
#define CLIENTELE_COMMON_LOG_H_

#include <cstdint>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace clientele {

enum class LogSeverity { kInfo, kWarning, kError };

// Where log lines go: stderr unless a test installs its own.
class LogSink {
 public:
  virtual ~LogSink() = default;
  // `line` is one JSON object without the trailing newline.
  virtual void Write(absl::string_view line) = 0;
};

// Installs `sink` (nullptr restores stderr). The sink must outlive its use.
void SetLogSinkForTest(LogSink* sink);

// `text` escaped for use inside a JSON string (no surrounding quotes). Bytes
// that are not valid UTF-8 become U+FFFD, so a line is valid JSON whatever a
// client managed to put into a message.
std::string JsonEscape(absl::string_view text);

// One JSON log field; the value is either a string or a raw JSON literal
// (number, true/false).
struct LogField {
  static LogField String(absl::string_view key, absl::string_view value);
  static LogField Raw(absl::string_view key, std::string json_literal);
  std::string key;
  std::string json_value;  // already encoded
};

// Writes {"ts":...,"severity":...,<fields...>} as one line.
void LogFields(LogSeverity severity, const std::vector<LogField>& fields);

// Limits how many lines of one kind are written: at most `lines_per_second`
// in each second (counted from the first line of a second), per kind. The
// lines dropped are counted, and the count goes with the next line of that
// kind that is written. Thread-safe.
class LogRateLimiter {
 public:
  LogRateLimiter(Clock* clock, int lines_per_second)
      : clock_(clock), lines_per_second_(lines_per_second) {}

  // Whether a line of `kind` may be written now. When it may, `*suppressed`
  // is how many lines of that kind were dropped since the last one written.
  bool Allow(absl::string_view kind, int64_t* suppressed);

 private:
  struct Window {
    absl::Time start;
    int written = 0;
    int64_t suppressed = 0;
  };
  // Kinds are call sites (a file and a line), a bounded set; beyond this
  // many, lines of new kinds are written unlimited.
  static constexpr size_t kMaxKinds = 4096;

  Clock* const clock_;
  const int lines_per_second_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, Window> windows_ ABSL_GUARDED_BY(mutex_);
};

// A message that a library we link (protobuf, gRPC) logs on its own, made
// one JSON line like ours:
//   {"ts":...,"severity":"ERROR","source":"protobuf",
//    "file":"wire_format_lite.cc","line":581,"msg":"String field ...",
//    "suppressed":12}
// rate-limited by `limiter` per call site (`source`, `file`, `line`), since
// any client can make a library log (invalid UTF-8 in a request makes
// protobuf log one line). "suppressed" is there when lines were dropped. A
// `fatal` message (the process is about to abort) is always written.
void LogLibraryMessage(LogRateLimiter& limiter, absl::string_view source,
                       LogSeverity severity, bool fatal, absl::string_view file,
                       int line, absl::string_view message);

// The process-wide limiter for library messages: kLibraryLinesPerSecond per
// call site, on the real clock.
inline constexpr int kLibraryLinesPerSecond = 5;
LogRateLimiter& LibraryLogLimiter();

// Routes protobuf's own log messages (google::protobuf::SetLogHandler)
// through LogLibraryMessage with LibraryLogLimiter(). Call once, early in
// main (InitProcess does); not thread-safe against protobuf logging at the
// same moment.
void RouteProtobufLogs();

namespace log_internal {

inline constexpr LogSeverity kINFO = LogSeverity::kInfo;
inline constexpr LogSeverity kWARNING = LogSeverity::kWarning;
inline constexpr LogSeverity kERROR = LogSeverity::kError;

class LogMessage {
 public:
  LogMessage(const char* file, int line, LogSeverity severity)
      : file_(file), line_(line), severity_(severity) {}
  LogMessage(const LogMessage&) = delete;
  LogMessage& operator=(const LogMessage&) = delete;
  ~LogMessage();
  std::ostream& stream() { return stream_; }

 private:
  const char* file_;
  int line_;
  LogSeverity severity_;
  std::ostringstream stream_;
};

}  // namespace log_internal
}  // namespace clientele

#define LOG(severity)                                             \
  ::clientele::log_internal::LogMessage(                          \
      __FILE__, __LINE__, ::clientele::log_internal::k##severity) \
      .stream()

#endif  // CLIENTELE_COMMON_LOG_H_
