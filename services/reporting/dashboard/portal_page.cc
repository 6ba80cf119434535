#include "services/reporting/dashboard/portal_page.h"

#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clientele/events/v1/engagement_events.pb.h"
#include "clientele/events/v1/ticketing_events.pb.h"
#include "clientele/type/v1/money.pb.h"
#include "services/reporting/dashboard/escaping.h"
#include "services/reporting/dashboard/format.h"
#include "services/reporting/dashboard/html_page.h"
#include "services/reporting/dashboard/links.h"

namespace clientele::reporting::dashboard {
namespace {

constexpr absl::string_view kPortalStyle = R"css(
header span{font-weight:bold}
p.meta{color:#555;font-size:.9em}
)css";

// ---- words for a client ------------------------------------------------

std::string TicketStatusWords(int status) {
  switch (status) {
    case events::v1::TICKET_STATUS_OPEN:
      return "In progress";
    case events::v1::TICKET_STATUS_PENDING:
      return "Waiting for your reply";
    case events::v1::TICKET_STATUS_ON_HOLD:
      return "On hold";
    case events::v1::TICKET_STATUS_SOLVED:
      return "Solved";
    case events::v1::TICKET_STATUS_CLOSED:
      return "Closed";
    default:  // NEW, or not known yet
      return "Received";
  }
}

std::string OrderStatusWords(int status) {
  switch (status) {
    case events::v1::ORDER_STATUS_IN_PROGRESS:
      return "In progress";
    case events::v1::ORDER_STATUS_FULFILLED:
      return "Completed";
    case events::v1::ORDER_STATUS_CANCELLED:
      return "Cancelled";
    default:
      return "Placed";
  }
}

std::string DealStageWords(int stage) {
  switch (stage) {
    case events::v1::DEAL_STAGE_PROPOSAL:
      return "Proposal sent";
    case events::v1::DEAL_STAGE_NEGOTIATION:
      return "In negotiation";
    case events::v1::DEAL_STAGE_WON:
      return "Agreed";
    case events::v1::DEAL_STAGE_LOST:
      return "Not going ahead";
    default:
      return "In preparation";
  }
}

std::string DealKindWords(int kind) {
  switch (kind) {
    case events::v1::DEAL_KIND_ONE_OFF_SALE:
      return "One-off purchase";
    case events::v1::DEAL_KIND_SUBSCRIPTION:
      return "Subscription";
    case events::v1::DEAL_KIND_RETAINER:
      return "Retainer";
    default:
      return "-";
  }
}

// ---- formats -----------------------------------------------------------

std::string DateUs(int64_t us) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMicros(us),
                          absl::UTCTimeZone());
}

std::string DateOfDay(const std::optional<int64_t>& day) {
  if (!day.has_value()) return "-";
  const absl::CivilDay civil = absl::CivilDay(1970, 1, 1) + *day;
  return absl::StrFormat("%04d-%02d-%02d", civil.year(), civil.month(),
                         civil.day());
}

std::string Money(const std::string& currency, int64_t minor) {
  type::v1::Money money;
  money.set_currency_code(currency);
  money.set_amount_minor_units(minor);
  return FormatMoney(money);
}

// A <time> element: `text` for people, RFC 3339 for machines.
std::string TimeElement(absl::string_view id, int64_t us,
                        absl::string_view text) {
  const std::string id_attribute =
      id.empty() ? "" : absl::StrCat(" id=\"", HtmlEscape(id), "\"");
  return absl::StrCat("<time", id_attribute, " datetime=\"", Rfc3339Us(us),
                      "\">", HtmlEscape(text), "</time>");
}

// ---- sections ----------------------------------------------------------

std::string OpenTickets(const PortalRecord& r) {
  if (r.open_tickets.empty()) return Note("No open tickets.");
  std::vector<std::vector<TableCell>> rows;
  rows.reserve(r.open_tickets.size());
  for (const PortalRecord::Ticket& t : r.open_tickets) {
    rows.push_back({Text(t.id), Text(TicketStatusWords(t.status)),
                    Text(DateUs(t.create_us)), Text(DateUs(t.update_us))});
  }
  return Table({"Ticket", "Status", "Opened", "Last update"}, rows);
}

std::string SolvedTickets(const PortalRecord& r) {
  if (r.solved_tickets.empty()) {
    return Note(absl::StrCat("No tickets solved in the last ",
                             kPortalSolvedDays, " days."));
  }
  std::vector<std::vector<TableCell>> rows;
  rows.reserve(r.solved_tickets.size());
  for (const PortalRecord::Ticket& t : r.solved_tickets) {
    rows.push_back({Text(t.id), Text(TicketStatusWords(t.status)),
                    Text(DateUs(t.create_us)),
                    Text(t.solve_us.has_value() ? DateUs(*t.solve_us) : "-")});
  }
  return Table({"Ticket", "Status", "Opened", "Solved"}, rows);
}

