// Checks every API request shares (AIP conventions): page sizes, resource
// names, update masks and field masks. Each failure names the request field,
// so the client sees which one to fix.
#ifndef CLIENTELE_COMMON_VALIDATION_H_
#define CLIENTELE_COMMON_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/errors.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace clientele {

// Ids are opaque server-assigned strings of at most this many characters.
inline constexpr int kMaxIdLength = 64;

// The page size to use: `page_size` when 1..max_page_size, `default_size`
// when 0, `max_page_size` when above it (AIP-158: a client asking for more
// gets the most the server gives, and pages on). INVALID_ARGUMENT naming
// `field` when negative.
absl::StatusOr<int> ResolvePageSize(int page_size, int default_size,
                                    int max_page_size,
                                    absl::string_view field = "page_size");

// The id in `name` when it is exactly "<collection>/<id>" with an id of 1-64
// characters of [A-Za-z0-9_-]. INVALID_ARGUMENT naming `field` otherwise
// (empty names say "required").
absl::StatusOr<std::string> ParseResourceName(absl::string_view name,
                                              absl::string_view collection,
                                              absl::string_view field);

// Whether `id` is a well-formed id (see ParseResourceName).
bool IsValidId(absl::string_view id);

// The id of a name the services produced or validated ("accounts/x" -> "x";
// the part after the last '/', the whole name when there is none).
std::string IdOf(absl::string_view name);

// What is wrong with client text, if anything.
enum class TextProblem { kNone, kBadUtf8, kControl };
// kBadUtf8 for malformed UTF-8 (overlongs, surrogates, code points above
// U+10FFFF, stray continuation bytes, truncation); otherwise kControl for a
// NUL or other C0 control except tab (and, when `multiline`, CR and LF), DEL
// or a C1 control: nobody types them, and they render as nothing or garbage.
// Noncharacters (U+FFFE, U+FDD0, ...) pass, as Unicode allows them.
TextProblem FindTextProblem(absl::string_view text, bool multiline = false);
inline bool IsValidText(absl::string_view text, bool multiline = false) {
  return FindTextProblem(text, multiline) == TextProblem::kNone;
}

// Code points in valid UTF-8 `text`: what a person counts as characters
// (limits are stated in them, not in bytes).
int CodePointCount(absl::string_view text);

// How CheckText rewrites valid text before counting it (e.g. NFC).
using TextNormalizer = std::string (*)(absl::string_view);

// Checks a client's free text in place: valid text (IsValidText with
// `multiline`), then replaced by `normalize(*value)` — by default trimmed of
// ASCII white space —, at most `max_chars` code points, and not empty when
// `required`. Adds the first problem to `violations` naming `path` and
// returns false otherwise. A normalizer only sees text of at most 16 bytes
// per allowed character (no normalization shrinks text below a quarter).
bool CheckText(std::string* value, absl::string_view path, int max_chars,
               bool required, bool multiline, FieldViolations* violations,
               TextNormalizer normalize = nullptr);

// ABORTED naming `field` when `given` is set and differs from `current`
// (AIP-154: an empty etag means "whatever the current version is").
absl::Status CheckEtag(absl::string_view given, absl::string_view current,
                       absl::string_view field = "etag");

// The paths of an update mask, checked against what may be updated.
//   `updatable`: paths the client may name (top-level fields and any
//   sub-paths such as "commercial_terms.contract_end_date");
//   `output_only`: fields the client may not set ("name", "etag", ...).
// "*" alone expands to every top-level path in `updatable`. An empty mask,
// an output-only path, an unknown path or "*" mixed with other paths answers
// INVALID_ARGUMENT naming `field`. Duplicate paths are dropped.
absl::StatusOr<std::vector<std::string>> ResolveUpdateMask(
    const google::protobuf::FieldMask& mask,
    absl::Span<const absl::string_view> updatable,
    absl::Span<const absl::string_view> output_only,
    absl::string_view field = "update_mask");

// Copies the fields named by `paths` ("a" or "a.b", as ResolveUpdateMask
// returns them) from `from` onto `to`, which must be of the same type: a
// field unset in `from` becomes unset in `to`. Unknown paths are ignored.
void CopyFieldPaths(const google::protobuf::Message& from,
                    absl::Span<const std::string> paths,
                    google::protobuf::Message* to);

}  // namespace clientele

#endif  // CLIENTELE_COMMON_VALIDATION_H_
