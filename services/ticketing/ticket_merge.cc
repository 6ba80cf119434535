// Merging duplicate tickets into a target, with the audit trail in both
// histories (MERGED_INTO on each source, MERGED_FROM on the target).
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/ticketing/ticket_manager.h"
#include "services/ticketing/ticket_names.h"
#include "services/ticketing/ticket_rules.h"
#include "services/ticketing/ticket_store.h"
#include "services/ticketing/ticket_writes.h"

namespace clientele::ticketing {
namespace {

// A SYSTEM comment of `visibility` on ticket `ticket_id` saying `body`, with
// its NOTE history entry.
absl::StatusOr<v1::TicketHistoryEntry> AddSystemComment(
    const TicketingDeps& deps, TicketWrites& writes,
    absl::string_view ticket_id, v1::CommentVisibility visibility,
    std::string body) {
  const std::string comment_id = deps.ids->NewId();
  v1::TicketComment comment;
  comment.set_name(CommentName(ticket_id, comment_id));
  comment.set_visibility(visibility);
  comment.set_author_type(v1::COMMENT_AUTHOR_TYPE_SYSTEM);
  comment.set_body(std::move(body));
  SetTimestamp(writes.now(), comment.mutable_create_time());
  RETURN_IF_ERROR(deps.tickets
                      ->AddComment(writes.txn(), writes.caller().tenant,
                                   ticket_id, comment_id, comment)
                      .status());
  v1::TicketHistoryEntry entry = writes.Entry(v1::TICKET_HISTORY_KIND_NOTE);
  entry.set_related(comment.name());
  return entry;
}

// Copies every public reply of ticket `from_id` to `to_id`, keeping author
// and when it was written. The copies carry no history entries: they were
// answered (or not) on the duplicate, and must not move the target's SLA
// clocks.
absl::Status CopyPublicReplies(const TicketingDeps& deps, TicketWrites& writes,
                               absl::string_view from_id,
                               absl::string_view to_id) {
  constexpr int kBatch = 500;
  std::optional<SeqCursor> after;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<StoredComment> batch,
                     deps.tickets->ListComments(
                         writes.txn(), writes.caller().tenant, from_id,
                         v1::COMMENT_VISIBILITY_PUBLIC_REPLY, after, kBatch));
    for (const StoredComment& stored : batch) {
      v1::TicketComment copy = stored.comment;
      if (!copy.has_occur_time()) {
        *copy.mutable_occur_time() = copy.create_time();
      }
      const std::string comment_id = deps.ids->NewId();
      copy.set_name(CommentName(to_id, comment_id));
      SetTimestamp(writes.now(), copy.mutable_create_time());
      RETURN_IF_ERROR(deps.tickets
                          ->AddComment(writes.txn(), writes.caller().tenant,
                                       to_id, comment_id, copy)
                          .status());
    }
    if (batch.size() < static_cast<size_t>(kBatch)) return absl::OkStatus();
    const StoredComment& last = batch.back();
    const google::protobuf::Timestamp& time = last.comment.has_occur_time()
                                                  ? last.comment.occur_time()
                                                  : last.comment.create_time();
    after = SeqCursor{ToMicros(ToTime(time)), last.seq};
  }
}

}  // namespace

