#include "common/log.h"

#include <cstdio>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace clientele {
namespace {

absl::Mutex sink_mutex;
LogSink* sink ABSL_GUARDED_BY(sink_mutex) = nullptr;

const char* SeverityName(LogSeverity severity) {
  switch (severity) {
    case LogSeverity::kInfo:
      return "INFO";
    case LogSeverity::kWarning:
      return "WARNING";
    case LogSeverity::kError:
      return "ERROR";
  }
  return "INFO";
}

void WriteLine(const std::string& line) {
  absl::MutexLock lock(&sink_mutex);
  if (sink != nullptr) {
    sink->Write(line);
    return;
  }
  fwrite(line.data(), 1, line.size(), stderr);
  fputc('\n', stderr);
  fflush(stderr);
}

}  // namespace

void SetLogSinkForTest(LogSink* new_sink) {
  absl::MutexLock lock(&sink_mutex);
  sink = new_sink;
}

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

LogField LogField::String(absl::string_view key, absl::string_view value) {
  return LogField{std::string(key),
                  absl::StrCat("\"", JsonEscape(value), "\"")};
}

LogField LogField::Raw(absl::string_view key, std::string json_literal) {
  return LogField{std::string(key), std::move(json_literal)};
}

void LogFields(LogSeverity severity, const std::vector<LogField>& fields) {
  std::string line =
      absl::StrCat("{\"ts\":\"",
                   absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(),
                                    absl::UTCTimeZone()),
                   "\",\"severity\":\"", SeverityName(severity), "\"");
  for (const LogField& field : fields) {
    absl::StrAppend(&line, ",\"", JsonEscape(field.key),
                    "\":", field.json_value);
  }
  line += "}";
  WriteLine(line);
}

namespace log_internal {

LogMessage::~LogMessage() {
  absl::string_view file(file_);
  size_t slash = file.rfind('/');
  if (slash != absl::string_view::npos) file.remove_prefix(slash + 1);
  LogFields(severity_, {LogField::String("file", file),
                        LogField::Raw("line", absl::StrCat(line_)),
                        LogField::String("msg", stream_.str())});
}

}  // namespace log_internal
}  // namespace clientele
