#include "services/engagement/cadence_rules.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/auth.h"
#include "common/proto_time.h"
#include "common/validation.h"

namespace clientele::engagement {
namespace {

constexpr absl::Duration kDay = absl::Hours(24);

// One optional duration of a cadence.
struct DurationRule {
  absl::string_view field;
  bool used = false;  // the cadence's kind (and mode) reads it
  std::optional<absl::Duration> default_value;  // nullopt: required
  absl::Duration min;
  absl::Duration max;
};

std::string Days(absl::Duration d) {
  absl::Duration remainder;  // this Abseil writes it unconditionally
  return absl::StrCat(absl::IDivDuration(d, kDay, &remainder), " days");
}

// Checks `*value` (set when `has`) against `rule`, filling its default.
// An unused value is an error only when the client gave it; the caller
// clears unused values.
void CheckDuration(const DurationRule& rule, absl::string_view kind_name,
                   bool has, google::protobuf::Duration* value, bool given,
                   FieldViolations* violations) {
  const std::string path = absl::StrCat("cadence.", rule.field);
  if (!rule.used) {
    if (has && given && (value->seconds() != 0 || value->nanos() != 0)) {
      violations->Add(path, absl::StrCat("not used by ", kind_name,
                                         " cadences; leave it unset"));
    }
    return;
  }
  if (!has) {
    if (rule.default_value.has_value()) {
      SetDuration(*rule.default_value, value);
    } else {
      violations->Add(path, absl::StrCat("required: ", Days(rule.min), " to ",
                                         Days(rule.max)));
    }
    return;
  }
  if (!IsValidDuration(*value) || ToDuration(*value) < rule.min ||
      ToDuration(*value) > rule.max) {
    violations->Add(
        path, rule.min == absl::ZeroDuration()
                  ? absl::StrCat("must be between 0 and ", Days(rule.max))
                  : absl::StrCat("must be between ", Days(rule.min), " and ",
                                 Days(rule.max)));
  }
}

std::string KindName(v1::CadenceKind kind) {
  switch (kind) {
    case v1::CADENCE_KIND_NEWSLETTER:
      return "NEWSLETTER";
    case v1::CADENCE_KIND_GREETING:
      return "GREETING";
    default:
      return "RELATIONSHIP_SURVEY";
  }
}

std::string MonthName(int month) {
  constexpr absl::string_view kMonths[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return std::string(kMonths[(month - 1) % 12]);
}

}  // namespace

void CheckCadence(v1::Cadence* cadence,
                  absl::FunctionRef<bool(absl::string_view field)> given,
                  FieldViolations* violations) {
  const v1::CadenceKind kind = cadence->kind();
  const bool known_kind =
      v1::CadenceKind_IsValid(kind) && kind != v1::CADENCE_KIND_UNSPECIFIED;
  if (!known_kind) {
    violations->Add("cadence.kind", kind == v1::CADENCE_KIND_UNSPECIFIED
                                        ? "required: NEWSLETTER, GREETING or "
                                          "RELATIONSHIP_SURVEY"
                                        : absl::StrCat("unknown value ", kind));
  }
  if (!cadence->account().empty() &&
      !ParseResourceName(cadence->account(), "accounts", "cadence.account")
           .ok()) {
    violations->Add("cadence.account", "must be \"accounts/{account}\"");
  }
  if (!type::v1::AccountSegment_IsValid(cadence->segment())) {
    violations->Add("cadence.segment",
                    absl::StrCat("unknown value ", cadence->segment()));
  } else if (!cadence->account().empty() &&
             cadence->segment() != type::v1::ACCOUNT_SEGMENT_UNSPECIFIED) {
    violations->Add("cadence.segment",
                    "must be unset with account: a cadence covers one account "
                    "or a segment");
  }
  const type::v1::RelationshipMode mode = cadence->mode();
  const bool survey = kind == v1::CADENCE_KIND_RELATIONSHIP_SURVEY;
  const bool client = mode == type::v1::RELATIONSHIP_MODE_CLIENT;
  const bool customer = mode == type::v1::RELATIONSHIP_MODE_CUSTOMER;
  if (!type::v1::RelationshipMode_IsValid(mode)) {
    violations->Add("cadence.mode", absl::StrCat("unknown value ", mode));
  } else if (survey && !client && !customer) {
    violations->Add("cadence.mode",
                    "a RELATIONSHIP_SURVEY needs CLIENT (a periodic check-in) "
                    "or CUSTOMER (after a purchase)");
  }

  // Durations depend on the kind (and a survey's mode): checked once those
  // are known to be right.
  if (known_kind && (!survey || client || customer)) {
    const std::string kind_name = KindName(kind);
    // Read before mutable_*() below sets them.
    const bool has_interval = cadence->has_interval();
    const bool has_lead_time = cadence->has_lead_time();
    const bool has_delay = cadence->has_delay_after_purchase();
    const bool newsletter = kind == v1::CADENCE_KIND_NEWSLETTER;
    const DurationRule interval{
        "interval", newsletter || (survey && client),
        newsletter ? std::nullopt
                   : std::optional<absl::Duration>(kDefaultCheckInInterval),
        kMinCadenceInterval, kMaxCadenceInterval};
    CheckDuration(interval, kind_name, has_interval,
                  cadence->mutable_interval(), given("interval"), violations);
    const DurationRule lead_time{"lead_time", kind == v1::CADENCE_KIND_GREETING,
                                 kDefaultGreetingLeadTime, absl::ZeroDuration(),
                                 kMaxGreetingLeadTime};
    CheckDuration(lead_time, kind_name, has_lead_time,
                  cadence->mutable_lead_time(), given("lead_time"), violations);
    const DurationRule delay{"delay_after_purchase", survey && customer,
                             kDefaultSurveyDelay, absl::ZeroDuration(),
                             kMaxSurveyDelay};
    CheckDuration(delay, kind_name, has_delay,
                  cadence->mutable_delay_after_purchase(),
                  given("delay_after_purchase"), violations);
    if (!interval.used && cadence->has_interval()) {
      cadence->clear_interval();
    }
    if (!lead_time.used && cadence->has_lead_time()) {
      cadence->clear_lead_time();
    }
    if (!delay.used && cadence->has_delay_after_purchase()) {
      cadence->clear_delay_after_purchase();
    }
  }

  CheckText(cadence->mutable_assignee(), "cadence.assignee",
            kMaxCadenceAssigneeChars, /*required=*/false, /*multiline=*/false,
            violations);
  if (kind == v1::CADENCE_KIND_NEWSLETTER && cadence->account().empty() &&
      cadence->assignee().empty()) {
    violations->Add("cadence.assignee",
                    "required for a NEWSLETTER with no account: that person "
                    "gets one follow-up per issue");
  }
  CheckText(cadence->mutable_title(), "cadence.title", kMaxCadenceTitleChars,
            /*required=*/false, /*multiline=*/false, violations);
}

v1::FollowUp CadenceFollowUp(const v1::Cadence& cadence,
                             absl::string_view account_id,
                             const events::v1::AccountSnapshot& account,
                             const DueTouch& touch) {
  v1::FollowUp follow_up;
  if (!account_id.empty()) {
    follow_up.set_account(absl::StrCat("accounts/", account_id));
  }
  switch (cadence.kind()) {
    case v1::CADENCE_KIND_NEWSLETTER:
      follow_up.set_kind(v1::FOLLOW_UP_KIND_EMAIL);
      follow_up.set_title("Send the newsletter");
      break;
    case v1::CADENCE_KIND_GREETING:
      follow_up.set_kind(v1::FOLLOW_UP_KIND_GENERAL);
      follow_up.set_title(absl::StrCat("Send a ", OccasionWords(touch.occasion),
                                       " greeting (", touch.day.day(), " ",
                                       MonthName(touch.day.month()), ")"));
      break;
    default:
      follow_up.set_kind(v1::FOLLOW_UP_KIND_SEND_SURVEY);
      follow_up.set_title(
          cadence.mode() == type::v1::RELATIONSHIP_MODE_CLIENT
              ? "Check in: send the relationship survey"
              : "Ask how the purchase went: send the relationship survey");
      break;
  }
  follow_up.set_description(cadence.title());
  if (!cadence.assignee().empty()) {
    follow_up.set_assignee(cadence.assignee());
  } else if (!account.account_manager().empty()) {
    follow_up.set_assignee(account.account_manager());
  } else {
    follow_up.set_assignee(account.owner());
  }
  SetTimestamp(touch.due, follow_up.mutable_due_time());
  follow_up.set_priority(v1::FOLLOW_UP_PRIORITY_NORMAL);
  follow_up.set_rule(v1::FOLLOW_UP_RULE_CADENCE);
  follow_up.set_cadence(cadence.name());
  follow_up.set_source(cadence.name());
  return follow_up;
}

std::string CadenceFollowUpId(absl::string_view cadence_id,
                              absl::string_view account_id,
                              absl::string_view occurrence) {
  // Length-prefixed, so that no two touches share an input.
  const std::string key =
      absl::StrCat(cadence_id.size(), ":", cadence_id, "|", account_id.size(),
                   ":", account_id, "|", occurrence);
  return absl::StrCat("c-", Sha256Hex(key).substr(0, 40));
}

}  // namespace clientele::engagement
