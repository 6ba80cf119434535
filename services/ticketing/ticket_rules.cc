#include "services/ticketing/ticket_rules.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/proto_time.h"
#include "common/validation.h"
#include "services/ticketing/ticket_names.h"

namespace clientele::ticketing {
namespace {

std::string Lower(absl::string_view text) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
}

// The first `max_chars` code points of valid UTF-8 `text`.
std::string CutToChars(absl::string_view text, int max_chars) {
  size_t i = 0;
  int chars = 0;
  while (i < text.size() && chars < max_chars) {
    ++i;
    while (i < text.size() &&
           (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) {
      ++i;
    }
    ++chars;
  }
  return std::string(text.substr(0, i));
}

}  // namespace

void CheckTicketFields(v1::Ticket* ticket, absl::string_view prefix,
                       FieldViolations* violations) {
  const auto path = [&](absl::string_view field) {
    return absl::StrCat(prefix, field);
  };
  CheckText(ticket->mutable_product(), path("product"), kMaxProductChars,
            /*required=*/false, /*multiline=*/false, violations);
  CheckText(ticket->mutable_subject(), path("subject"), kMaxSubjectChars,
            /*required=*/true, /*multiline=*/false, violations);
  CheckText(ticket->mutable_description(), path("description"),
            kMaxDescriptionChars, /*required=*/false, /*multiline=*/true,
            violations);
  if (!v1::TicketType_IsValid(ticket->type())) {
    violations->Add(path("type"),
                    absl::StrCat("unknown value ", ticket->type()));
  } else if (ticket->type() == v1::TICKET_TYPE_UNSPECIFIED) {
    ticket->set_type(v1::TICKET_TYPE_QUESTION);
  }
  if (!v1::TicketPriority_IsValid(ticket->priority())) {
    violations->Add(path("priority"),
                    absl::StrCat("unknown value ", ticket->priority()));
  } else if (ticket->priority() == v1::TICKET_PRIORITY_UNSPECIFIED) {
    ticket->set_priority(v1::TICKET_PRIORITY_NORMAL);
  }
  if (!v1::TicketChannel_IsValid(ticket->channel())) {
    violations->Add(path("channel"),
                    absl::StrCat("unknown value ", ticket->channel()));
  }
  if (ticket->tags_size() > kMaxTags) {
    violations->Add(path("tags"), absl::StrCat("at most ", kMaxTags, " tags"));
    return;
  }
  std::vector<std::string> tags;
  for (int i = 0; i < ticket->tags_size(); ++i) {
    std::string tag = ticket->tags(i);
    if (!CheckText(&tag, absl::StrCat(path("tags"), "[", i, "]"), kMaxTagChars,
                   /*required=*/true, /*multiline=*/false, violations)) {
      continue;
    }
    tag = Lower(tag);
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) {
      tags.push_back(std::move(tag));
    }
  }
  ticket->clear_tags();
  for (std::string& tag : tags) ticket->add_tags(std::move(tag));
}

void CheckAssignee(std::string* assignee, absl::string_view path,
                   FieldViolations* violations) {
  CheckText(assignee, path, kMaxAssigneeChars, /*required=*/false,
            /*multiline=*/false, violations);
}

void CheckTeam(std::string* team, absl::string_view path,
               FieldViolations* violations) {
  if (CheckText(team, path, kMaxTeamChars, /*required=*/false,
                /*multiline=*/false, violations)) {
    *team = Lower(*team);
  }
}

void CheckComment(v1::TicketComment* comment, absl::string_view prefix,
                  FieldViolations* violations) {
  const auto path = [&](absl::string_view field) {
    return absl::StrCat(prefix, field);
  };
  if (!v1::CommentVisibility_IsValid(comment->visibility())) {
    violations->Add(path("visibility"),
                    absl::StrCat("unknown value ", comment->visibility()));
  } else if (comment->visibility() == v1::COMMENT_VISIBILITY_UNSPECIFIED) {
    violations->Add(path("visibility"),
                    "required: PUBLIC_REPLY or INTERNAL_NOTE");
  }
  bool author_type_ok = false;
  if (!v1::CommentAuthorType_IsValid(comment->author_type())) {
    violations->Add(path("author_type"),
                    absl::StrCat("unknown value ", comment->author_type()));
  } else if (comment->author_type() == v1::COMMENT_AUTHOR_TYPE_UNSPECIFIED) {
    violations->Add(path("author_type"),
                    "required: AGENT, REQUESTER or SYSTEM");
  } else {
    author_type_ok = true;
  }
  if (author_type_ok) {
    switch (comment->author_type()) {
      case v1::COMMENT_AUTHOR_TYPE_AGENT:
        CheckAssignee(comment->mutable_author(), path("author"), violations);
        break;
      case v1::COMMENT_AUTHOR_TYPE_REQUESTER:
        if (!comment->author().empty() &&
            !ParseResourceName(comment->author(), kContacts, path("author"))
                 .ok()) {
          violations->Add(path("author"), "must be \"contacts/{contact}\"");
        }
        if (comment->visibility() == v1::COMMENT_VISIBILITY_INTERNAL_NOTE) {
          violations->Add(path("visibility"),
                          "a requester's comment must be a PUBLIC_REPLY");
        }
        break;
      default:  // SYSTEM
        if (!comment->author().empty()) {
          violations->Add(path("author"), "must be empty for SYSTEM");
        }
        break;
    }
  }
  CheckText(comment->mutable_body(), path("body"), kMaxCommentChars,
            /*required=*/true, /*multiline=*/true, violations);
  if (comment->has_occur_time() && !IsValidTimestamp(comment->occur_time())) {
    violations->Add(path("occur_time"),
                    "must be between 0001-01-01 and 9999-12-31");
  }
}

