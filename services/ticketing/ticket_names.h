// Resource names and types the ticket part of ticketing reads and writes.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKET_NAMES_H_
#define CLIENTELE_SERVICES_TICKETING_TICKET_NAMES_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace clientele::ticketing {

inline constexpr absl::string_view kTickets = "tickets";
inline constexpr absl::string_view kAccounts = "accounts";
inline constexpr absl::string_view kContacts = "contacts";
inline constexpr absl::string_view kComments = "comments";

// google.rpc.ResourceInfo.resource_type of NOT_FOUND answers.
inline constexpr absl::string_view kTicketType =
    "clientele.ticketing.v1.Ticket";
inline constexpr absl::string_view kAccountType =
    "clientele.contacts.v1.Account";
inline constexpr absl::string_view kContactType =
    "clientele.contacts.v1.Contact";

// The actor of changes nobody asked for (the requester linker, merges of
// accounts in contacts).
inline constexpr absl::string_view kSystemActor = "system";

inline std::string TicketName(absl::string_view id) {
  return absl::StrCat(kTickets, "/", id);
}
inline std::string AccountName(absl::string_view id) {
  return absl::StrCat(kAccounts, "/", id);
}
inline std::string ContactName(absl::string_view id) {
  return absl::StrCat(kContacts, "/", id);
}
inline std::string CommentName(absl::string_view ticket_id,
                               absl::string_view comment_id) {
  return absl::StrCat(kTickets, "/", ticket_id, "/", kComments, "/",
                      comment_id);
}

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKET_NAMES_H_
