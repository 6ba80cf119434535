// How ticketing finds a form's requester in contacts: the one RPC ticketing
// makes to a peer (contacts' FindOrCreateContact), behind an interface so the
// intake can be tested without contacts (contacts_directory_for_test.h).
#ifndef CLIENTELE_SERVICES_TICKETING_CONTACTS_DIRECTORY_H_
#define CLIENTELE_SERVICES_TICKETING_CONTACTS_DIRECTORY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/contacts/v1/contacts_service.grpc.pb.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "common/caller.h"
#include "common/clock.h"
#include "common/peer_channel.h"

namespace clientele::ticketing {

// The requester contacts found or created for an email.
struct FoundRequester {
  // Ids without their "contacts/" / "accounts/" prefix.
  std::string contact_id;
  std::string account_id;
  // Whether contacts created the contact (and its account) for this call.
  bool created = false;
  // The account's tier and account manager as contacts answered them.
  type::v1::AccountTier tier = type::v1::ACCOUNT_TIER_UNSPECIFIED;
  std::string account_manager;
};

class ContactsDirectory {
 public:
  virtual ~ContactsDirectory() = default;

  // Finds the contact whose normalized email matches `email`, or creates an
  // individual account and its contact named `display_name`, on behalf of
  // `caller` (its credentials and remaining deadline travel with the call).
  // `request_id` makes the create idempotent: a retry, by this client or by
  // the intake, returns the first answer and creates nothing.
  // UNAVAILABLE / DEADLINE_EXCEEDED when contacts is down or slow (intake then
  // keeps the ticket requester_pending); other codes as contacts answered
  // (INVALID_ARGUMENT for a bad email or name, UNAUTHENTICATED,
  // PERMISSION_DENIED).
  virtual absl::StatusOr<FoundRequester> FindOrCreate(
      const Caller& caller, absl::string_view email,
      absl::string_view display_name, absl::string_view request_id) = 0;
};

// ContactsDirectory over gRPC: contacts' FindOrCreateContact through
// common/peer_channel.h, on the caller's behalf. Thread-safe; one per
// process, sharing contacts' channel for its life.
class GrpcContactsDirectory : public ContactsDirectory {
 public:
  struct Options {
    // Upper bound of one call, retries included (--contacts_timeout); the
    // caller's remaining deadline can only shorten it.
    absl::Duration timeout = absl::Seconds(2);
  };

  // `channel` is contacts' channel, from MakePeerChannel with
  // RetrySafeMethods() among its retry-safe methods. `clock` (not owned,
  // outlives this) must be the system clock gRPC measures deadlines with:
  // RealClock in production.
  GrpcContactsDirectory(std::shared_ptr<grpc::Channel> channel, Clock* clock,
                        Options options);

  // As ContactsDirectory says. INTERNAL when contacts' answer names no
  // contact or account.
  absl::StatusOr<FoundRequester> FindOrCreate(
      const Caller& caller, absl::string_view email,
      absl::string_view display_name, absl::string_view request_id) override;

  // The methods of contacts this client calls that are safe to retry:
  // FindOrCreateContact, which carries a request id (and finds rather than
  // duplicates a contact made by an earlier attempt even without one).
  static std::vector<PeerMethod> RetrySafeMethods();

 private:
  std::unique_ptr<contacts::v1::ContactsService::Stub> stub_;
  Clock* const clock_;
  const Options options_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_CONTACTS_DIRECTORY_H_
