#include "services/reporting/account_names.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/peer_client.h"
#include "google/rpc/error_details.pb.h"

namespace clientele::reporting {
namespace {

using ::clientele::contacts::v1::BatchGetAccountsRequest;
using ::clientele::contacts::v1::BatchGetAccountsResponse;
using ::clientele::contacts::v1::ContactsService;

constexpr absl::string_view kAccountsPrefix = "accounts/";

// `status` with a message that names no internal address (gRPC's transport
// detail may); the code is kept.
absl::Status Explained(const absl::Status& status, absl::Duration budget) {
  switch (status.code()) {
    case absl::StatusCode::kDeadlineExceeded:
      return absl::DeadlineExceededError(absl::StrCat(
          "contacts did not answer within ", absl::FormatDuration(budget)));
    case absl::StatusCode::kUnavailable:
      return absl::UnavailableError("contacts could not be reached");
    default:
      return absl::Status(status.code(),
                          absl::StrCat("contacts refused the account names (",
                                       status.message(), ")"));
  }
}

// The resource a NOT_FOUND names in its google.rpc.ResourceInfo (contacts'
// NotFoundResourceError), if it names one.
std::optional<std::string> MissingResource(const absl::Status& status) {
  if (!absl::IsNotFound(status)) return std::nullopt;
  const auto payload = status.GetPayload(absl::StrCat(
      kTypeUrlPrefix, google::rpc::ResourceInfo::descriptor()->full_name()));
  if (!payload.has_value()) return std::nullopt;
  google::rpc::ResourceInfo info;
  if (!info.ParseFromString(std::string(*payload))) return std::nullopt;
  return info.resource_name();
}

// The distinct ids of `account_ids`, in order, that can be an account's
// ("accounts/{id}" with no further slash).
std::vector<std::string> DistinctIds(
    const std::vector<std::string>& account_ids) {
  std::vector<std::string> ids;
  ids.reserve(account_ids.size());
  absl::flat_hash_set<absl::string_view> seen;
  for (const std::string& id : account_ids) {
    if (id.empty() || absl::StrContains(id, '/')) continue;
    if (seen.insert(id).second) ids.push_back(id);
  }
  return ids;
}

}  // namespace

GrpcAccountNames::GrpcAccountNames(std::shared_ptr<grpc::Channel> channel,
                                   Clock* clock, Options options)
    : stub_(ContactsService::NewStub(std::move(channel))),
      clock_(clock),
      options_(options) {}

absl::StatusOr<std::unique_ptr<GrpcAccountNames>> GrpcAccountNames::Connect(
    absl::string_view target, Clock* clock, Options options) {
  return ConnectPeerClient<GrpcAccountNames>(target, clock, options);
}

std::vector<PeerMethod> GrpcAccountNames::RetrySafeMethods() {
  return {{ContactsService::service_full_name(), "BatchGetAccounts"}};
}

absl::StatusOr<AccountNameMap> GrpcAccountNames::Names(
    const Caller& caller, const std::vector<std::string>& account_ids) {
  const std::vector<std::string> ids = DistinctIds(account_ids);
  AccountNameMap names;
  if (ids.empty()) return names;
  // One deadline for every call of this lookup.
  const absl::Time now = clock_->Now();
  absl::StatusOr<absl::Time> deadline =
      PeerDeadline(caller.deadline, now, options_.timeout);
  if (!deadline.ok()) {
    return absl::DeadlineExceededError(
        "the request's deadline left no time to ask contacts");
  }
  const absl::Duration budget =
      absl::Trunc(*deadline - now, absl::Milliseconds(1));

  int missing_left = kMaxMissingPerNames;
  for (size_t first = 0; first < ids.size(); first += kMaxNamesPerCall) {
    const size_t end = std::min(ids.size(), first + kMaxNamesPerCall);
    std::vector<std::string> asked(ids.begin() + static_cast<ptrdiff_t>(first),
                                   ids.begin() + static_cast<ptrdiff_t>(end));
    while (!asked.empty()) {
      BatchGetAccountsRequest request;
      for (const std::string& id : asked) {
        request.add_names(absl::StrCat(kAccountsPrefix, id));
      }
      BatchGetAccountsResponse response;
      grpc::ClientContext context;
      // The same `now` for every call: they share the one deadline.
      absl::Status status =
          PreparePeerContext(caller, now, options_.timeout, &context);
      if (status.ok()) {
        status = server::FromGrpcStatus(
            stub_->BatchGetAccounts(&context, request, &response));
      }
      if (const std::optional<std::string> missing = MissingResource(status);
          missing.has_value() && absl::StartsWith(*missing, kAccountsPrefix)) {
        // One of them is gone (deleted, erased, another tenant's): ask for
        // the others without it.
        const auto gone = std::find(asked.begin(), asked.end(),
                                    missing->substr(kAccountsPrefix.size()));
        if (gone == asked.end()) return Explained(status, budget);
        if (missing_left == 0) return names;
        --missing_left;
        asked.erase(gone);
        continue;
      }
      if (!status.ok()) return Explained(status, budget);
      if (response.accounts_size() != static_cast<int>(asked.size())) {
        return absl::InternalError(
            absl::StrCat("contacts answered ", response.accounts_size(),
                         " accounts for ", asked.size(), " names"));
      }
      for (int i = 0; i < response.accounts_size(); ++i) {
        contacts::v1::Account& account = *response.mutable_accounts(i);
        const std::string& id = asked[static_cast<size_t>(i)];
        // A merged-away name answers its survivor: not this account's name.
        if (account.name() != absl::StrCat(kAccountsPrefix, id) ||
            account.display_name().empty()) {
          continue;
        }
        names[id] = std::move(*account.mutable_display_name());
      }
      break;
    }
  }
  return names;
}

}  // namespace clientele::reporting
