#include "common/validation.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/errors.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "unicode/utf8.h"

namespace clientele {
namespace {

using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;

void CopyPath(const Message& from, const std::vector<absl::string_view>& parts,
              size_t index, Message* to) {
  const FieldDescriptor* field =
      to->GetDescriptor()->FindFieldByName(std::string(parts[index]));
  if (field == nullptr) return;
  const Reflection* from_reflection = from.GetReflection();
  const Reflection* to_reflection = to->GetReflection();
  const bool last = index + 1 == parts.size();
  if (!last) {
    if (field->is_repeated() ||
        field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      return;
    }
    if (!from_reflection->HasField(from, field)) {
      // Clearing a sub-field of an unset message leaves nothing to copy.
      if (!to_reflection->HasField(*to, field)) return;
      Message* sub = to_reflection->MutableMessage(to, field);
      const Message& empty = from_reflection->GetMessage(from, field);
      CopyPath(empty, parts, index + 1, sub);
      return;
    }
    CopyPath(from_reflection->GetMessage(from, field), parts, index + 1,
             to_reflection->MutableMessage(to, field));
    return;
  }
  to_reflection->ClearField(to, field);
  if (field->is_repeated()) {
    const int size = from_reflection->FieldSize(from, field);
    for (int i = 0; i < size; ++i) {
      switch (field->cpp_type()) {
        case FieldDescriptor::CPPTYPE_MESSAGE:
          to_reflection->AddMessage(to, field)->CopyFrom(
              from_reflection->GetRepeatedMessage(from, field, i));
          break;
        case FieldDescriptor::CPPTYPE_STRING:
          to_reflection->AddString(
              to, field, from_reflection->GetRepeatedString(from, field, i));
          break;
        case FieldDescriptor::CPPTYPE_ENUM:
          to_reflection->AddEnumValue(
              to, field, from_reflection->GetRepeatedEnumValue(from, field, i));
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          to_reflection->AddBool(
              to, field, from_reflection->GetRepeatedBool(from, field, i));
          break;
        case FieldDescriptor::CPPTYPE_INT32:
          to_reflection->AddInt32(
              to, field, from_reflection->GetRepeatedInt32(from, field, i));
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          to_reflection->AddInt64(
              to, field, from_reflection->GetRepeatedInt64(from, field, i));
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          to_reflection->AddUInt32(
              to, field, from_reflection->GetRepeatedUInt32(from, field, i));
          break;
        case FieldDescriptor::CPPTYPE_UINT64:
          to_reflection->AddUInt64(
              to, field, from_reflection->GetRepeatedUInt64(from, field, i));
          break;
        case FieldDescriptor::CPPTYPE_DOUBLE:
          to_reflection->AddDouble(
              to, field, from_reflection->GetRepeatedDouble(from, field, i));
          break;
        case FieldDescriptor::CPPTYPE_FLOAT:
          to_reflection->AddFloat(
              to, field, from_reflection->GetRepeatedFloat(from, field, i));
          break;
      }
    }
    return;
  }
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    if (from_reflection->HasField(from, field)) {
      to_reflection->MutableMessage(to, field)->CopyFrom(
          from_reflection->GetMessage(from, field));
    }
    return;
  }
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      to_reflection->SetString(to, field,
                               from_reflection->GetString(from, field));
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      to_reflection->SetEnumValue(to, field,
                                  from_reflection->GetEnumValue(from, field));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      to_reflection->SetBool(to, field, from_reflection->GetBool(from, field));
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      to_reflection->SetInt32(to, field,
                              from_reflection->GetInt32(from, field));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      to_reflection->SetInt64(to, field,
                              from_reflection->GetInt64(from, field));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      to_reflection->SetUInt32(to, field,
                               from_reflection->GetUInt32(from, field));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      to_reflection->SetUInt64(to, field,
                               from_reflection->GetUInt64(from, field));
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      to_reflection->SetDouble(to, field,
                               from_reflection->GetDouble(from, field));
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      to_reflection->SetFloat(to, field,
                              from_reflection->GetFloat(from, field));
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
}

}  // namespace

absl::StatusOr<int> ResolvePageSize(int page_size, int default_size,
                                    int max_page_size,
                                    absl::string_view field) {
  if (page_size < 0) {
    return InvalidFieldError(field, "must not be negative");
  }
  if (page_size == 0) return default_size;
  return std::min(page_size, max_page_size);
}

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > static_cast<size_t>(kMaxIdLength)) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
           c == '_';
  });
}

