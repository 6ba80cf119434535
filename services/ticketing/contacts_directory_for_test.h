// Test-only: a ContactsDirectory that stands in for contacts, so intake can
// be tested without a peer, with contacts up, down or slow.
#ifndef CLIENTELE_SERVICES_TICKETING_CONTACTS_DIRECTORY_FOR_TEST_H_
#define CLIENTELE_SERVICES_TICKETING_CONTACTS_DIRECTORY_FOR_TEST_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/ticketing/contacts_directory.h"

namespace clientele::ticketing {

// By default behaves like contacts: an email seen for the first time (compared
// trimmed and lower-cased) gets a new contact "contact-N" of a new account
// "account-N" (created = true, tier STANDARD, no account manager); the same
// email again finds it (created = false). Scriptable: SetAnswer fixes the
// answer for one email, FailWith makes every call fail (UNAVAILABLE or
// DEADLINE_EXCEEDED for "contacts is down/slow") until Recover, FailNext only
// the next few. Every call is
// counted and recorded, failed ones too. Thread-safe.
class FakeContactsDirectory : public ContactsDirectory {
 public:
  // One call as the directory received it.
  struct Call {
    std::string tenant;
    std::string authorization;
    std::string email;
    std::string display_name;
    std::string request_id;
  };

  absl::StatusOr<FoundRequester> FindOrCreate(
      const Caller& caller, absl::string_view email,
      absl::string_view display_name, absl::string_view request_id) override {
    absl::MutexLock lock(&mutex_);
    calls_.push_back({caller.tenant, caller.authorization, std::string(email),
                      std::string(display_name), std::string(request_id)});
    if (failure_.has_value()) return *failure_;
    if (failures_left_ > 0) {
      --failures_left_;
      return next_failure_;
    }
    const std::string key = absl::StrCat(caller.tenant, "|", KeyOf(email));
    if (auto fixed = answers_.find(key); fixed != answers_.end()) {
      return fixed->second;
    }
    auto it = known_.find(key);
    if (it != known_.end()) {
      FoundRequester found = it->second;
      found.created = false;
      return found;
    }
    ++created_;
    FoundRequester found;
    found.contact_id = absl::StrCat("contact-", created_);
    found.account_id = absl::StrCat("account-", created_);
    found.created = true;
    found.tier = type::v1::ACCOUNT_TIER_STANDARD;
    known_.emplace(key, found);
    return found;
  }

  // Calls for `email` in `tenant` answer `answer` (its `created` as given,
  // every time).
  void SetAnswer(absl::string_view tenant, absl::string_view email,
                 FoundRequester answer) {
    absl::MutexLock lock(&mutex_);
    answers_.insert_or_assign(absl::StrCat(tenant, "|", KeyOf(email)),
                              std::move(answer));
  }

  // Every call fails with `status` until Recover().
  void FailWith(absl::Status status) {
    absl::MutexLock lock(&mutex_);
    failure_ = std::move(status);
  }
  void Recover() {
    absl::MutexLock lock(&mutex_);
    failure_.reset();
  }

  // The next `calls` calls fail with `status`; the ones after answer.
  void FailNext(int calls, absl::Status status) {
    absl::MutexLock lock(&mutex_);
    failures_left_ = calls;
    next_failure_ = std::move(status);
  }

  int calls() const {
    absl::MutexLock lock(&mutex_);
    return static_cast<int>(calls_.size());
  }
  std::vector<Call> CallsForTest() const {
    absl::MutexLock lock(&mutex_);
    return calls_;
  }

 private:
  static std::string KeyOf(absl::string_view email) {
    return absl::AsciiStrToLower(absl::StripAsciiWhitespace(email));
  }

  mutable absl::Mutex mutex_;
  std::vector<Call> calls_ ABSL_GUARDED_BY(mutex_);
  std::optional<absl::Status> failure_ ABSL_GUARDED_BY(mutex_);
  int failures_left_ ABSL_GUARDED_BY(mutex_) = 0;
  absl::Status next_failure_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<std::string, FoundRequester> known_
      ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<std::string, FoundRequester> answers_
      ABSL_GUARDED_BY(mutex_);
  int created_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_CONTACTS_DIRECTORY_FOR_TEST_H_