absl::StatusOr<v1::MergeTicketsResponse> TicketManager::Merge(
    const Caller& caller, const v1::MergeTicketsRequest& request) {
  RememberWriter(caller);
  FieldViolations violations;
  std::string target_id;
  if (auto id = ParseResourceName(request.target(), kTickets, "target");
      id.ok()) {
    target_id = *std::move(id);
  } else {
    violations.Add("target", request.target().empty()
                                 ? "required: \"tickets/{ticket}\""
                                 : "must be \"tickets/{ticket}\"");
  }
  std::vector<std::string> source_ids;
  if (request.sources().empty()) {
    violations.Add("sources", "required: 1-20 \"tickets/{ticket}\"");
  } else if (request.sources_size() > kMaxMergeSources) {
    violations.Add("sources",
                   absl::StrCat("at most ", kMaxMergeSources, " tickets"));
  } else {
    for (int i = 0; i < request.sources_size(); ++i) {
      const std::string path = absl::StrCat("sources[", i, "]");
      auto id = ParseResourceName(request.sources(i), kTickets, path);
      if (!id.ok()) {
        violations.Add(path, "must be \"tickets/{ticket}\"");
      } else if (*id == target_id) {
        violations.Add(path, "must not be the target");
      } else if (std::find(source_ids.begin(), source_ids.end(), *id) !=
                 source_ids.end()) {
        violations.Add(path, "is listed twice");
      } else {
        source_ids.push_back(*std::move(id));
      }
    }
  }
  RETURN_IF_ERROR(violations.ToStatus());

  const absl::Time now = NowMicros(*deps_.clock);
  v1::MergeTicketsResponse response;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        TicketWrites writes(deps_, sla_, routing_, caller, txn, now);
        ASSIGN_OR_RETURN(v1::Ticket target, writes.Load(target_id));
        if (target.status() == v1::TICKET_STATUS_CLOSED) {
          return absl::FailedPreconditionError(absl::StrCat(
              target.name(), " is CLOSED and cannot take a merge"));
        }
        // Check every source before changing anything.
        std::vector<v1::Ticket> sources;
        std::vector<bool> already;
        for (size_t i = 0; i < source_ids.size(); ++i) {
          ASSIGN_OR_RETURN(v1::Ticket source, writes.Load(source_ids[i]));
          const bool done = source.status() == v1::TICKET_STATUS_CLOSED &&
                            source.merged_into() == target.name();
          if (source.status() == v1::TICKET_STATUS_CLOSED && !done) {
            return absl::FailedPreconditionError(
                absl::StrCat(source.name(), " is CLOSED and cannot be merged"));
          }
          sources.push_back(std::move(source));
          already.push_back(done);
        }

        std::vector<v1::TicketHistoryEntry> target_entries;
        for (size_t i = 0; i < sources.size(); ++i) {
          v1::Ticket& source = sources[i];
          if (already[i]) continue;  // merged by an earlier call
          const std::string& source_id = source_ids[i];
          // Its replies before the note pointing away from it.
          RETURN_IF_ERROR(
              CopyPublicReplies(deps_, writes, source_id, target_id));
          std::vector<v1::TicketHistoryEntry> entries;
          ASSIGN_OR_RETURN(
              v1::TicketHistoryEntry note,
              AddSystemComment(
                  deps_, writes, source_id, v1::COMMENT_VISIBILITY_PUBLIC_REPLY,
                  absl::StrCat("This request was merged into ", target.name(),
                               "; it continues there.")));
          entries.push_back(std::move(note));
          v1::TicketHistoryEntry merged_into =
              writes.Entry(v1::TICKET_HISTORY_KIND_MERGED_INTO);
          merged_into.set_related(target.name());
          entries.push_back(std::move(merged_into));
          v1::TicketHistoryEntry closed =
              writes.Entry(v1::TICKET_HISTORY_KIND_STATUS_CHANGED);
          const v1::TicketStatus previous = source.status();
          closed.set_previous_status(previous);
          closed.set_status(v1::TICKET_STATUS_CLOSED);
          entries.push_back(std::move(closed));
          source.set_status(v1::TICKET_STATUS_CLOSED);
          source.set_merged_into(target.name());
          SetTimestamp(now, source.mutable_close_time());
          RETURN_IF_ERROR(writes.Save(entries, /*reselect=*/false, &source));
          RETURN_IF_ERROR(writes.PublishStatusChanged(source, previous));

          ASSIGN_OR_RETURN(
              v1::TicketHistoryEntry target_note,
              AddSystemComment(
                  deps_, writes, target_id,
                  v1::COMMENT_VISIBILITY_INTERNAL_NOTE,
                  absl::StrCat(source.name(),
                               " was merged into this ticket; its public "
                               "replies are copied here.")));
          target_entries.push_back(std::move(target_note));
          v1::TicketHistoryEntry merged_from =
              writes.Entry(v1::TICKET_HISTORY_KIND_MERGED_FROM);
          merged_from.set_related(source.name());
          target_entries.push_back(std::move(merged_from));

          events::v1::Event event;
          auto* payload = event.mutable_tickets_merged();
          payload->set_target(target.name());
          payload->set_source(source.name());
          payload->set_account(target.account());
          payload->set_source_account(source.account());
          RETURN_IF_ERROR(writes.Publish(target.name(), std::move(event)));
        }
        if (!target_entries.empty()) {
          RETURN_IF_ERROR(
              writes.Save(target_entries, /*reselect=*/false, &target));
        }
        *response.mutable_target() = target;
        MentionTicket(target, write);
        for (v1::Ticket& source : sources) {
          MentionTicket(source, write);
          *response.add_sources() = std::move(source);
        }
        return absl::OkStatus();
      }));
  return response;
}

}  // namespace clientele::ticketing