absl::StatusOr<std::string> ParseResourceName(absl::string_view name,
                                              absl::string_view collection,
                                              absl::string_view field) {
  if (name.empty()) {
    return InvalidFieldError(
        field, absl::StrCat("required: \"", collection, "/{id}\""));
  }
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, collection) || !absl::ConsumePrefix(&id, "/") ||
      !IsValidId(id)) {
    return InvalidFieldError(
        field,
        absl::StrCat("must be \"", collection, "/{id}\" with an id of 1-",
                     kMaxIdLength, " letters, digits, '-' or '_'"));
  }
  return std::string(id);
}

absl::StatusOr<std::vector<std::string>> ResolveUpdateMask(
    const google::protobuf::FieldMask& mask,
    absl::Span<const absl::string_view> updatable,
    absl::Span<const absl::string_view> output_only, absl::string_view field) {
  if (mask.paths_size() == 0) {
    return InvalidFieldError(field, "required: name the fields to update");
  }
  std::vector<std::string> paths;
  if (mask.paths_size() == 1 && mask.paths(0) == "*") {
    for (absl::string_view path : updatable) {
      if (!absl::StrContains(path, '.')) paths.emplace_back(path);
    }
    return paths;
  }
  absl::flat_hash_set<std::string> seen;
  for (const std::string& path : mask.paths()) {
    if (path == "*") {
      return InvalidFieldError(field, "\"*\" must be the only path");
    }
    const bool is_output_only = std::any_of(
        output_only.begin(), output_only.end(), [&](absl::string_view p) {
          return path == p || absl::StartsWith(path, absl::StrCat(p, "."));
        });
    if (is_output_only) {
      return InvalidFieldError(field,
                               absl::StrCat("\"", path, "\" is output only"));
    }
    if (std::find(updatable.begin(), updatable.end(), path) ==
        updatable.end()) {
      // Echo the path only when it is short printable ASCII.
      const bool printable =
          path.size() <= 100 &&
          std::all_of(path.begin(), path.end(), [](char c) {
            return absl::ascii_isprint(static_cast<unsigned char>(c));
          });
      return InvalidFieldError(
          field, printable ? absl::StrCat("unknown or not updatable path \"",
                                          path, "\"")
                           : std::string("unknown or not updatable path"));
    }
    if (seen.insert(path).second) paths.push_back(path);
  }
  return paths;
}

void CopyFieldPaths(const google::protobuf::Message& from,
                    absl::Span<const std::string> paths,
                    google::protobuf::Message* to) {
  if (from.GetDescriptor() != to->GetDescriptor()) return;
  for (const std::string& path : paths) {
    std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
    CopyPath(from, parts, 0, to);
  }
}

std::string IdOf(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name
                                                      : name.substr(slash + 1));
}

TextProblem FindTextProblem(absl::string_view text, bool multiline) {
  if (text.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return TextProblem::kBadUtf8;  // U8_NEXT indexes with int32_t.
  }
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  TextProblem problem = TextProblem::kNone;
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    // ICU's U8_NEXT yields a negative value for overlongs, surrogates,
    // code points above U+10FFFF, stray continuation bytes and truncation.
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return TextProblem::kBadUtf8;
    const bool line_break = multiline && (c == '\n' || c == '\r');
    if ((c < 0x20 && c != '\t' && !line_break) || (c >= 0x7F && c <= 0x9F)) {
      problem = TextProblem::kControl;  // Keep going: bad UTF-8 wins.
    }
  }
  return problem;
}

int CodePointCount(absl::string_view text) {
  return static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool CheckText(std::string* value, absl::string_view path, int max_chars,
               bool required, bool multiline, FieldViolations* violations,
               TextNormalizer normalize) {
  if (!IsValidText(*value, multiline)) {
    violations->Add(path, "must be valid UTF-8 without control characters");
    return false;
  }
  const std::string too_long =
      absl::StrCat("at most ", max_chars, " characters");
  if (normalize == nullptr) {
    *value = std::string(absl::StripAsciiWhitespace(*value));
  } else if (value->size() > static_cast<size_t>(max_chars) * 16) {
    violations->Add(path, too_long);
    return false;
  } else {
    *value = normalize(*value);
  }
  if (CodePointCount(*value) > max_chars) {
    violations->Add(path, too_long);
    return false;
  }
  if (required && value->empty()) {
    violations->Add(path, "required");
    return false;
  }
  return true;
}

absl::Status CheckEtag(absl::string_view given, absl::string_view current,
                       absl::string_view field) {
  if (!given.empty() && given != current) {
    return absl::AbortedError(
        absl::StrCat(field,
                     " is stale: the resource changed since it was read; read "
                     "it again and reapply the change"));
  }
  return absl::OkStatus();
}

}  // namespace clientele
