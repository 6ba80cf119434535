#include "common/log.h"

#include <cstdio>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/stubs/logging.h"

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

// The length of the valid UTF-8 sequence at the start of `text` (2 to 4),
// or 0 when it does not start with one. `text` starts with a byte >= 0x80.
size_t Utf8SequenceLength(absl::string_view text) {
  const auto byte = [&text](size_t i) -> int {
    return i < text.size() ? static_cast<unsigned char>(text[i]) : -1;
  };
  const auto continuation = [&byte](size_t i, int low = 0x80, int high = 0xbf) {
    return byte(i) >= low && byte(i) <= high;
  };
  const int lead = byte(0);
  if (lead >= 0xc2 && lead <= 0xdf) return continuation(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    // No overlong forms (E0 80..9F) and no surrogates (ED A0..BF).
    const int low = lead == 0xe0 ? 0xa0 : 0x80;
    const int high = lead == 0xed ? 0x9f : 0xbf;
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    // No overlong forms (F0 80..8F) and nothing above U+10FFFF.
    const int low = lead == 0xf0 ? 0x90 : 0x80;
    const int high = lead == 0xf4 ? 0x8f : 0xbf;
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4
                                                                            : 0;
  }
  return 0;
}

void ProtobufLogHandler(google::protobuf::LogLevel level, const char* filename,
                        int line, const std::string& message) {
  LogSeverity severity = LogSeverity::kError;
  if (level == google::protobuf::LOGLEVEL_INFO) {
    severity = LogSeverity::kInfo;
  } else if (level == google::protobuf::LOGLEVEL_WARNING) {
    severity = LogSeverity::kWarning;
  }
  LogLibraryMessage(LibraryLogLimiter(), "protobuf", severity,
                    level == google::protobuf::LOGLEVEL_FATAL,
                    filename == nullptr ? "" : filename, line, message);
}

}  // namespace

void SetLogSinkForTest(LogSink* new_sink) {
  absl::MutexLock lock(&sink_mutex);
  sink = new_sink;
}

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = text[i];
    if (c >= 0x80) {
      const size_t length = Utf8SequenceLength(text.substr(i));
      if (length == 0) {
        out += "\\ufffd";
      } else {
        out.append(text.data() + i, length);
        i += length - 1;
      }
      continue;
    }
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
  // A log line is stamped with wall time, whatever clock the code it
  // describes runs on.
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

bool LogRateLimiter::Allow(absl::string_view kind, int64_t* suppressed) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mutex_);
  auto it = windows_.find(kind);
  if (it == windows_.end()) {
    if (windows_.size() >= kMaxKinds) {
      *suppressed = 0;
      return true;
    }
    it = windows_.emplace(std::string(kind), Window{now}).first;
  }
  Window& window = it->second;
  if (now - window.start >= absl::Seconds(1)) {
    window.start = now;
    window.written = 0;
  }
  if (window.written >= lines_per_second_) {
    ++window.suppressed;
    return false;
  }
  ++window.written;
  *suppressed = window.suppressed;
  window.suppressed = 0;
  return true;
}

void LogLibraryMessage(LogRateLimiter& limiter, absl::string_view source,
                       LogSeverity severity, bool fatal, absl::string_view file,
                       int line, absl::string_view message) {
  const size_t slash = file.rfind('/');
  if (slash != absl::string_view::npos) file.remove_prefix(slash + 1);
  int64_t suppressed = 0;
  if (!limiter.Allow(absl::StrCat(source, ":", file, ":", line), &suppressed) &&
      !fatal) {
    return;
  }
  // Libraries end some messages with a newline of their own.
  while (!message.empty() && message.back() == '\n') message.remove_suffix(1);
  std::vector<LogField> fields = {
      LogField::String("source", source),
      LogField::String("file", file),
      LogField::Raw("line", absl::StrCat(line)),
      LogField::String("msg", message),
  };
  if (fatal) fields.push_back(LogField::Raw("fatal", "true"));
  if (suppressed > 0) {
    fields.push_back(LogField::Raw("suppressed", absl::StrCat(suppressed)));
  }
  LogFields(severity, fields);
}

LogRateLimiter& LibraryLogLimiter() {
  // Never destroyed: libraries may log while statics are destroyed.
  static LogRateLimiter* const limiter =
      new LogRateLimiter(RealClock::Get(), kLibraryLinesPerSecond);
  return *limiter;
}

void RouteProtobufLogs() {
  google::protobuf::SetLogHandler(&ProtobufLogHandler);
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
