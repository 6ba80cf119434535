// ContactManager::Search and ContactManager::FindDuplicates: finding contacts
// through the key tables (contact_terms, contact_emails, contact_phones)
// rather than by scanning contacts.
#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/page_token.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/contacts/contact_manager.h"
#include "services/contacts/contact_rules.h"
#include "services/contacts/field_checks.h"
#include "services/contacts/lookup.h"
#include "services/contacts/names.h"
#include "services/contacts/text.h"

namespace clientele::contacts {
namespace {

// How many key rows one query term may bring back. A term as short as one
// letter can match most of a tenant; the best matches are whole words, which
// are asked for first.
constexpr int kMaxMatchesPerTerm = 5000;

// Search scores, best first.
constexpr int kExactEmail = 3;
constexpr int kWholeWords = 2;
constexpr int kPrefix = 1;

// The score of a contact for one query term given its terms: kWholeWords
// when one equals it, kPrefix when one starts with it, else 0.
int TermScore(const std::vector<std::string>& contact_terms,
              const std::string& term) {
  int best = 0;
  for (const std::string& have : contact_terms) {
    if (have == term) return kWholeWords;
    if (absl::StartsWith(have, term)) best = kPrefix;
  }
  return best;
}

// Contact id -> score for every contact whose terms match each query term
// (whole word: kWholeWords, prefix only: kPrefix; the weakest term counts).
// The most selective term drives: its matches are looked up in the index,
// and each candidate's own terms are checked against the other terms.
absl::StatusOr<absl::flat_hash_map<std::string, int>> MatchNames(
    sql::Transaction& txn, ContactStore& store, absl::string_view tenant,
    const std::vector<std::string>& terms) {
  std::vector<KeyMatch> driver;
  size_t driver_index = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    ASSIGN_OR_RETURN(std::vector<KeyMatch> matches,
                     store.MatchTerm(txn, tenant, terms[i], /*exact=*/false,
                                     kMaxMatchesPerTerm));
    if (i == 0 || matches.size() < driver.size()) {
      driver = std::move(matches);
      driver_index = i;
    }
    if (driver.empty()) break;
  }
  absl::flat_hash_map<std::string, int> scores;
  for (const KeyMatch& match : driver) {
    const int score = match.key == terms[driver_index] ? kWholeWords : kPrefix;
    int& best = scores[match.contact_id];
    best = std::max(best, score);
  }
  if (terms.size() == 1) return scores;
  absl::flat_hash_map<std::string, int> all;
  for (const auto& [id, driver_score] : scores) {
    ASSIGN_OR_RETURN(std::vector<std::string> contact_terms,
                     store.TermsOf(txn, tenant, id));
    int score = driver_score;
    for (size_t i = 0; i < terms.size() && score > 0; ++i) {
      if (i != driver_index) {
        score = std::min(score, TermScore(contact_terms, terms[i]));
      }
    }
    if (score > 0) all[id] = score;
  }
  return all;
}

}  // namespace

