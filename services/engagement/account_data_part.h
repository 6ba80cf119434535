// A part of engagement's data kept per account besides the timeline (deals,
// orders, cadences): it follows the account through contacts' merges and
// erasures, and is exported with it. Each part registers with the
// ProjectionUpdater (merges, erasure) and the DataSubjectManager (export).
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_ACCOUNT_DATA_PART_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_ACCOUNT_DATA_PART_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "clientele/engagement/v1/engagement_service.pb.h"
#include "common/sql/database.h"

namespace clientele::engagement {

class AccountDataPart {
 public:
  virtual ~AccountDataPart() = default;

  // Contacts merged account `from` into `to`: everything of `from` now
  // belongs to `to`. Inside the consumer's transaction.
  virtual absl::Status MoveAccount(sql::Transaction& txn,
                                   absl::string_view tenant,
                                   absl::string_view from,
                                   absl::string_view to) = 0;
  // The account was erased: delete everything of it.
  virtual absl::Status EraseAccount(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    absl::string_view account_id) = 0;
  // The contact was erased: forget it wherever this part names it (the
  // resources stay, without the contact).
  virtual absl::Status EraseContact(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    absl::string_view contact_id) = 0;
  // Adds what this part holds about the account (account subjects) or the
  // contact (contact subjects) to the first page of an export.
  virtual absl::Status ExportAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id,
      v1::ExportDataSubjectResponse* response) = 0;
  virtual absl::Status ExportContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id,
      v1::ExportDataSubjectResponse* response) = 0;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_ACCOUNT_DATA_PART_H_
