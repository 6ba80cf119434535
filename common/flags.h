// Command-line flags with environment-variable fallbacks, for Kubernetes.
//
// Every flag `--some_flag` can also be set as CLIENTELE_SOME_FLAG. The
// command line wins over the environment, which wins over the default.
#ifndef CLIENTELE_COMMON_FLAGS_H_
#define CLIENTELE_COMMON_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace clientele {

// The environment variable that can set flag `flag_name`.
std::string EnvVarForFlag(absl::string_view flag_name);

// Applies CLIENTELE_* environment variables to the registered flags they
// name. Returns INVALID_ARGUMENT naming the variable when a value does not
// parse. Unknown CLIENTELE_* variables are ignored.
absl::Status ApplyFlagsFromEnv();

// ApplyFlagsFromEnv, then absl::ParseCommandLine. Exits with a message on a
// bad value, like absl::ParseCommandLine does. Returns positional arguments.
std::vector<char*> ParseFlagsWithEnv(int argc, char** argv,
                                     absl::string_view usage);

}  // namespace clientele

#endif  // CLIENTELE_COMMON_FLAGS_H_
