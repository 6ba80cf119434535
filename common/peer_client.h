// Connecting a client of a peer service: the channel MakePeerChannel makes
// with the client's own retry-safe methods, handed to its constructor. For
// classes shaped like reporting's GrpcLiveScores and GrpcAccountNames:
//
//   static std::vector<PeerMethod> RetrySafeMethods();
//   Client(std::shared_ptr<grpc::Channel> channel, Args... args);
#ifndef CLIENTELE_COMMON_PEER_CLIENT_H_
#define CLIENTELE_COMMON_PEER_CLIENT_H_

#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/peer_channel.h"

namespace clientele {

// A `Client` on a channel to `target` ("host:port") that retries
// Client::RetrySafeMethods(). INVALID_ARGUMENT as MakePeerChannel.
template <typename Client, typename... Args>
absl::StatusOr<std::unique_ptr<Client>> ConnectPeerClient(
    absl::string_view target, Args&&... args) {
  PeerChannelOptions options;
  options.retry_safe_methods = Client::RetrySafeMethods();
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      MakePeerChannel(target, options);
  if (!channel.ok()) return channel.status();
  return std::make_unique<Client>(*std::move(channel),
                                  std::forward<Args>(args)...);
}

}  // namespace clientele

#endif  // CLIENTELE_COMMON_PEER_CLIENT_H_
