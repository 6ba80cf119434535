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

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

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

// `text` escaped for use inside a JSON string (no surrounding quotes).
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
