// A Redis pub/sub subscription kept alive in its own thread: connects,
// SUBSCRIBEs to one channel, hands every message to a listener, PINGs to
// notice a server that stopped answering, and reconnects with backoff when
// the connection is lost. The listener is told when the subscription is
// live and when it is lost, because messages published in between are gone:
// whoever relies on them (a near cache trusting invalidations) must stop
// trusting what it holds until OnSubscribed again.
#ifndef CLIENTELE_COMMON_REDIS_CHANNEL_SUBSCRIBER_H_
#define CLIENTELE_COMMON_REDIS_CHANNEL_SUBSCRIBER_H_

#include <atomic>
#include <string>
#include <thread>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace clientele::redis {

class SubscriptionListener {
 public:
  virtual ~SubscriptionListener() = default;
  // The subscription is live: messages published from now on arrive.
  virtual void OnSubscribed() = 0;
  // One message published on the channel (called on the subscriber thread).
  virtual void OnMessage(absl::string_view payload) = 0;
  // The subscription is lost (connection closed, server silent); messages
  // may have been missed until the next OnSubscribed.
  virtual void OnLost() = 0;
};

struct ChannelSubscriberOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string channel;
  absl::Duration connect_timeout = absl::Milliseconds(500);
  // A PING goes out this often; a server that has not answered anything
  // for `max_silence` is taken for lost.
  absl::Duration ping_interval = absl::Milliseconds(500);
  absl::Duration max_silence = absl::Seconds(2);
  // Reconnect attempts back off from min to max.
  absl::Duration min_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(1);
  // What the silence, ping and backoff timers read (not owned). The waiting
  // itself is real: the thread polls the socket and sleeps in steps of at
  // most 50 ms, re-reading the clock after each, so a FakeClock decides when
  // a timer fires and a test moves it instead of waiting. Only the socket's
  // own write timeout (max_silence) is real time.
  Clock* clock = RealClock::Get();
};

class ChannelSubscriber {
 public:
  // `listener` is not owned and must outlive the subscriber. Nothing happens
  // until Start.
  ChannelSubscriber(ChannelSubscriberOptions options,
                    SubscriptionListener* listener);
  // Stops the thread; OnLost is called if the subscription was live.
  ~ChannelSubscriber();
  ChannelSubscriber(const ChannelSubscriber&) = delete;
  ChannelSubscriber& operator=(const ChannelSubscriber&) = delete;

  void Start();
  void Stop();

 private:
  void Run();
  // One connection's life; returns when it is lost or Stop was called.
  // True when it got as far as a live subscription.
  bool RunConnection();

  const ChannelSubscriberOptions options_;
  SubscriptionListener* const listener_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace clientele::redis

#endif  // CLIENTELE_COMMON_REDIS_CHANNEL_SUBSCRIBER_H_
