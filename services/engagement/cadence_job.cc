#include "services/engagement/cadence_job.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "common/caller.h"
#include "common/log.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/time_range.h"
#include "common/validation.h"
#include "services/engagement/cadence_rules.h"
#include "services/engagement/cadence_schedule.h"
#include "services/engagement/keep_in_touch_state.h"
#include "services/engagement/policy_manager.h"

namespace clientele::engagement {
namespace {

constexpr int kTenantPage = 100;
constexpr int kCadencePage = 1000;

Caller JobCaller(const std::string& tenant) {
  Caller caller;
  caller.tenant = tenant;
  caller.actor = CadenceJob::kActor;
  return caller;
}

bool IsSurvey(const v1::Cadence& cadence) {
  return cadence.kind() == v1::CADENCE_KIND_RELATIONSHIP_SURVEY;
}

// Records `touch` of `cadence` for `account_id` ("" for a segment
// newsletter) and makes its follow-up, in `txn`. False when the touch was
// made before (nothing done).
absl::StatusOr<bool> MakeTouch(sql::Transaction& txn, CadenceStore& cadences,
                               FollowUpManager& follow_ups,
                               const Caller& caller, const v1::Cadence& cadence,
                               const std::string& account_id,
                               const events::v1::AccountSnapshot& account,
                               const DueTouch& touch) {
  v1::FollowUp follow_up = CadenceFollowUp(cadence, account_id, account, touch);
  if (!IsValidTimestamp(follow_up.due_time())) {
    return absl::InternalError(
        absl::StrCat(cadence.name(), " computed a due time out of range for ",
                     touch.occurrence));
  }
  CadenceTouch row;
  row.cadence_id = IdOf(cadence.name());
  row.account_id = account_id;
  row.occurrence = touch.occurrence;
  row.kind = cadence.kind();
  row.follow_up_id =
      CadenceFollowUpId(row.cadence_id, account_id, touch.occurrence);
  row.due = touch.due;
  const absl::Status recorded = cadences.InsertTouch(txn, caller.tenant, row);
  if (absl::IsAlreadyExists(recorded)) {
    return false;
  }
  RETURN_IF_ERROR(recorded);
  return follow_ups.InsertByRule(txn, caller, row.follow_up_id,
                                 std::move(follow_up));
}

}  // namespace

// A tenant's active cadences, sorted for the pass.
struct CadenceJob::TenantCadences {
  v1::KeepInTouch limits;
  std::vector<v1::Cadence> newsletters;  // NEWSLETTER with no account
  std::vector<v1::Cadence> wide;         // other kinds with no account
  absl::flat_hash_map<std::string, std::vector<v1::Cadence>> own;
};

void CadenceJob::Start(absl::Duration period) {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this, period] { Run(period); });
}

void CadenceJob::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool CadenceJob::stopping() {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

void CadenceJob::Run(absl::Duration period) {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      const auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&stopping), period);
      if (stopping_) {
        return;
      }
    }
    absl::StatusOr<int> made = RunOnce();
    if (!made.ok()) {
      LOG(WARNING) << "cadence job failed, retrying next period: "
                   << made.status();
    }
  }
}

absl::StatusOr<int> CadenceJob::RunOnce() {
  const absl::Time now = deps_.clock->Now();
  int total = 0;
  std::string after;
  for (;;) {
    std::vector<std::string> tenants;
    RETURN_IF_ERROR(
        deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
          ASSIGN_OR_RETURN(tenants,
                           cadences_->ListTenants(txn, after, kTenantPage));
          return absl::OkStatus();
        }));
    for (const std::string& tenant : tenants) {
      if (stopping()) {
        return total;
      }
      ASSIGN_OR_RETURN(int made, RunTenant(tenant, now));
      total += made;
    }
    if (static_cast<int>(tenants.size()) < kTenantPage) {
      return total;
    }
    after = tenants.back();
  }
}

