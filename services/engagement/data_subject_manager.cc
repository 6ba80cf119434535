#include "services/engagement/data_subject_manager.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/page_token.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/engagement/interaction_rules.h"

namespace clientele::engagement {

absl::StatusOr<v1::ExportDataSubjectResponse> DataSubjectManager::Export(
    const Caller& caller, const v1::ExportDataSubjectRequest& request) {
  const bool is_account = absl::StartsWith(request.subject(), "accounts/");
  ASSIGN_OR_RETURN(
      std::string id,
      ParseResourceName(request.subject(), is_account ? "accounts" : "contacts",
                        "subject"));
  ASSIGN_OR_RETURN(int page_size,
                   ResolvePageSize(request.page_size(), 1000, 10000));
  const std::string filter =
      absl::StrCat(caller.tenant, "|ExportDataSubject|", request.subject());
  std::vector<std::string> cursor;
  if (!request.page_token().empty()) {
    ASSIGN_OR_RETURN(cursor, DecodePageToken(request.page_token(), filter));
  }
  const bool first_page = cursor.empty();
  v1::ExportDataSubjectResponse response;
  SetTimestamp(deps_.clock->Now(), response.mutable_export_time());
  std::string account_id;
  RETURN_IF_ERROR(deps_.database->Read([&](sql::Transaction& txn)
                                           -> absl::Status {
    std::vector<v1::Interaction> page;
    if (is_account) {
      ASSIGN_OR_RETURN(
          ProjectedAccount account,
          deps_.projection->ResolveOrNotFound(txn, caller.tenant, id));
      account_id = account.id;
      std::optional<TimelineCursor> after;
      if (!first_page) {
        ASSIGN_OR_RETURN(after, TimelineCursor::FromKey(
                                    cursor, "not a token of this export"));
      }
      ASSIGN_OR_RETURN(page, deps_.interactions->List(
                                 txn, caller.tenant, account.id,
                                 InteractionFilter(), after, page_size + 1));
      if (first_page) {
        ASSIGN_OR_RETURN(
            std::vector<v1::FollowUp> follow_ups,
            deps_.follow_ups->ListByAccount(txn, caller.tenant, account.id));
        for (v1::FollowUp& f : follow_ups) {
          *response.add_follow_ups() = std::move(f);
        }
        ASSIGN_OR_RETURN(
            std::vector<v1::ScoreChange> changes,
            deps_.scores->ListChanges(
                txn, caller.tenant, account.id, absl::InfinitePast(),
                absl::InfiniteFuture(), std::nullopt, 10000));
        for (v1::ScoreChange& c : changes) {
          *response.add_score_changes() = std::move(c);
        }
        for (AccountDataPart* part : parts_) {
          RETURN_IF_ERROR(
              part->ExportAccount(txn, caller.tenant, account.id, &response));
        }
      }
    } else {
      if (!first_page && cursor.size() != 1) {
        return InvalidFieldError("page_token", "not a token of this export");
      }
      ASSIGN_OR_RETURN(page, deps_.interactions->ListByContact(
                                 txn, caller.tenant, id,
                                 first_page ? "" : cursor[0], page_size + 1));
      if (first_page) {
        ASSIGN_OR_RETURN(
            std::vector<v1::FollowUp> follow_ups,
            deps_.follow_ups->ListByContact(txn, caller.tenant, id));
        for (v1::FollowUp& f : follow_ups) {
          *response.add_follow_ups() = std::move(f);
        }
        for (AccountDataPart* part : parts_) {
          RETURN_IF_ERROR(
              part->ExportContact(txn, caller.tenant, id, &response));
        }
      }
    }
    const bool more = static_cast<int>(page.size()) > page_size;
    if (more) page.pop_back();
    for (v1::Interaction& interaction : page) {
      *response.add_interactions() = std::move(interaction);
    }
    if (more) {
      const v1::Interaction& last =
          response.interactions(response.interactions_size() - 1);
      response.set_next_page_token(EncodePageToken(
          filter, is_account ? TimelineCursor::KeyOf(last)
                             : std::vector<std::string>{IdOf(last.name())}));
    }
    return absl::OkStatus();
  }));
  if (is_account && first_page) {
    ASSIGN_OR_RETURN(ScoreManager::Computed computed,
                     scores_->ComputeNow(caller.tenant, account_id));
    *response.mutable_relationship_score() = *computed.score;
  }
  return response;
}

}  // namespace clientele::engagement
