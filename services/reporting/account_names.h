// What reporting fetches live from contacts: the display names of the
// accounts a dashboard page shows. Events carry no names, and reporting's
// read model keeps none (a name is personal data that contacts alone holds
// and erases), so the dashboard asks contacts' BatchGetAccounts on behalf of
// the signed-in user at each page render (common/peer_channel.h: their
// credentials forwarded, a deadline, retries of this read in the channel's
// service config, one channel for the process's life). Behind an interface
// so the dashboard can be tested without contacts
// (account_names_for_test.h).
#ifndef CLIENTELE_SERVICES_REPORTING_ACCOUNT_NAMES_H_
#define CLIENTELE_SERVICES_REPORTING_ACCOUNT_NAMES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/contacts/v1/contacts_service.grpc.pb.h"
#include "common/caller.h"
#include "common/clock.h"
#include "common/peer_channel.h"

namespace clientele::reporting {

// Account id (no "accounts/" prefix) -> its display name.
using AccountNameMap = absl::flat_hash_map<std::string, std::string>;

class AccountNames {
 public:
  virtual ~AccountNames() = default;

  // The display names of `account_ids` (ids without "accounts/"; duplicates
  // allowed), asked of contacts on behalf of `caller`. An id contacts does
  // not return as itself is left out of the map: deleted, erased, another
  // tenant's, or merged away (contacts answers the survivor, whose name
  // would mislabel the merged account). Errors: DEADLINE_EXCEEDED when
  // contacts did not answer in time or the caller's budget was already
  // spent, UNAVAILABLE when it could not be reached (after the retries),
  // else contacts' own code (UNAUTHENTICATED, PERMISSION_DENIED, ...).
  virtual absl::StatusOr<AccountNameMap> Names(
      const Caller& caller, const std::vector<std::string>& account_ids) = 0;
};

// AccountNames over gRPC. Thread-safe; one per process, sharing contacts'
// channel for its life.
class GrpcAccountNames final : public AccountNames {
 public:
  struct Options {
    // Upper bound of one Names, every call and retry included
    // (--contacts_timeout); the caller's remaining deadline, less
    // kPeerAnswerMargin, can only shorten it.
    absl::Duration timeout = absl::Milliseconds(300);
  };

  // Names per BatchGetAccounts call (contacts' limit).
  static constexpr int kMaxNamesPerCall = 100;
  // BatchGetAccounts answers NOT_FOUND for the first missing name of a call:
  // Names asks again without it, at most this many times per Names, and
  // leaves the ids it did not get to out of the map after that.
  static constexpr int kMaxMissingPerNames = 16;

  // `channel` is contacts', from MakePeerChannel with RetrySafeMethods()
  // among its retry-safe methods. `clock` (not owned, outlives this) must be
  // the system clock gRPC measures deadlines with: RealClock in production.
  GrpcAccountNames(std::shared_ptr<grpc::Channel> channel, Clock* clock,
                   Options options);

  // Contacts' channel to `target` ("host:port") with RetrySafeMethods() and
  // the client over it. INVALID_ARGUMENT when no channel can be made.
  static absl::StatusOr<std::unique_ptr<GrpcAccountNames>> Connect(
      absl::string_view target, Clock* clock, Options options);

  // As AccountNames says: distinct ids asked in BatchGetAccounts calls of at
  // most kMaxNamesPerCall names, all within the one deadline. No call for no
  // ids.
  absl::StatusOr<AccountNameMap> Names(
      const Caller& caller,
      const std::vector<std::string>& account_ids) override;

  // The contacts methods this client calls that are safe to retry:
  // BatchGetAccounts, a read.
  static std::vector<PeerMethod> RetrySafeMethods();

 private:
  std::unique_ptr<contacts::v1::ContactsService::Stub> stub_;
  Clock* const clock_;
  const Options options_;
};

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_ACCOUNT_NAMES_H_