absl::Status CheckOccurTime(const v1::TicketComment& comment,
                            absl::Time create_time, absl::Time now,
                            absl::string_view path) {
  if (!comment.has_occur_time()) return absl::OkStatus();
  const absl::Time occur = ToTime(comment.occur_time());
  if (occur > now) return InvalidFieldError(path, "must not be in the future");
  if (occur < create_time) {
    return InvalidFieldError(path, "must not be before the ticket was created");
  }
  return absl::OkStatus();
}

bool AllowedTransition(v1::TicketStatus from, v1::TicketStatus to) {
  if (from == to || to == v1::TICKET_STATUS_NEW) return false;
  if (!v1::TicketStatus_IsValid(to) || to == v1::TICKET_STATUS_UNSPECIFIED) {
    return false;
  }
  switch (from) {
    case v1::TICKET_STATUS_NEW:
    case v1::TICKET_STATUS_OPEN:
    case v1::TICKET_STATUS_PENDING:
    case v1::TICKET_STATUS_ON_HOLD:
      return to == v1::TICKET_STATUS_OPEN || to == v1::TICKET_STATUS_PENDING ||
             to == v1::TICKET_STATUS_ON_HOLD || to == v1::TICKET_STATUS_SOLVED;
    case v1::TICKET_STATUS_SOLVED:
      return to == v1::TICKET_STATUS_OPEN || to == v1::TICKET_STATUS_CLOSED;
    default:  // CLOSED is final; UNSPECIFIED is no status.
      return false;
  }
}

bool IsOpenStatus(v1::TicketStatus status) {
  return status == v1::TICKET_STATUS_NEW || status == v1::TICKET_STATUS_OPEN ||
         status == v1::TICKET_STATUS_PENDING ||
         status == v1::TICKET_STATUS_ON_HOLD;
}

absl::Duration ActiveTime(const std::vector<v1::TicketHistoryEntry>& history,
                          absl::Time from, absl::Time to) {
  struct Change {
    absl::Time time;
    v1::TicketStatus status;
  };
  std::vector<Change> changes;
  for (const v1::TicketHistoryEntry& entry : history) {
    if (entry.kind() == v1::TICKET_HISTORY_KIND_CREATED ||
        entry.kind() == v1::TICKET_HISTORY_KIND_STATUS_CHANGED) {
      changes.push_back({ToTime(entry.occur_time()), entry.status()});
    }
  }
  std::stable_sort(
      changes.begin(), changes.end(),
      [](const Change& a, const Change& b) { return a.time < b.time; });
  absl::Duration active = absl::ZeroDuration();
  for (size_t i = 0; i < changes.size(); ++i) {
    const v1::TicketStatus status = changes[i].status;
    if (status != v1::TICKET_STATUS_NEW && status != v1::TICKET_STATUS_OPEN) {
      continue;
    }
    const absl::Time start = std::max(changes[i].time, from);
    const absl::Time end =
        std::min(i + 1 < changes.size() ? changes[i + 1].time : to, to);
    if (end > start) active += end - start;
  }
  return active;
}

std::string StatusLabel(v1::TicketStatus status) {
  constexpr absl::string_view kPrefix = "TICKET_STATUS_";
  std::string name = v1::TicketStatus_Name(status);
  if (absl::StartsWith(name, kPrefix)) name.erase(0, kPrefix.size());
  return name.empty() ? absl::StrCat(static_cast<int>(status)) : name;
}

absl::StatusOr<std::string> EmailKey(absl::string_view email,
                                     absl::string_view path) {
  const std::string key = Lower(email);
  if (key.empty()) return InvalidFieldError(path, "required");
  if (!IsValidText(key) || CodePointCount(key) > kMaxEmailChars) {
    return InvalidFieldError(path, "not a valid email address");
  }
  const size_t at = key.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == key.size() ||
      key.find('@', at + 1) != std::string::npos ||
      key.find_first_of(" \t") != std::string::npos ||
      key.find('.', at + 1) == std::string::npos) {
    return InvalidFieldError(
        path, "not a valid email address (expected name@example.com)");
  }
  return key;
}

std::string SubjectFromProblem(absl::string_view problem) {
  for (absl::string_view line : absl::StrSplit(problem, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty()) return CutToChars(line, kMaxSubjectChars);
  }
  return "";
}

}  // namespace clientele::ticketing
