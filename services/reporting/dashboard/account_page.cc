#include "services/reporting/dashboard/account_page.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "clientele/events/v1/engagement_events.pb.h"
#include "clientele/events/v1/ticketing_events.pb.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "common/proto_time.h"
#include "services/reporting/dashboard/escaping.h"
#include "services/reporting/dashboard/format.h"
#include "services/reporting/dashboard/html_page.h"
#include "services/reporting/dashboard/links.h"
#include "services/reporting/dashboard/svg_chart.h"

namespace clientele::reporting::dashboard {
namespace {

std::string Day(int64_t days_since_epoch) {
  const absl::CivilDay day = absl::CivilDay(1970, 1, 1) + days_since_epoch;
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::string OptionalDay(const std::optional<int64_t>& day) {
  return day.has_value() ? Day(*day) : "-";
}

std::string OptionalTime(const std::optional<int64_t>& us) {
  return us.has_value() ? FormatTimeUs(*us) : "-";
}

std::string Seconds(const std::optional<int64_t>& seconds) {
  if (!seconds.has_value()) return "-";
  google::protobuf::Duration duration;
  duration.set_seconds(*seconds);
  return FormatDuration(duration);
}

std::string Money(const std::string& currency, int64_t minor) {
  type::v1::Money money;
  money.set_currency_code(currency);
  money.set_amount_minor_units(minor);
  return FormatMoney(money);
}

// "Showing 100 of 340." when the list was cut.
std::string Shown(size_t shown, int64_t total) {
  if (static_cast<int64_t>(shown) >= total) return "";
  return Note(absl::StrCat("The newest ", shown, " of ", FormatCount(total),
                           " are shown."));
}

std::string Profile(const AccountRecord& r) {
  std::vector<std::vector<TableCell>> rows = {
      {Text("Kind"),
       Text(EnumLabel(type::v1::AccountKind_descriptor(), r.kind))},
      {Text("Segment"), Text(SegmentLabel(r.segment))},
      {Text("Tier"), Text(TierLabel(r.tier))},
      {Text("Owner"), Text(r.owner.empty() ? "-" : r.owner)},
      {Text("Account manager"),
       Text(r.account_manager.empty() ? "-" : r.account_manager)},
      {Text("Declared mode"),
       Text(EnumLabel(type::v1::RelationshipMode_descriptor(), r.declared_mode,
                      "None (inferred)"))},
      {Text("Acquired"), Text(Day(r.acquisition_day))},
      {Text("Commercial model"),
       Text(EnumLabel(type::v1::CommercialModel_descriptor(),
                      r.commercial_model))},
      {Text("Billing cycle"),
       Text(EnumLabel(type::v1::BillingCycle_descriptor(), r.billing_cycle))},
      {Text("Recurring amount"),
       Text(r.recurring_minor != 0
                ? Money(r.recurring_currency, r.recurring_minor)
                : "-")},
      {Text("Contract"),
       Text(absl::StrCat(OptionalDay(r.contract_start_day), " to ",
                         OptionalDay(r.contract_end_day)))},
  };
  return Table({}, rows);
}

// The component's name in words.
std::string ComponentName(engagement::v1::ScoreComponentKind kind) {
  switch (kind) {
    case engagement::v1::SCORE_COMPONENT_KIND_RECENCY:
      return "Recency";
    case engagement::v1::SCORE_COMPONENT_KIND_FREQUENCY:
      return "Frequency";
    case engagement::v1::SCORE_COMPONENT_KIND_MONETARY:
      return "Spend";
    case engagement::v1::SCORE_COMPONENT_KIND_TENURE:
      return "Tenure";
    case engagement::v1::SCORE_COMPONENT_KIND_CONTRACT_RENEWAL:
      return "Contract renewal";
    case engagement::v1::SCORE_COMPONENT_KIND_CONTACT_DEPTH:
      return "Contact depth";
    case engagement::v1::SCORE_COMPONENT_KIND_PERSONALIZATION:
      return "Personalization";
    case engagement::v1::SCORE_COMPONENT_KIND_SILENCE:
      return "Silence against its rhythm";
    case engagement::v1::SCORE_COMPONENT_KIND_SUPPORT_SATISFACTION:
      return "Support satisfaction";
    case engagement::v1::SCORE_COMPONENT_KIND_SUPPORT_SLA:
      return "Support SLA breaches";
    case engagement::v1::SCORE_COMPONENT_KIND_SUPPORT_BACKLOG:
      return "Open support backlog";
    default:
      return EnumLabel(engagement::v1::ScoreComponentKind_descriptor(), kind,
                       "Unknown component");
  }
}

// "<strong>80</strong> / 100 · Strong · Client · trend +3".
std::string Headline(int score, int band, int mode, int trend_delta) {
  return absl::StrCat("<p><strong>", score, "</strong> / 100 &middot; ",
                      HtmlEscape(BandLabel(band)), " &middot; ",
                      HtmlEscape(ModeLabel(mode)), " &middot; trend ",
                      trend_delta > 0 ? "+" : "", trend_delta, "</p>\n");
}

std::string Reasons(const std::vector<std::string>& reasons) {
  if (reasons.empty()) return "";
  std::string out = "<ul class=\"reasons\">";
  for (const std::string& reason : reasons) {
    absl::StrAppend(&out, "<li>", HtmlEscape(reason), "</li>");
  }
  return absl::StrCat(out, "</ul>\n");
}

// Engagement's current score: its headline, its reasons (engagement's
// sentences, each naming its component and points), and each component's
// weight, value and points, as a chart and a table.
std::string LiveScore(const engagement::v1::RelationshipScore& s) {
  std::string out = Headline(s.score(), s.band(), s.mode_assessment().mode(),
                             s.trend().delta());
  std::string source = "Live from engagement";
  if (s.has_as_of_time()) {
    absl::StrAppend(&source, ", as of ",
                    FormatTimeUs(ToMicros(ToTime(s.as_of_time()))));
  }
  absl::StrAppend(&source, ".");
  if (s.provisional()) {
    absl::StrAppend(&source,
                    " Provisional: too few interactions yet to trust it.");
  }
  out += Note(source);
  std::vector<std::string> reasons;
  reasons.reserve(s.top_reasons_size());
  for (const engagement::v1::ScoreReason& reason : s.top_reasons()) {
    reasons.push_back(reason.summary());
  }
  out += Reasons(reasons);
  if (s.components().empty()) {
    return absl::StrCat(out, Note("Engagement gave no components."));
  }
  BarChart chart;
  chart.title = "Points per component (the score is their sum)";
  std::vector<std::vector<TableCell>> rows;
  rows.reserve(s.components_size());
  for (const engagement::v1::ScoreComponent& c : s.components()) {
    const std::string name = ComponentName(c.kind());
    const std::string points =
        absl::StrCat(FormatDecimal(c.points(), 1), " of ",
                     FormatDecimal(c.weight() * 100, 1));
    chart.items.push_back({name, c.points(), points, ""});
    rows.push_back({Text(name), Number(FormatPercent(c.weight())),
                    Number(FormatDecimal(c.value(), 2)), Number(points),
                    Text(c.observation())});
  }
  absl::StrAppend(&out, "<h3>Components</h3>\n<div class=\"components\">",
                  HorizontalBarChart(chart),
                  Table({"Component", "Weight", "Value (0-1)",
                         "Points (weight x value x 100)", "Observed"},
                        rows),
                  "</div>\n");
  return out;
}

std::string Score(
    const AccountRecord& r,
    const absl::StatusOr<engagement::v1::RelationshipScore>* live) {
  std::string out;
  if (live != nullptr && live->ok()) {
    out = LiveScore(**live);
  } else {
    if (live != nullptr) out = Note(kComponentsUnavailable);
    if (r.scores.empty()) return absl::StrCat(out, Note("Not scored yet."));
    const AccountRecord::Score& current = r.scores.front();
    if (r.scored_now) {
      absl::StrAppend(&out,
                      Headline(current.score, current.band, current.mode,
                               current.trend_delta),
                      Reasons(current.reasons));
    }
  }
  if (r.scores.empty()) return out;
  std::vector<std::vector<TableCell>> rows;
  rows.reserve(r.scores.size());
  for (const AccountRecord::Score& score : r.scores) {
    rows.push_back({Text(FormatTimeUs(score.from_us)),
                    Number(absl::StrCat(score.score)),
                    Text(BandLabel(score.band)), Text(ModeLabel(score.mode)),
                    Number(absl::StrCat(score.trend_delta)),
                    Text(absl::StrJoin(score.reasons, "; "))});
  }
  absl::StrAppend(
      &out, "<h3>Score history</h3>\n",
      Table({"Since", "Score", "Band", "Mode", "Trend", "Reasons"}, rows));
  return out;
}

std::string Timeline(const AccountRecord& r) {
  if (r.timeline.empty()) return Note("No interactions.");
  std::vector<std::vector<TableCell>> rows;
  for (const AccountRecord::Interaction& i : r.timeline) {
    rows.push_back(
        {Text(FormatTimeUs(i.occur_us)),
         Text(EnumLabel(events::v1::InteractionKind_descriptor(), i.kind)),
         Number(i.currency.empty() ? "" : Money(i.currency, i.amount_minor)),
         Text(i.staff_user.empty() ? "-" : i.staff_user),
         Text(i.personalized ? "personalized" : "")});
  }
  return absl::StrCat(Table({"Time", "Kind", "Amount", "Staff", ""}, rows),
                      Shown(r.timeline.size(), r.interaction_count));
}

std::string Deals(const AccountRecord& r) {
  if (r.deals.empty()) return Note("No deals.");
  std::vector<std::vector<TableCell>> rows;
  for (const AccountRecord::Deal& d : r.deals) {
    rows.push_back(
        {Text(d.id), Text(EnumLabel(events::v1::DealKind_descriptor(), d.kind)),
         Text(EnumLabel(events::v1::DealStage_descriptor(), d.stage)),
         Number(Money(d.currency, d.amount_minor)),
         Number(FormatPercent(d.probability)),
         Text(OptionalDay(d.expected_close_day)),
         Text(OptionalDay(d.close_day)), Text(d.owner)});
  }
  return Table({"Deal", "Kind", "Stage", "Amount", "Probability",
                "Expected close", "Closed", "Owner"},
               rows);
}

std::string Orders(const AccountRecord& r) {
  if (r.orders.empty()) return Note("No orders.");
  std::vector<std::vector<TableCell>> rows;
  for (const AccountRecord::Order& o : r.orders) {
    rows.push_back(
        {Text(o.id),
         Text(EnumLabel(events::v1::OrderStatus_descriptor(), o.status)),
         Number(Money(o.currency, o.total_minor)),
         Text(absl::StrReplaceAll(o.items, {{"\n", "; "}})),
         Text(FormatTimeUs(o.place_us)), Text(OptionalTime(o.fulfil_us)),
         Text(OptionalTime(o.cancel_us))});
  }
  return absl::StrCat(Table({"Order", "Status", "Total", "Items", "Placed",
                             "Fulfilled", "Cancelled"},
                            rows),
                      Shown(r.orders.size(), r.order_count));
}

std::string Tickets(const AccountRecord& r) {
  if (r.tickets.empty()) return Note("No tickets.");
  std::vector<std::vector<TableCell>> rows;
  for (const AccountRecord::Ticket& t : r.tickets) {
    rows.push_back({Text(t.id),
                    Text(EnumLabel(events::v1::TicketStatus_descriptor(),
                                   t.status, "Unknown")),
                    Text(t.assignee.empty() ? "-" : t.assignee),
                    Text(FormatTimeUs(t.create_us)),
                    Number(Seconds(t.first_response_s)),
                    Number(Seconds(t.resolution_s))});
  }
  return absl::StrCat(Table({"Ticket", "Status", "Assignee", "Created",
                             "First response", "Resolution"},
                            rows),
                      Shown(r.tickets.size(), r.ticket_count));
}

}  // namespace

std::string AccountBody(
    const AccountRecord& record,
    const absl::StatusOr<engagement::v1::RelationshipScore>* live,
    const AccountLabels& labels) {
  std::string body;
  if (labels.Label(record.id) != record.id) {
    // The heading names the account: its id, the stable key, goes below.
    body = Note(absl::StrCat("Account ", record.id));
  }
  body += "<p><a href=\"/\">Back to the dashboard</a></p>\n";
  if (record.state == 2) {
    absl::StrAppend(&body, "<p>Merged into ",
                    labels.LinkHtml(record.merged_into), ".</p>\n");
  }
  absl::StrAppend(
      &body, Section("profile", "Account", {}, Profile(record)),
      Section("score", "Relationship score", {}, Score(record, live)),
      Section("timeline", "Timeline", {}, Timeline(record)),
      Section("deals", "Deals", {}, Deals(record)),
      Section("orders", "Orders", {}, Orders(record)),
      Section("tickets", "Tickets", {}, Tickets(record)));
  return body;
}

}  // namespace clientele::reporting::dashboard
