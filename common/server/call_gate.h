// Which calls run while a server stops, and how the others are answered, so
// that a client only ever hears UNAVAILABLE ("retry, elsewhere") and never
// CANCELLED (which says nothing and which clients do not retry).
//
// Why holding is needed: once gRPC itself stops taking calls
// (grpc_server_shutdown_and_notify), it cancels every call that reaches it
// before the client has read the GOAWAY it sends. A client that is waiting
// for an answer sends no new call, so calls that arrive just before are held
// unanswered until gRPC has stopped taking calls, and answered after:
// behind the GOAWAY on the same connection, so the client's next call goes to
// a connection that is refused (UNAVAILABLE). That covers every client that
// waits for an answer before its next call (any synchronous stub). A client
// that keeps sending regardless can still have a call reach gRPC in the
// instant it stops; the server waits for quiet only so long (server.cc).
//
// ServeUnary asks the gate about every call; Server::Shutdown moves it
// through its states, in this order:
//   open      every call is admitted: it runs and is answered as usual;
//   refusing  (Refuse) new calls are answered UNAVAILABLE at once; admitted
//             calls go on, and AwaitIdle waits for them;
//   holding   (Hold) new calls wait, unanswered; AwaitQuiet returns once none
//             has arrived for a while;
//   closed    (Close) held calls, and any that still arrive, are answered
//             UNAVAILABLE at once.
// Thread-safe.
#ifndef CLIENTELE_COMMON_SERVER_CALL_GATE_H_
#define CLIENTELE_COMMON_SERVER_CALL_GATE_H_

#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace clientele::server {

// UNAVAILABLE "server is shutting down; retry": the answer to a call the
// gate does not admit.
absl::Status ShuttingDownError();

class CallGate {
 public:
  // Answers a call that is not admitted (with ShuttingDownError).
  using Refusal = absl::AnyInvocable<void() &&>;

  CallGate() = default;
  CallGate(const CallGate&) = delete;
  CallGate& operator=(const CallGate&) = delete;

  // True while open: the call runs, and the caller calls Leave() once it has
  // answered it. Otherwise false, and the gate runs `refuse`: here and now
  // (refusing, closed), or on the thread that calls Close() (holding).
  bool Enter(Refusal refuse);
  // An admitted call has been answered.
  void Leave();

  // Refusing: see the file comment.
  void Refuse();
  // True once no admitted call is running; false at `deadline` if some
  // still are.
  bool AwaitIdle(absl::Time deadline);
  // Holding: see the file comment.
  void Hold();
  // Returns once no call has been held for `quiet` (counted from Hold), or
  // at `deadline`.
  void AwaitQuiet(absl::Duration quiet, absl::Time deadline);
  // Closed: answers the held calls, in the order they came.
  void Close();

  // Admitted calls not answered yet.
  int running() const;
  // Calls waiting for Close.
  int held() const;

 private:
  enum class State { kOpen, kRefusing, kHolding, kClosed };

  mutable absl::Mutex mutex_;
  State state_ ABSL_GUARDED_BY(mutex_) = State::kOpen;
  int running_ ABSL_GUARDED_BY(mutex_) = 0;
  std::vector<Refusal> held_ ABSL_GUARDED_BY(mutex_);
  // When the last call was held (or holding began). Real time: it is
  // compared with mutex deadlines.
  absl::Time last_held_ ABSL_GUARDED_BY(mutex_);
  bool closed_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace clientele::server

#endif  // CLIENTELE_COMMON_SERVER_CALL_GATE_H_
