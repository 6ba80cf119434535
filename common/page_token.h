// Opaque, tamper-evident page tokens (AIP-158). A token carries the sort key
// of the last item of a page and is bound to the list's filter: it is only
// valid with the same filter (and tenant) it was issued for.
//
// Layout before base64url: a version byte, 8 bytes of the filter's SHA-256,
// the key parts (each a varint length and its bytes), then 8 bytes of the
// SHA-256 of everything before them. The checksum makes garbage and
// truncated tokens detectable; it is not a secret MAC, and needs not be: a
// forged token only moves the caller within rows it may read anyway.
#ifndef CLIENTELE_COMMON_PAGE_TOKEN_H_
#define CLIENTELE_COMMON_PAGE_TOKEN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace clientele {

// The `filter` (see EncodePageToken) of list `list` ("ListDeals") selected
// by `parts`: the tenant, then every filter field, each spelled the same way
// every time. Parts are length-prefixed, so that no two selections make the
// same string.
std::string PageTokenFilter(absl::string_view list,
                            absl::Span<const std::string> parts);

// A token for the page after the item whose sort key is `key`. `filter` is a
// canonical string of everything that selects the list (tenant, method,
// filter fields), built the same way when the token comes back.
std::string EncodePageToken(absl::string_view filter,
                            absl::Span<const std::string> key);

// The key carried by `token`. INVALID_ARGUMENT naming `field` when the token
// is not one of ours, was altered or truncated, or was issued for another
// filter.
absl::StatusOr<std::vector<std::string>> DecodePageToken(
    absl::string_view token, absl::string_view filter,
    absl::string_view field = "page_token");

// Convenience for the common case of a single integer key (a sequence
// number). An empty token decodes to `if_empty`.
std::string EncodeIntPageToken(absl::string_view filter, int64_t key);
absl::StatusOr<int64_t> DecodeIntPageToken(
    absl::string_view token, absl::string_view filter, int64_t if_empty,
    absl::string_view field = "page_token");

// A key part issued as an integer (of a key decoded by DecodePageToken).
// INVALID_ARGUMENT naming `field`, "not a token this list issued", when it
// is not one.
absl::StatusOr<int64_t> PageTokenInt(absl::string_view part,
                                     absl::string_view field = "page_token");

namespace page_token_internal {
absl::StatusOr<std::optional<std::pair<int64_t, std::string>>> DecodeIntIdKey(
    absl::string_view token, absl::string_view filter, absl::string_view field);
}  // namespace page_token_internal

// A token for the key of most keyset-paged lists: an integer (a time, a
// day) then an id. Decoded as a store's `Cursor`, an aggregate of the two
// ({create_us, id}); an empty token decodes to nullopt. INVALID_ARGUMENT
// naming `field` as DecodePageToken, and as PageTokenInt when the key is
// not such a pair.
std::string EncodeIntIdPageToken(absl::string_view filter, int64_t value,
                                 absl::string_view id);
template <typename Cursor>
absl::StatusOr<std::optional<Cursor>> DecodeIntIdPageToken(
    absl::string_view token, absl::string_view filter,
    absl::string_view field = "page_token") {
  absl::StatusOr<std::optional<std::pair<int64_t, std::string>>> key =
      page_token_internal::DecodeIntIdKey(token, filter, field);
  if (!key.ok()) return key.status();
  if (!key->has_value()) return std::nullopt;
  return Cursor{(*key)->first, std::move((*key)->second)};
}

}  // namespace clientele

#endif  // CLIENTELE_COMMON_PAGE_TOKEN_H_
