#include "common/redis/channel_subscriber.h"

#include <hiredis.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

#include "absl/time/clock.h"

namespace clientele::redis {
namespace {

// How long one poll waits: bounds how late Stop is noticed.
constexpr int kPollMillis = 50;

struct ContextFree {
  void operator()(redisContext* context) const { redisFree(context); }
};
using Context = std::unique_ptr<redisContext, ContextFree>;

struct ReplyFree {
  void operator()(void* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyFree>;

bool Send(redisContext* context,
          std::initializer_list<absl::string_view> args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (absl::string_view arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  if (redisAppendCommandArgv(context, static_cast<int>(argv.size()),
                             argv.data(), lengths.data()) != REDIS_OK) {
    return false;
  }
  int done = 0;
  while (!done) {
    if (redisBufferWrite(context, &done) != REDIS_OK) return false;
  }
  return true;
}

bool Is(const redisReply* reply, size_t index, absl::string_view text) {
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements <= index) {
    return false;
  }
  const redisReply* element = reply->element[index];
  return (element->type == REDIS_REPLY_STRING ||
          element->type == REDIS_REPLY_STATUS) &&
         absl::string_view(element->str, element->len) == text;
}

}  // namespace

ChannelSubscriber::ChannelSubscriber(ChannelSubscriberOptions options,
                                     SubscriptionListener* listener)
    : options_(std::move(options)), listener_(listener) {}

ChannelSubscriber::~ChannelSubscriber() { Stop(); }

void ChannelSubscriber::Start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void ChannelSubscriber::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ChannelSubscriber::Run() {
  // Writes to a socket the server closed raise SIGPIPE; this thread is ours,
  // so it simply never takes it.
  sigset_t sigpipe;
  sigemptyset(&sigpipe);
  sigaddset(&sigpipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &sigpipe, nullptr);

  absl::Duration backoff = options_.min_backoff;
  while (!stop_) {
    if (RunConnection()) backoff = options_.min_backoff;
    const absl::Time until = options_.clock->Now() + backoff;
    for (absl::Time now = options_.clock->Now(); !stop_ && now < until;
         now = options_.clock->Now()) {
      absl::SleepFor(std::min(absl::Milliseconds(kPollMillis), until - now));
    }
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

bool ChannelSubscriber::RunConnection() {
  const Context context(
      redisConnectWithTimeout(options_.host.c_str(), options_.port,
                              absl::ToTimeval(options_.connect_timeout)));
  if (context == nullptr || context->err != 0) return false;
  // Bounds writes; reads only happen when poll says there is data.
  redisSetTimeout(context.get(), absl::ToTimeval(options_.max_silence));
  if (!Send(context.get(), {"SUBSCRIBE", options_.channel})) return false;

  bool live = false;
  absl::Time last_heard = options_.clock->Now();
  absl::Time last_ping = last_heard;
  while (!stop_) {
    const absl::Time now = options_.clock->Now();
    if (now - last_heard > options_.max_silence) break;
    if (live && now - last_ping >= options_.ping_interval) {
      if (!Send(context.get(), {"PING"})) break;
      last_ping = now;
    }
    pollfd fd = {context->fd, POLLIN, 0};
    const int ready = poll(&fd, 1, kPollMillis);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    if (redisBufferRead(context.get()) != REDIS_OK) break;
    bool broken = false;
    while (true) {
      void* raw = nullptr;
      if (redisGetReplyFromReader(context.get(), &raw) != REDIS_OK) {
        broken = true;
        break;
      }
      if (raw == nullptr) break;
      const ReplyPtr reply(static_cast<redisReply*>(raw));
      last_heard = options_.clock->Now();
      if (Is(reply.get(), 0, "message") && reply->elements == 3 &&
          reply->element[2]->type == REDIS_REPLY_STRING) {
        if (live) {
          listener_->OnMessage(absl::string_view(reply->element[2]->str,
                                                 reply->element[2]->len));
        }
      } else if (Is(reply.get(), 0, "subscribe")) {
        live = true;
        listener_->OnSubscribed();
      }
      // "pong" replies only prove the server is there.
    }
    if (broken) break;
  }
  if (live) listener_->OnLost();
  return live;
}

}  // namespace clientele::redis