absl::StatusOr<v1::SearchContactsResponse> ContactManager::Search(
    const Caller& caller, const v1::SearchContactsRequest& request) {
  std::string query = request.query();
  FieldViolations violations;
  CheckText(&query, "query", kMaxQueryChars, /*required=*/true, &violations);
  std::string account_id;
  if (!request.account().empty()) {
    auto id = ParseResourceName(request.account(), kAccounts, "account");
    if (id.ok()) {
      account_id = *std::move(id);
    } else {
      violations.Add("account", "must be \"accounts/{account}\"");
    }
  }
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(int page_size,
                   ResolvePageSize(request.page_size(), kDefaultSearchPageSize,
                                   kMaxSearchPageSize));
  const std::string key = SearchKey(query);
  const std::vector<std::string> terms = SearchTerms(query);
  const bool one_word = query.find_first_of(" \t") == std::string::npos;
  if (terms.empty() && !one_word) {
    return InvalidFieldError("query", "holds no letters or digits to search");
  }
  const std::string filter_key =
      absl::StrCat("SearchContacts|", caller.tenant.size(), ":", caller.tenant,
                   "|", account_id, "|", key);
  ASSIGN_OR_RETURN(int64_t offset,
                   DecodeIntPageToken(request.page_token(), filter_key, 0));
  if (offset < 0) return InvalidFieldError("page_token", "not a valid token");

  v1::SearchContactsResponse response;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        response.Clear();
        std::string account_filter;
        if (!account_id.empty()) {
          ASSIGN_OR_RETURN(account_filter,
                           ResolveAccountId(txn, deps_, caller.tenant,
                                            account_id, request.account()));
        }
        absl::flat_hash_map<std::string, int> scores;
        if (!terms.empty()) {
          ASSIGN_OR_RETURN(
              scores, MatchNames(txn, *deps_.contacts, caller.tenant, terms));
        }
        if (one_word) {
          // Emails match by prefix of their normalized form; a whole address
          // ranks above everything else.
          auto exact = NormalizeEmail(query);
          const std::string prefix = exact.ok() ? *exact : LowerCase(query);
          ASSIGN_OR_RETURN(std::vector<KeyMatch> emails,
                           deps_.contacts->MatchEmailPrefix(
                               txn, caller.tenant, prefix, kMaxMatchesPerTerm));
          for (const KeyMatch& match : emails) {
            const int score = match.key == prefix ? kExactEmail : kPrefix;
            int& best = scores[match.contact_id];
            best = std::max(best, score);
          }
        }
        std::vector<std::pair<int, std::string>> ranked;
        ranked.reserve(scores.size());
        for (auto& [id, score] : scores) ranked.emplace_back(score, id);
        std::sort(ranked.begin(), ranked.end(),
                  [](const auto& a, const auto& b) {
                    return a.first != b.first ? a.first > b.first
                                              : a.second < b.second;
                  });
        int64_t seen = 0;
        for (const auto& [score, id] : ranked) {
          ASSIGN_OR_RETURN(std::optional<v1::Contact> contact,
                           deps_.contacts->Find(txn, caller.tenant, id));
          if (!contact.has_value()) continue;
          if (!account_filter.empty() &&
              contact->account() != AccountName(account_filter)) {
            continue;
          }
          if (seen++ < offset) continue;
          if (response.contacts_size() == page_size) {
            response.set_next_page_token(
                EncodeIntPageToken(filter_key, offset + page_size));
            break;
          }
          *response.add_contacts() = *std::move(contact);
        }
        return absl::OkStatus();
      }));
  return response;
}

