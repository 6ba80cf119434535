#include "services/ticketing/contacts_directory.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace clientele::ticketing {
namespace {

using ::clientele::contacts::v1::ContactsService;

// The id in `name` ("contacts/{id}"), or "" when `name` is not one.
std::string IdIn(absl::string_view name, absl::string_view collection) {
  if (!absl::ConsumePrefix(&name, collection) ||
      !absl::ConsumePrefix(&name, "/") || name.empty() ||
      absl::StrContains(name, '/')) {
    return "";
  }
  return std::string(name);
}

}  // namespace

GrpcContactsDirectory::GrpcContactsDirectory(
    std::shared_ptr<grpc::Channel> channel, Clock* clock, Options options)
    : stub_(ContactsService::NewStub(std::move(channel))),
      clock_(clock),
      options_(options) {}

std::vector<PeerMethod> GrpcContactsDirectory::RetrySafeMethods() {
  return {{ContactsService::service_full_name(), "FindOrCreateContact"}};
}

absl::StatusOr<FoundRequester> GrpcContactsDirectory::FindOrCreate(
    const Caller& caller, absl::string_view email,
    absl::string_view display_name, absl::string_view request_id) {
  contacts::v1::FindOrCreateContactRequest request;
  request.set_email(std::string(email));
  request.set_display_name(std::string(display_name));
  request.set_request_id(std::string(request_id));
  contacts::v1::FindOrCreateContactResponse response;
  absl::Status status =
      CallPeer(caller, *clock_, options_.timeout, *stub_,
               &ContactsService::Stub::FindOrCreateContact, request, &response);
  if (!status.ok()) return status;

  FoundRequester found;
  found.contact_id = IdIn(response.contact().name(), "contacts");
  found.account_id = IdIn(response.account().name(), "accounts");
  if (found.contact_id.empty() || found.account_id.empty()) {
    return absl::InternalError(absl::StrCat(
        "contacts' FindOrCreateContact answered without a contact or account "
        "name (contact \"",
        response.contact().name(), "\", account \"", response.account().name(),
        "\")"));
  }
  found.created = response.created();
  found.tier = response.account().tier();
  found.account_manager = response.account().account_manager();
  return found;
}

}  // namespace clientele::ticketing
