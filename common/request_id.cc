#include "common/request_id.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace clientele {

absl::Status ValidateRequestId(absl::string_view request_id,
                               absl::string_view field) {
  if (request_id.size() > static_cast<size_t>(kMaxRequestIdLength)) {
    return InvalidFieldError(
        field, absl::StrCat("at most ", kMaxRequestIdLength, " characters"));
  }
  const bool printable =
      std::all_of(request_id.begin(), request_id.end(), [](char c) {
        return absl::ascii_isgraph(static_cast<unsigned char>(c));
      });
  if (!printable) {
    return InvalidFieldError(field,
                             "only printable ASCII without spaces (a UUID)");
  }
  return absl::OkStatus();
}

}  // namespace clientele