std::string Orders(const PortalRecord& r) {
  if (r.orders.empty()) return Note("No orders.");
  std::vector<std::vector<TableCell>> rows;
  rows.reserve(r.orders.size());
  for (const PortalRecord::Order& o : r.orders) {
    rows.push_back({Text(DateUs(o.place_us)), Text(OrderStatusWords(o.status)),
                    Number(Money(o.currency, o.total_minor)),
                    Number(FormatCount(o.item_count))});
  }
  return Table({"Placed", "Status", "Total", "Items"}, rows);
}

std::string Deals(const PortalRecord& r) {
  if (r.deals.empty()) return Note("No proposals.");
  std::vector<std::vector<TableCell>> rows;
  rows.reserve(r.deals.size());
  for (const PortalRecord::Deal& d : r.deals) {
    const bool closed = d.stage == events::v1::DEAL_STAGE_WON ||
                        d.stage == events::v1::DEAL_STAGE_LOST;
    rows.push_back({Text(DealKindWords(d.kind)), Text(DealStageWords(d.stage)),
                    Number(Money(d.currency, d.amount_minor)),
                    Text(closed ? "-" : DateOfDay(d.expected_close_day)),
                    Text(closed ? DateOfDay(d.close_day) : "-")});
  }
  return Table({"What", "Stage", "Amount", "Expected decision", "Decided"},
               rows);
}

std::string Meetings(const PortalRecord& r) {
  if (r.meeting_us.empty()) return Note("No meetings planned.");
  std::string out = "<ul class=\"meetings\">";
  for (const int64_t us : r.meeting_us) {
    absl::StrAppend(&out, "<li>", TimeElement("", us, FormatTimeUs(us)),
                    "</li>");
  }
  out += "</ul>\n";
  return out;
}

// The portal's frame: the dashboard's style, a header naming the portal and
// nothing to click.
std::string PortalFrame(absl::string_view title, const std::string& body) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>",
      HtmlEscape(title), " - Client portal</title>\n<style>", PageStyle(),
      kPortalStyle,
      "</style></head>\n<body>\n<header><span>Client portal</span></header>\n"
      "<main>\n<h1>",
      HtmlEscape(title), "</h1>\n", body, "</main>\n</body></html>\n");
}

}  // namespace

std::string PortalDocument(const PortalRecord& record, int64_t now_us,
                           int64_t expire_us) {
  const std::string meta = absl::StrCat(
      "<p class=\"meta\">Account reference ", HtmlEscape(record.account_id),
      " &middot; as of ",
      TimeElement("portal-as-of", now_us, FormatTimeUs(now_us)),
      " &middot; this link works until ",
      TimeElement("portal-expiry", expire_us, FormatTimeUs(expire_us)),
      "</p>\n");
  return PortalFrame(
      "Your account",
      absl::StrCat(
          meta,
          Section("open-tickets", "Open tickets", {}, OpenTickets(record)),
          Section("solved-tickets", "Recently solved tickets", {},
                  SolvedTickets(record)),
          Section("orders", "Orders", {}, Orders(record)),
          Section("proposals", "Proposals and agreements", {}, Deals(record)),
          Section("meetings", "Upcoming meetings", {}, Meetings(record))));
}

std::string PortalMessageDocument(absl::string_view message) {
  return PortalFrame(
      "Client portal",
      absl::StrCat("<p class=\"error\">", HtmlEscape(message), "</p>\n"));
}

std::string PortalLinkSection(absl::string_view account_id,
                              PortalLinkAccess access) {
  std::string content;
  switch (access) {
    case PortalLinkAccess::kNotConfigured:
      content = Note(
          "Client portal links are not configured: the reporting process "
          "runs without --portal_secret_file.");
      break;
    case PortalLinkAccess::kNotAllowed:
      content =
          Note("Only managers and admins can create client portal links.");
      break;
    case PortalLinkAccess::kAllowed:
      content = absl::StrCat(
          "<form method=\"post\" id=\"portal-link-form\" action=\"",
          HtmlEscape(Links::PortalLink(account_id)),
          "\">\n<label>Valid for <input type=\"number\" name=\"days\" "
          "min=\"1\" max=\"90\" value=\"30\" required> days</label>\n"
          "<button type=\"submit\">Create client portal link</button>\n"
          "</form>\n",
          Note("The link shows the client this account's open and recently "
               "solved tickets, orders, proposals and upcoming meetings, and "
               "nothing internal, until it expires."));
      break;
  }
  return Section("portal", "Client portal", {}, content);
}

std::string PortalLinkBody(absl::string_view account_id, absl::string_view url,
                           int64_t expire_us) {
  return absl::StrCat(
      "<p>", Link(Links::Account(account_id), "Back to the account"), "</p>\n",
      Section(
          "portal-link-section", "Client portal link", {},
          absl::StrCat(
              "<p>Send this link to the client:</p>\n<p><a id=\"portal-link\" "
              "href=\"",
              HtmlEscape(url), "\">", HtmlEscape(url), "</a></p>\n",
              "<p>It works until ",
              TimeElement("portal-link-expiry", expire_us,
                          FormatTimeUs(expire_us)),
              ".</p>\n",
              Note("Anyone holding the link can open the page without "
                   "logging in, so send it only to the client. A link cannot "
                   "be withdrawn before it expires, except by replacing the "
                   "portal secret, which ends every link."))));
}

}  // namespace clientele::reporting::dashboard
