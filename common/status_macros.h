// Helper macros for absl::Status / absl::StatusOr that Debian's Abseil
// (20220623) does not ship. They carry Abseil's spelling so that moving to an
// Abseil with absl/status/status_macros.h is a rename, not a rewrite.
#ifndef CLIENTELE_COMMON_STATUS_MACROS_H_
#define CLIENTELE_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CLIENTELE_STATUS_CONCAT_INNER_(a, b) a##b
#define CLIENTELE_STATUS_CONCAT_(a, b) CLIENTELE_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status) and returns it from the enclosing
// function when it is not OK.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    ::absl::Status clientele_status_ = (expr);         \
    if (ABSL_PREDICT_FALSE(!clientele_status_.ok())) { \
      return clientele_status_;                        \
    }                                                  \
  } while (false)

// `ASSIGN_OR_RETURN(lhs, expr)`: evaluates `expr` (an absl::StatusOr<T>);
// on error returns its status from the enclosing function, otherwise moves
// the value into `lhs`, which may be a declaration (`auto x`).
#define ASSIGN_OR_RETURN(lhs, expr) \
  CLIENTELE_ASSIGN_OR_RETURN_IMPL_( \
      CLIENTELE_STATUS_CONCAT_(clientele_statusor_, __LINE__), lhs, expr)

// `statusor` is a name and `lhs` may be a declaration: parentheses around
// them would not compile.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define CLIENTELE_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                     \
  if (ABSL_PREDICT_FALSE(!statusor.ok())) {                   \
    return std::move(statusor).status();                      \
  }                                                           \
  lhs = *std::move(statusor)
// NOLINTEND(bugprone-macro-parentheses)

#endif  // CLIENTELE_COMMON_STATUS_MACROS_H_