absl::StatusOr<int> CadenceJob::RunTenant(const std::string& tenant,
                                          absl::Time now) {
  TenantCadences cadences;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(v1::ScoringPolicy policy,
                         EffectivePolicy(txn, *deps_.scores, tenant));
        cadences.limits = policy.keep_in_touch();
        std::optional<CadenceCursor> cursor;
        for (;;) {
          ASSIGN_OR_RETURN(std::vector<v1::Cadence> page,
                           cadences_->List(txn, tenant, CadenceFilter(), cursor,
                                           kCadencePage));
          for (v1::Cadence& cadence : page) {
            cursor = CadenceCursor{TimestampMicros(cadence.create_time()),
                                   IdOf(cadence.name())};
            if (cadence.paused()) {
              continue;
            }
            if (!cadence.account().empty()) {
              cadences.own[IdOf(cadence.account())].push_back(
                  std::move(cadence));
            } else if (cadence.kind() == v1::CADENCE_KIND_NEWSLETTER) {
              cadences.newsletters.push_back(std::move(cadence));
            } else {
              cadences.wide.push_back(std::move(cadence));
            }
          }
          if (static_cast<int>(page.size()) < kCadencePage) {
            return absl::OkStatus();
          }
        }
      }));

  int total = 0;
  for (const v1::Cadence& newsletter : cadences.newsletters) {
    ASSIGN_OR_RETURN(int made, RunSegmentNewsletter(tenant, newsletter, now));
    total += made;
  }
  if (!cadences.wide.empty()) {
    // Every account may be covered: walk them all, page by page.
    std::string after;
    bool more = true;
    while (more && !stopping()) {
      ASSIGN_OR_RETURN(int made,
                       RunAccounts(tenant, cadences, {}, &after, &more, now));
      total += made;
    }
    return total;
  }
  // Only accounts with cadences of their own.
  std::vector<std::string> ids;
  ids.reserve(cadences.own.size());
  for (const auto& [id, unused] : cadences.own) {
    ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  for (auto from = ids.begin(); from != ids.end() && !stopping();) {
    const auto to = from + std::min<std::ptrdiff_t>(ids.end() - from,
                                                    kAccountsPerTransaction);
    const std::vector<std::string> page(from, to);
    from = to;
    ASSIGN_OR_RETURN(
        int made, RunAccounts(tenant, cadences, page, nullptr, nullptr, now));
    total += made;
  }
  return total;
}

absl::StatusOr<int> CadenceJob::RunSegmentNewsletter(const std::string& tenant,
                                                     const v1::Cadence& cadence,
                                                     absl::Time now) {
  const Caller caller = JobCaller(tenant);
  int made = 0;
  RETURN_IF_ERROR(
      deps_.database->Write([&](sql::Transaction& txn) -> absl::Status {
        made = 0;
        CadenceHistory history;
        ASSIGN_OR_RETURN(history.last_touch,
                         cadences_->LastTouch(txn, tenant, IdOf(cadence.name()),
                                              /*account_id=*/"", now));
        const events::v1::AccountSnapshot no_account;
        for (const DueTouch& touch :
             DueTouches(cadence, no_account, history, now)) {
          ASSIGN_OR_RETURN(bool inserted,
                           MakeTouch(txn, *cadences_, *follow_ups_, caller,
                                     cadence, "", no_account, touch));
          made += inserted ? 1 : 0;
        }
        return absl::OkStatus();
      }));
  return made;
}