absl::StatusOr<v1::FindDuplicateContactsResponse>
ContactManager::FindDuplicates(
    const Caller& caller, const v1::FindDuplicateContactsRequest& request) {
  FieldViolations violations;
  std::string email_key;
  if (!request.email().empty()) {
    std::string email = request.email();
    if (CheckText(&email, "email", kMaxEmailChars, false, &violations)) {
      auto key = NormalizeEmail(email);
      if (key.ok()) {
        email_key = *std::move(key);
      } else {
        violations.Add("email", "not a valid email address");
      }
    }
  }
  std::string phone;
  if (!request.phone().empty()) {
    auto number = IsValidText(request.phone()) && request.phone().size() <= 64
                      ? NormalizePhone(request.phone())
                      : absl::InvalidArgumentError("invalid");
    if (number.ok()) {
      phone = *std::move(number);
    } else {
      violations.Add("phone", "must be E.164: \"+\" and 8-15 digits");
    }
  }
  std::string given = request.given_name();
  std::string family = request.family_name();
  CheckText(&given, "given_name", kMaxPersonNameChars, false, &violations);
  CheckText(&family, "family_name", kMaxPersonNameChars, false, &violations);
  std::string account_id;
  if (!request.account().empty()) {
    auto id = ParseResourceName(request.account(), kAccounts, "account");
    if (id.ok()) {
      account_id = *std::move(id);
    } else {
      violations.Add("account", "must be \"accounts/{account}\"");
    }
  }
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(int max_results,
                   ResolvePageSize(request.max_results(), kDefaultDuplicates,
                                   kMaxDuplicates, "max_results"));
  const std::vector<std::string> terms =
      SearchTerms(absl::StrCat(given, " ", family));
  if (email_key.empty() && phone.empty() && terms.empty()) {
    return InvalidFieldError(
        "email", "give at least one of email, phone, given_name, family_name");
  }
  const std::string name_key = NameKey(given, family, "");

  struct Candidate {
    std::vector<v1::DuplicateReason> reasons;
    double confidence = 0;
  };
  absl::flat_hash_map<std::string, Candidate> candidates;
  auto add = [&](const std::string& id, v1::DuplicateReason reason,
                 double confidence) {
    Candidate& candidate = candidates[id];
    candidate.reasons.push_back(reason);
    candidate.confidence = std::max(candidate.confidence, confidence);
  };
  v1::FindDuplicateContactsResponse response;
  RETURN_IF_ERROR(deps_.database->Read([&](sql::Transaction& txn)
                                           -> absl::Status {
    candidates.clear();
    response.Clear();
    if (!email_key.empty()) {
      ASSIGN_OR_RETURN(
          std::optional<std::string> holder,
          deps_.contacts->FindEmailOwner(txn, caller.tenant, email_key));
      if (holder.has_value())
        add(*holder, v1::DUPLICATE_REASON_SAME_EMAIL, 1.0);
    }
    if (!phone.empty()) {
      ASSIGN_OR_RETURN(std::vector<std::string> holders,
                       deps_.contacts->FindByPhone(txn, caller.tenant, phone,
                                                   kMaxDuplicates));
      for (const std::string& id : holders) {
        add(id, v1::DUPLICATE_REASON_SAME_PHONE, 0.9);
      }
    }
    std::string account_filter;
    if (!account_id.empty()) {
      ASSIGN_OR_RETURN(account_filter,
                       ResolveAccountId(txn, deps_, caller.tenant, account_id,
                                        request.account()));
    }
    if (!terms.empty()) {
      ASSIGN_OR_RETURN(auto matches,
                       MatchNames(txn, *deps_.contacts, caller.tenant, terms));
      for (const auto& [id, score] : matches) {
        if (score != kWholeWords) continue;  // similar means every word
        if (!account_filter.empty()) {
          ASSIGN_OR_RETURN(std::optional<v1::Contact> contact,
                           deps_.contacts->Find(txn, caller.tenant, id));
          if (!contact.has_value() ||
              contact->account() != AccountName(account_filter)) {
            continue;
          }
        }
        ASSIGN_OR_RETURN(std::string key,
                         deps_.contacts->NameKeyOf(txn, caller.tenant, id));
        add(id, v1::DUPLICATE_REASON_SIMILAR_NAME, key == name_key ? 0.8 : 0.5);
      }
    }
    std::vector<std::pair<std::string, Candidate>> ranked(candidates.begin(),
                                                          candidates.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      if (a.second.confidence != b.second.confidence) {
        return a.second.confidence > b.second.confidence;
      }
      if (a.second.reasons.size() != b.second.reasons.size()) {
        return a.second.reasons.size() > b.second.reasons.size();
      }
      return a.first < b.first;
    });
    for (auto& [id, candidate] : ranked) {
      if (response.candidates_size() == max_results) break;
      ASSIGN_OR_RETURN(std::optional<v1::Contact> contact,
                       deps_.contacts->Find(txn, caller.tenant, id));
      if (!contact.has_value()) continue;
      v1::DuplicateCandidate* out = response.add_candidates();
      *out->mutable_contact() = *std::move(contact);
      std::sort(candidate.reasons.begin(), candidate.reasons.end());
      for (v1::DuplicateReason reason : candidate.reasons) {
        out->add_reasons(reason);
      }
      out->set_confidence(candidate.confidence);
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace clientele::contacts
