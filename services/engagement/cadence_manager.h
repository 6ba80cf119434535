// Keep-in-touch cadences: create (idempotent by request_id), get, update by
// mask and etag, delete, list with filters and page tokens; and the
// cadences' part of an account's data (merges move an account's own
// cadences to the survivor, erasure deletes them and every touch naming the
// account, exports list the account's own cadences). What a cadence means
// and when it is due: cadence_rules.h, cadence_schedule.h; the follow-ups
// it makes: cadence_job.h.
//
// Every change bumps the projection revision of the accounts the cadence
// covers in the same transaction, and drops their cached scores after the
// commit, so next best actions see it at once (keep_in_touch_state.h): its
// own account, or every active account of the tenant for a segment or
// all-account cadence. Only changes to what scoring reads (mode, paused,
// interval, lead_time, delay_after_purchase, or the cadence's existence)
// do that; a new title or assignee does not.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_MANAGER_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_MANAGER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/engagement/v1/cadence.pb.h"
#include "clientele/engagement/v1/engagement_service.pb.h"
#include "common/caller.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/engagement/account_data_part.h"
#include "services/engagement/cadence_store.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/score_cache.h"

namespace clientele::engagement {

class CadenceManager : public AccountDataPart {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 1000;

  // Uses deps.database, clock, ids and projection. Nothing is owned.
  CadenceManager(const EngagementDeps& deps, CadenceStore* cadences,
                 ScoreCache* cache)
      : deps_(deps), cadences_(cadences), cache_(cache) {}

  // Creates `cadence` (name, etag and times are ignored) after
  // CheckCadence; a merged account is replaced by its survivor.
  // INVALID_ARGUMENT naming "cadence.<field>"; NOT_FOUND naming the account
  // when engagement does not know it (or it is gone). Idempotent by the
  // call's request_id (common/write_pipeline.h).
  absl::StatusOr<v1::Cadence> Create(const Caller& caller, v1::Cadence cadence);

  // The cadence named `name` ("cadences/{id}"). INVALID_ARGUMENT naming
  // "name" when malformed; NOT_FOUND when missing or another tenant's.
  absl::StatusOr<v1::Cadence> Get(const Caller& caller, absl::string_view name);

  // Applies the fields of `cadence` named by `mask` (interval, lead_time,
  // delay_after_purchase, assignee, paused, title, mode; "*" for all) to
  // the stored one (cadence.name says which), then CheckCadence. A change
  // that changes nothing returns the cadence as it is. INVALID_ARGUMENT
  // naming "update_mask" for kind, account, segment, output-only or unknown
  // paths, "cadence.<field>" for bad values; ABORTED when cadence.etag is set
  // and stale; NOT_FOUND when missing.
  absl::StatusOr<v1::Cadence> Update(const Caller& caller,
                                     const v1::Cadence& cadence,
                                     const google::protobuf::FieldMask& mask);

  // Deletes the cadence; the follow-ups it made stay. ABORTED when `etag`
  // is set and stale; NOT_FOUND when missing.
  absl::Status Delete(const Caller& caller, absl::string_view name,
                      absl::string_view etag);

  // One page of cadences matching every filter of `request`, oldest first.
  // `account` lists the cadences covering it (its own, its segment's and
  // the all-account ones; a merged account's survivor's). INVALID_ARGUMENT
  // naming the bad filter or page_token; a page size above 1000 is read as
  // 1000.
  absl::StatusOr<v1::ListCadencesResponse> List(
      const Caller& caller, const v1::ListCadencesRequest& request);

  // AccountDataPart.
  absl::Status MoveAccount(sql::Transaction& txn, absl::string_view tenant,
                           absl::string_view from,
                           absl::string_view to) override;
  absl::Status EraseAccount(sql::Transaction& txn, absl::string_view tenant,
                            absl::string_view account_id) override;
  // Cadences name no contact: nothing to do.
  absl::Status EraseContact(sql::Transaction& txn, absl::string_view tenant,
                            absl::string_view contact_id) override;
  absl::Status ExportAccount(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view account_id,
                             v1::ExportDataSubjectResponse* response) override;
  absl::Status ExportContact(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view contact_id,
                             v1::ExportDataSubjectResponse* response) override;

 private:
  // Bumps the revision of the accounts `cadence` covers, in `txn`, and
  // drops their cached scores after the commit.
  absl::Status TouchCovered(sql::Transaction& txn, absl::string_view tenant,
                            const v1::Cadence& cadence);

  EngagementDeps deps_;
  CadenceStore* const cadences_;
  ScoreCache* const cache_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_MANAGER_H_