absl::StatusOr<int> CadenceJob::RunAccounts(const std::string& tenant,
                                            const TenantCadences& cadences,
                                            const std::vector<std::string>& ids,
                                            std::string* after, bool* more,
                                            absl::Time now) {
  const Caller caller = JobCaller(tenant);
  int made = 0;
  std::vector<std::string> touched;
  RETURN_IF_ERROR(deps_.database->Write([&](sql::Transaction& txn)
                                            -> absl::Status {
    made = 0;
    touched.clear();
    std::vector<ProjectedAccount> accounts;
    if (after != nullptr) {
      ASSIGN_OR_RETURN(accounts,
                       deps_.projection->ListActive(txn, tenant, *after,
                                                    kAccountsPerTransaction));
      *more = static_cast<int>(accounts.size()) == kAccountsPerTransaction;
    } else {
      for (const std::string& id : ids) {
        ASSIGN_OR_RETURN(std::optional<ProjectedAccount> account,
                         deps_.projection->Find(txn, tenant, id));
        // Merged accounts' cadences moved to the survivor; gone ones went.
        if (account.has_value() && account->state == ProjectedState::kActive &&
            !account->snapshot.name().empty()) {
          accounts.push_back(*std::move(account));
        }
      }
    }
    for (const ProjectedAccount& account : accounts) {
      if (account.snapshot.lifecycle_stage() ==
          type::v1::LIFECYCLE_STAGE_CHURNED) {
        continue;
      }
      std::vector<const v1::Cadence*> candidates;
      for (const v1::Cadence& cadence : cadences.wide) {
        candidates.push_back(&cadence);
      }
      if (auto it = cadences.own.find(account.id); it != cadences.own.end()) {
        for (const v1::Cadence& cadence : it->second) {
          candidates.push_back(&cadence);
        }
      }
      if (candidates.empty()) {
        continue;
      }
      ASSIGN_OR_RETURN(type::v1::RelationshipMode mode,
                       LoadCadenceMode(txn, deps_, tenant, account));
      CadenceHistory history;
      history.mode = mode;
      bool history_loaded = false;
      bool touched_account = false;
      for (const v1::Cadence* cadence : candidates) {
        if (!CadenceCovers(*cadence, account.id, account.snapshot, mode)) {
          continue;
        }
        if (IsSurvey(*cadence) && !history_loaded) {
          ASSIGN_OR_RETURN(
              history, LoadCadenceHistory(txn, deps_, *cadences_, tenant,
                                          account, mode, cadences.limits, now));
          history_loaded = true;
        }
        CadenceHistory for_cadence = history;
        if (cadence->kind() == v1::CADENCE_KIND_NEWSLETTER) {
          ASSIGN_OR_RETURN(
              for_cadence.last_touch,
              cadences_->LastTouch(txn, tenant, IdOf(cadence->name()),
                                   account.id, now));
        }
        for (const DueTouch& touch :
             DueTouches(*cadence, account.snapshot, for_cadence, now)) {
          if (IsSurvey(*cadence) && SurveyFatigued(history, cadences.limits)) {
            break;  // not recorded: it comes when the window allows
          }
          ASSIGN_OR_RETURN(
              bool inserted,
              MakeTouch(txn, *cadences_, *follow_ups_, caller, *cadence,
                        account.id, account.snapshot, touch));
          if (!inserted) {
            continue;
          }
          ++made;
          touched_account = true;
          if (IsSurvey(*cadence)) {
            // The next survey cadence in this pass sees this one.
            ++history.surveys_in_window;
            history.last_survey_touch =
                std::max(history.last_survey_touch, touch.due);
            history.last_purchase_surveyed |=
                touch.occurrence ==
                PurchaseOccurrence(history.last_purchase_id);
          }
        }
      }
      if (touched_account) {
        // What next best actions read about the account changed.
        RETURN_IF_ERROR(deps_.projection->Touch(txn, tenant, account.id));
        touched.push_back(account.id);
      }
    }
    if (after != nullptr && !accounts.empty()) {
      *after = accounts.back().id;
    }
    if (!touched.empty()) {
      txn.AfterCommit([cache = cache_, tenant, ids = touched] {
        cache->Invalidate(tenant, ids);
      });
    }
    return absl::OkStatus();
  }));
  return made;
}

}  // namespace clientele::engagement
