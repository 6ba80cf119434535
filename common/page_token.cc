#include "common/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/auth.h"
#include "common/errors.h"

namespace clientele {
namespace {

constexpr char kVersion = '\x01';
constexpr size_t kHashBytes = 8;
// A key part longer than this is not one we issued.
constexpr uint64_t kMaxPartBytes = 4096;

std::string ShortHash(absl::string_view data) {
  return absl::HexStringToBytes(Sha256Hex(data)).substr(0, kHashBytes);
}

void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

bool ReadVarint(absl::string_view* in, uint64_t* value) {
  *value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in->empty()) return false;
    const auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    *value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

absl::Status BadToken(absl::string_view field, absl::string_view why) {
  return InvalidFieldError(field, why);
}

}  // namespace

std::string PageTokenFilter(absl::string_view list,
                            absl::Span<const std::string> parts) {
  std::string filter = absl::StrCat(list, "|");
  for (const std::string& part : parts) {
    absl::StrAppend(&filter, part.size(), ":", part, "|");
  }
  return filter;
}

std::string EncodePageToken(absl::string_view filter,
                            absl::Span<const std::string> key) {
  std::string raw;
  raw.push_back(kVersion);
  raw += ShortHash(filter);
  for (const std::string& part : key) {
    AppendVarint(part.size(), &raw);
    raw += part;
  }
  raw += ShortHash(raw);
  std::string token;
  absl::WebSafeBase64Escape(raw, &token);
  return token;
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(
    absl::string_view token, absl::string_view filter,
    absl::string_view field) {
  std::string raw;
  if (token.size() > 16384 || !absl::WebSafeBase64Unescape(token, &raw) ||
      raw.size() < 1 + 2 * kHashBytes || raw[0] != kVersion) {
    return BadToken(field, "not a page token issued by this method");
  }
  absl::string_view body(raw.data(), raw.size() - kHashBytes);
  if (ShortHash(body) != absl::string_view(raw).substr(body.size())) {
    return BadToken(field, "not a page token issued by this method");
  }
  if (body.substr(1, kHashBytes) != ShortHash(filter)) {
    return BadToken(field,
                    "the page token was issued for a different filter; "
                    "repeat the first request's filters or start over");
  }
  body.remove_prefix(1 + kHashBytes);
  std::vector<std::string> key;
  while (!body.empty()) {
    uint64_t size = 0;
    if (!ReadVarint(&body, &size) || size > kMaxPartBytes ||
        size > body.size()) {
      return BadToken(field, "not a page token issued by this method");
    }
    key.emplace_back(body.substr(0, size));
    body.remove_prefix(size);
  }
  return key;
}

std::string EncodeIntPageToken(absl::string_view filter, int64_t key) {
  const std::string parts[] = {absl::StrCat(key)};
  return EncodePageToken(filter, parts);
}

absl::StatusOr<int64_t> DecodeIntPageToken(absl::string_view token,
                                           absl::string_view filter,
                                           int64_t if_empty,
                                           absl::string_view field) {
  if (token.empty()) return if_empty;
  auto key = DecodePageToken(token, filter, field);
  if (!key.ok()) return key.status();
  int64_t value = 0;
  if (key->size() != 1 || !absl::SimpleAtoi((*key)[0], &value)) {
    return BadToken(field, "not a page token issued by this method");
  }
  return value;
}

absl::StatusOr<int64_t> PageTokenInt(absl::string_view part,
                                     absl::string_view field) {
  int64_t value = 0;
  if (!absl::SimpleAtoi(part, &value)) {
    return BadToken(field, "not a token this list issued");
  }
  return value;
}

std::string EncodeIntIdPageToken(absl::string_view filter, int64_t value,
                                 absl::string_view id) {
  const std::string parts[] = {absl::StrCat(value), std::string(id)};
  return EncodePageToken(filter, parts);
}

namespace page_token_internal {

absl::StatusOr<std::optional<std::pair<int64_t, std::string>>> DecodeIntIdKey(
    absl::string_view token, absl::string_view filter,
    absl::string_view field) {
  if (token.empty()) return std::nullopt;
  auto key = DecodePageToken(token, filter, field);
  if (!key.ok()) return key.status();
  if (key->size() != 2) return BadToken(field, "not a token this list issued");
  absl::StatusOr<int64_t> value = PageTokenInt((*key)[0], field);
  if (!value.ok()) return value.status();
  return std::make_pair(*value, std::move((*key)[1]));
}

}  // namespace page_token_internal

}  // namespace clientele
