// A fresh directory for one test's files, removed with everything in it when
// the TempDir goes away.
#ifndef CLIENTELE_COMMON_TESTING_TEMP_DIR_H_
#define CLIENTELE_COMMON_TESTING_TEMP_DIR_H_

#include <string>

#include "absl/strings/string_view.h"

namespace clientele::testing {

class TempDir {
 public:
  // Creates a new directory under $TMPDIR (or /tmp when unset). A test cannot
  // go on without it, so failing to create it aborts the process with a
  // message.
  TempDir();
  // Removes the directory recursively; errors are ignored.
  ~TempDir();

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Absolute path of the directory, without a trailing slash.
  const std::string& path() const { return path_; }
  // `path()/name`.
  std::string File(absl::string_view name) const;

 private:
  std::string path_;
};

}  // namespace clientele::testing

#endif  // CLIENTELE_COMMON_TESTING_TEMP_DIR_H_
