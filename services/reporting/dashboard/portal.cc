#include "services/reporting/dashboard/portal.h"

#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/proto_time.h"
#include "common/roles.h"
#include "common/status_macros.h"
#include "services/reporting/dashboard/portal_record.h"

namespace clientele::reporting::dashboard {
namespace {

// The role the form needs: links expose an account to whoever holds them,
// so they are a manager's decision, like the account itself.
constexpr auth::v1::Role kCreateRole = auth::v1::ROLE_MANAGER;
constexpr absl::string_view kCreateMethod = "dashboard: create portal link";

constexpr absl::string_view kNotValid = "This link is not valid.";
constexpr absl::string_view kExpired =
    "This link has expired, ask your account manager for a new one.";
constexpr absl::string_view kMerged =
    "This link is no longer in use, ask your account manager for a new one.";
constexpr absl::string_view kBusy =
    "The page cannot be shown right now; try again in a moment.";

absl::StatusOr<int> ParseDays(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return kDefaultPortalLinkDays;
  int days = 0;
  if (text.size() > 3 || !absl::SimpleAtoi(text, &days) || days < 1 ||
      days > kMaxPortalLinkDays) {
    return absl::InvalidArgumentError(absl::StrCat(
        "days: a whole number of days from 1 to ", kMaxPortalLinkDays));
  }
  return days;
}

PortalAnswer Answer(int status, absl::string_view message) {
  return {status, PortalMessageDocument(message)};
}

}  // namespace

PortalLinkAccess PortalLinkAccessOf(const PortalTokens* tokens,
                                    const Principal& principal) {
  if (tokens == nullptr) return PortalLinkAccess::kNotConfigured;
  return CheckRole(kCreateMethod, principal.role, kCreateRole).ok()
             ? PortalLinkAccess::kAllowed
             : PortalLinkAccess::kNotAllowed;
}

absl::StatusOr<IssuedPortalLink> CreatePortalLink(sql::Database& database,
                                                  const PortalTokens& tokens,
                                                  const Principal& principal,
                                                  const std::string& account_id,
                                                  absl::string_view days,
                                                  absl::Time now) {
  if (!CheckRole(kCreateMethod, principal.role, kCreateRole).ok()) {
    return absl::PermissionDeniedError(
        "Only managers and admins can create client portal links.");
  }
  ASSIGN_OR_RETURN(const int valid_days, ParseDays(days));
  std::optional<PortalAccount> account;
  RETURN_IF_ERROR(database.Read([&](sql::Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(account,
                     PortalAccountOf(txn, principal.tenant, account_id));
    return absl::OkStatus();
  }));
  switch (account->state) {
    case PortalAccountState::kGone:
      return absl::NotFoundError("No such account.");
    case PortalAccountState::kMerged:
      return absl::FailedPreconditionError(
          absl::StrCat("This account was merged into ", account->merged_into,
                       "; create the link for that account."));
    case PortalAccountState::kLive:
      break;
  }
  // Whole seconds: the token carries Unix seconds.
  const absl::Time expire_time = absl::FromUnixSeconds(
      absl::ToUnixSeconds(now + absl::Hours(24) * valid_days));
  ASSIGN_OR_RETURN(std::string token,
                   tokens.Issue({principal.tenant, account_id, expire_time}));
  return IssuedPortalLink{std::move(token), expire_time};
}

PortalAnswer AnswerPortal(sql::Database& database, const PortalTokens* tokens,
                          absl::string_view token, absl::Time now) {
  if (tokens == nullptr) return Answer(404, kNotValid);
  const absl::StatusOr<PortalGrant> grant = tokens->Verify(token, now);
  if (absl::IsFailedPrecondition(grant.status())) return Answer(410, kExpired);
  if (!grant.ok()) return Answer(404, kNotValid);

  const int64_t now_us = ToMicros(now);
  std::optional<PortalAccount> account;
  std::optional<PortalRecord> record;
  const absl::Status read =
      database.Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(
            account, PortalAccountOf(txn, grant->tenant, grant->account_id));
        if (account->state != PortalAccountState::kLive) {
          return absl::OkStatus();
        }
        ASSIGN_OR_RETURN(record, LoadPortalRecord(txn, grant->tenant,
                                                  grant->account_id, now_us));
        return absl::OkStatus();
      });
  if (!read.ok()) {
    LOG(ERROR) << "client portal: " << read;
    return Answer(503, kBusy);
  }
  switch (account->state) {
    case PortalAccountState::kGone:
      return Answer(404, kNotValid);
    case PortalAccountState::kMerged:
      return Answer(410, kMerged);
    case PortalAccountState::kLive:
      break;
  }
  return {200, PortalDocument(*record, now_us, ToMicros(grant->expire_time))};
}

}  // namespace clientele::reporting::dashboard
