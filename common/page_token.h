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
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace clientele {

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

}  // namespace clientele

#endif  // CLIENTELE_COMMON_PAGE_TOKEN_H_
