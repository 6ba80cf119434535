// The client portal as its two users see it, over real HTTP: a manager
// creates a link on the dashboard, a client opens it with no login. The
// read model is fed events as production feeds it. Time is the fixture's
// FakeClock, 2026-01-01T00:00Z.
//
//   acme p1 (the portal's account): score 85 STRONG "Retainer renewed",
//     owner u-owner, manager u-mia (none of which the client may see)
//     tickets  pt1 OPEN (assignee u-agent-zoe) created 2025-12-20
//              pt4 PENDING created 2025-12-28
//              pt2 solved 2025-12-10 (in the last 90 days: shown)
//              pt3 solved 2025-08-01 (more than 90 days ago: not shown)
//     order    po1 placed 2025-12-01: 2 x Espresso beans, 25.00 EUR
//     deals    pd1 PROPOSAL 12,345.00 EUR, probability 35%, expected
//              2026-02-15; pd2 QUALIFYING 77,777.00 EUR (not sent: not
//              shown); pd3 WON 4,000.00 EUR
//     follow-ups  pf1 MEETING due 2026-01-15 10:00 (shown);
//              pf2 MEETING due 2025-12-15 (past); pf3 CALL due 2026-01-20;
//              pf4 MEETING due 2026-01-22, cancelled
//   acme p2: ticket "other-ticket", a 55,555.00 EUR proposal
//   globex p1 (the same id, another tenant): ticket "globex-ticket", a
//     66,666.00 EUR proposal, a meeting due 2026-01-09 09:30
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "services/reporting/dashboard/dashboard_server.h"
#include "services/reporting/dashboard/portal_token.h"
#include "services/reporting/reporting_service_fixture_for_test.h"

namespace clientele::reporting::dashboard {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kAdmin[] = "portal-acme-admin";
constexpr char kManager[] = "portal-acme-manager";
constexpr char kAgent[] = "portal-acme-agent";
constexpr char kViewer[] = "portal-acme-viewer";
constexpr char kGlobexAdmin[] = "portal-globex-admin";
constexpr char kSecret[] = "portal-test-secret-of-at-least-32-bytes";

constexpr char kPortalCsp[] =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; form-action 'none'; base-uri 'none'";
constexpr char kNotValid[] = "This link is not valid.";
constexpr char kExpired[] =
    "This link has expired, ask your account manager for a new one.";

using testing::AccountCreated;
using testing::DealCreated;
using testing::DealWon;
using testing::FollowUpCreated;
using testing::FollowUpUpdated;
using testing::ScoreChanged;
using testing::TicketCreated;
using testing::TicketSolved;
using testing::Utc;

class PortalTest : public testing::ReportingServiceFixture {
 protected:
  void SetUp() override {
    ReportingServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    FeedPortalData();
    auto auth = clientele::testing::AuthenticatorForTest(
        {{kAdmin, "acme", "admin"},
         {kManager, "acme", "manager"},
         {kAgent, "acme", "agent"},
         {kViewer, "acme", "viewer"},
         {kGlobexAdmin, "globex", "admin"}});
    ASSERT_TRUE(auth.ok()) << auth.status();
    dashboard_auth_ = *std::move(auth);
    auto tokens = PortalTokens::FromSecret(kSecret);
    ASSERT_TRUE(tokens.ok()) << tokens.status();
    tokens_ = *std::move(tokens);
    dashboard_ = StartDashboard(tokens_.get());
    ASSERT_NE(dashboard_, nullptr);
    client_ =
        std::make_unique<httplib::Client>("127.0.0.1", dashboard_->port());
    client_->set_read_timeout(60, 0);
  }

  void TearDown() override {
    if (dashboard_ != nullptr) dashboard_->Stop();
    ReportingServiceFixture::TearDown();
  }

  std::unique_ptr<DashboardServer> StartDashboard(const PortalTokens* tokens) {
    DashboardDeps deps;
    deps.reports = service_.get();
    deps.database = database();
    deps.authenticator = dashboard_auth_.get();
    deps.clock = &clock_;
    deps.portal_tokens = tokens;
    auto dashboard = DashboardServer::Start(DashboardOptions(), deps);
    EXPECT_TRUE(dashboard.ok()) << dashboard.status();
    return dashboard.ok() ? *std::move(dashboard) : nullptr;
  }

  void FeedPortalData() {
    const absl::Time created = Utc(2025, 6, 1);
    Apply("contacts", AccountCreated({.id = "p1",
                                      .time = created,
                                      .owner = "u-owner",
                                      .account_manager = "u-mia"}));
    Apply("contacts", AccountCreated({.id = "p2", .time = created}));
    Apply("contacts",
          AccountCreated({.tenant = "globex", .id = "p1", .time = created}));
    Apply("engagement",
          ScoreChanged({.account = "p1",
                        .time = Utc(2025, 12, 1),
                        .mode = type::v1::RELATIONSHIP_MODE_CLIENT,
                        .score = 85,
                        .band = type::v1::SCORE_BAND_STRONG,
                        .reasons = {"Retainer renewed"}}));

    Apply("ticketing", TicketCreated({.id = "pt1",
                                      .account = "p1",
                                      .time = Utc(2025, 12, 20),
                                      .status = events::v1::TICKET_STATUS_OPEN,
                                      .assignee = "u-agent-zoe"}));
    Apply("ticketing",
          TicketCreated({.id = "pt4",
                         .account = "p1",
                         .time = Utc(2025, 12, 28),
                         .status = events::v1::TICKET_STATUS_PENDING}));
    for (const auto& [id, opened, solved] :
         {std::tuple{"pt2", Utc(2025, 12, 8), Utc(2025, 12, 10)},
          std::tuple{"pt3", Utc(2025, 7, 30), Utc(2025, 8, 1)}}) {
      Apply("ticketing",
            TicketCreated({.id = id, .account = "p1", .time = opened}));
      Apply("ticketing", TicketSolved({.id = id,
                                       .account = "p1",
                                       .time = solved,
                                       .create_time = opened},
                                      {.resolution = solved - opened}));
    }
    Apply("engagement",
          testing::OrderEvent("placed", "po1", "p1", Utc(2025, 12, 1)));

    Apply("engagement",
          DealCreated({.id = "pd1",
                       .account = "p1",
                       .time = Utc(2025, 12, 5),
                       .stage = events::v1::DEAL_STAGE_PROPOSAL,
                       .amount = 1234500,
                       .probability = 0.35,
                       .expected_close = absl::CivilDay(2026, 2, 15),
                       .owner = "u-owner"}));
    Apply("engagement", DealCreated({.id = "pd2",
                                     .account = "p1",
                                     .time = Utc(2025, 12, 6),
                                     .stage = events::v1::DEAL_STAGE_QUALIFYING,
                                     .amount = 7777700}));
    Apply("engagement", DealWon({.id = "pd3",
                                 .account = "p1",
                                 .time = Utc(2025, 11, 20),
                                 .kind = events::v1::DEAL_KIND_RETAINER,
                                 .amount = 400000}));

    using events::v1::FOLLOW_UP_KIND_CALL;
    using events::v1::FOLLOW_UP_KIND_MEETING;
    const absl::Time asked = Utc(2025, 12, 1);
    Apply("engagement", FollowUpCreated({.id = "pf1",
                                         .account = "p1",
                                         .time = asked,
                                         .due = Utc(2026, 1, 15, 10, 0),
                                         .kind = FOLLOW_UP_KIND_MEETING}));
    Apply("engagement", FollowUpCreated({.id = "pf2",
                                         .account = "p1",
                                         .time = asked,
                                         .due = Utc(2025, 12, 15, 11, 0),
                                         .kind = FOLLOW_UP_KIND_MEETING}));
    Apply("engagement", FollowUpCreated({.id = "pf3",
                                         .account = "p1",
                                         .time = asked,
                                         .due = Utc(2026, 1, 20, 12, 0),
                                         .kind = FOLLOW_UP_KIND_CALL}));
    testing::FollowUpFields pf4{.id = "pf4",
                                .account = "p1",
                                .time = asked,
                                .due = Utc(2026, 1, 22, 13, 0),
                                .kind = FOLLOW_UP_KIND_MEETING};
    Apply("engagement", FollowUpCreated(pf4));
    pf4.time = Utc(2025, 12, 2);
    pf4.state = events::v1::FOLLOW_UP_STATE_CANCELLED;
    Apply("engagement", FollowUpUpdated(pf4));

    // What must never show on acme p1's page.
    Apply("ticketing", TicketCreated({.id = "other-ticket",
                                      .account = "p2",
                                      .time = Utc(2025, 12, 21)}));
    Apply("engagement", DealCreated({.id = "other-deal",
                                     .account = "p2",
                                     .time = Utc(2025, 12, 5),
                                     .stage = events::v1::DEAL_STAGE_PROPOSAL,
                                     .amount = 5555500}));
    Apply("ticketing", TicketCreated({.tenant = "globex",
                                      .id = "globex-ticket",
                                      .account = "p1",
                                      .time = Utc(2025, 12, 22)}));
    Apply("engagement", DealCreated({.tenant = "globex",
                                     .id = "globex-deal",
                                     .account = "p1",
                                     .time = Utc(2025, 12, 5),
                                     .stage = events::v1::DEAL_STAGE_PROPOSAL,
                                     .amount = 6666600}));
    Apply("engagement", FollowUpCreated({.tenant = "globex",
                                         .id = "globex-meeting",
                                         .account = "p1",
                                         .time = asked,
                                         .due = Utc(2026, 1, 9, 9, 30),
                                         .kind = FOLLOW_UP_KIND_MEETING}));
  }

  // POST the portal-link form of `account` as `token`'s user.
  httplib::Result CreateLink(const std::string& account,
                             const std::string& token,
                             const std::string& form = "days=30") {
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return client_->Post(absl::StrCat("/accounts/", account, "/portal-link"),
                         headers, form, "application/x-www-form-urlencoded");
  }

  // The path of the link a created-link page shows ("" and a test failure
  // when there is none).
  static std::string LinkPath(const std::string& html) {
    const std::string anchor = "<a id=\"portal-link\" href=\"";
    const size_t start = html.find(anchor);
    EXPECT_NE(start, std::string::npos) << html;
    if (start == std::string::npos) return "";
    const size_t end = html.find('"', start + anchor.size());
    const std::string url =
        html.substr(start + anchor.size(), end - start - anchor.size());
    const size_t path = url.find("/portal/");
    EXPECT_NE(path, std::string::npos) << url;
    return path == std::string::npos ? "" : url.substr(path);
  }

  // A link to `account` made by `token`'s user.
  std::string LinkFor(const std::string& account,
                      const std::string& token = kManager,
                      const std::string& form = "days=30") {
    httplib::Result page = CreateLink(account, token, form);
    EXPECT_TRUE(page);
    if (!page) return "";
    EXPECT_EQ(page->status, 200) << page->body;
    return LinkPath(page->body);
  }

  // GET `path` as a client: no authorization, no cookie.
  httplib::Result Open(const std::string& path) { return client_->Get(path); }

  static void ExpectPortalHeaders(const httplib::Response& res) {
    EXPECT_EQ(res.get_header_value("Content-Security-Policy"), kPortalCsp);
    EXPECT_EQ(res.get_header_value_count("Content-Security-Policy"), 1u);
    EXPECT_EQ(res.get_header_value("Cache-Control"), "no-store");
    EXPECT_EQ(res.get_header_value_count("Cache-Control"), 1u);
    EXPECT_EQ(res.get_header_value("Referrer-Policy"), "no-referrer");
    EXPECT_THAT(res.get_header_value("X-Robots-Tag"), HasSubstr("noindex"));
  }

  std::unique_ptr<TokenAuthenticator> dashboard_auth_;
  std::unique_ptr<PortalTokens> tokens_;
  std::unique_ptr<DashboardServer> dashboard_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(PortalTest, AManagersLinkShowsTheClientTheirOwnEngagement) {
  httplib::Result created = CreateLink("p1", kManager);
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 200) << created->body;
  EXPECT_THAT(
      created->body,
      AllOf(HasSubstr(absl::StrCat("<a id=\"portal-link\" href=\"http://"
                                   "127.0.0.1:",
                                   dashboard_->port(), "/portal/")),
            HasSubstr("<time id=\"portal-link-expiry\" "
                      "datetime=\"2026-01-31T00:00:00Z\">"
                      "2026-01-31 00:00 UTC</time>")));
  const std::string path = LinkPath(created->body);

  httplib::Result page = Open(path);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  ExpectPortalHeaders(*page);
  const std::string& html = page->body;
  // Open tickets in words, with their dates; the recently solved one.
  EXPECT_THAT(html, HasSubstr("<td>pt1</td><td>In progress</td>"
                              "<td>2025-12-20</td><td>2025-12-20</td>"));
  EXPECT_THAT(html, HasSubstr("<td>pt4</td><td>Waiting for your reply</td>"));
  EXPECT_THAT(html, HasSubstr("<td>pt2</td><td>Solved</td>"
                              "<td>2025-12-08</td><td>2025-12-10</td>"));
  EXPECT_THAT(html, Not(HasSubstr("pt3")));
  // The order: placed, its total and its 2 items.
  EXPECT_THAT(html,
              HasSubstr("<td>2025-12-01</td><td>Placed</td>"
                        "<td class=\"num\">25.00 EUR</td><td class=\"num\">2"
                        "</td>"));
  // The proposal and the agreed deal; not the deal still being qualified.
  EXPECT_THAT(html, HasSubstr("<td>Proposal sent</td>"
                              "<td class=\"num\">12,345.00 EUR</td>"
                              "<td>2026-02-15</td>"));
  EXPECT_THAT(html, HasSubstr("<td>Retainer</td><td>Agreed</td>"
                              "<td class=\"num\">4,000.00 EUR</td>"));
  EXPECT_THAT(html, Not(HasSubstr("77,777.00")));
  // The upcoming meeting only: not the past one, the call or the cancelled
  // meeting.
  EXPECT_THAT(html, HasSubstr("2026-01-15 10:00 UTC"));
  for (const char* other : {"2025-12-15 11:00", "2026-01-20", "2026-01-22"}) {
    EXPECT_THAT(html, Not(HasSubstr(other))) << other;
  }
  EXPECT_THAT(html, HasSubstr("2026-01-31 00:00 UTC"));  // the link's expiry
}

TEST_F(PortalTest, ThePortalShowsNothingInternalAndNoOtherAccount) {
  httplib::Result page = Open(LinkFor("p1"));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  const std::string& html = page->body;
  // No score, band, reason or probability; no staff ids.
  for (const char* internal :
       {"Retainer renewed", "Strong", "35.0%", "u-owner", "u-mia",
        "u-agent-zoe", "u-agent", "<strong>85"}) {
    EXPECT_THAT(html, Not(HasSubstr(internal))) << internal;
  }
  const std::string lower = absl::AsciiStrToLower(html);
  for (const char* word : {"score", "band", "risk", "probability", "owner",
                           "assignee", "manager"}) {
    EXPECT_THAT(lower, Not(HasSubstr(word))) << word;
  }
  // Nothing to run, submit or follow into the dashboard.
  for (const char* markup : {"<script", "<form", "<a ", "/accounts", "/login",
                             "/logout", "tenant"}) {
    EXPECT_THAT(html, Not(HasSubstr(markup))) << markup;
  }
  // Not acme's other account, nor globex's account of the same id.
  for (const char* other : {"other-ticket", "55,555.00", "globex-ticket",
                            "66,666.00", "2026-01-09"}) {
    EXPECT_THAT(html, Not(HasSubstr(other))) << other;
  }
}

TEST_F(PortalTest, AnotherTenantsLinkShowsOnlyThatTenantsAccount) {
  httplib::Result page = Open(LinkFor("p1", kGlobexAdmin));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, AllOf(HasSubstr("<td>globex-ticket</td>"),
                                HasSubstr("66,666.00 EUR"),
                                HasSubstr("2026-01-09 09:30 UTC")));
  for (const char* acme : {"pt1", "pt2", "pt4", "12,345.00", "25.00 EUR",
                           "2026-01-15", "other-ticket"}) {
    EXPECT_THAT(page->body, Not(HasSubstr(acme))) << acme;
  }
  // globex has no account p2: no link for it.
  httplib::Result missing = CreateLink("p2", kGlobexAdmin);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_THAT(missing->body, Not(HasSubstr("portal-link\"")));
}

TEST_F(PortalTest, ATamperedOrForeignLinkIsNotValidAndSaysNothingMore) {
  const std::string path = LinkFor("p1");
  const std::string token = path.substr(std::string("/portal/").size());
  const size_t dot = token.find('.');
  ASSERT_NE(dot, std::string::npos);
  std::string tampered = token;
  tampered[dot - 2] = tampered[dot - 2] == 'A' ? 'B' : 'A';
  std::string bad_signature = token;
  bad_signature.back() = bad_signature.back() == 'A' ? 'Q' : 'A';
  auto other_secret =
      PortalTokens::FromSecret("another-secret-of-at-least-32-bytes!!");
  ASSERT_TRUE(other_secret.ok());
  const std::string foreign =
      (*other_secret)
          ->Issue({"acme", "p1", clock_.Now() + absl::Hours(24)})
          .value_or("");
  ASSERT_FALSE(foreign.empty());
  for (const std::string& bad :
       {tampered, bad_signature, foreign, std::string("nonsense"),
        std::string(""), token.substr(0, dot), std::string(3000, 'A'),
        std::string("%3Cscript%3E.x")}) {
    httplib::Result page = Open(absl::StrCat("/portal/", bad));
    ASSERT_TRUE(page) << bad;
    EXPECT_EQ(page->status, 404) << bad;
    ExpectPortalHeaders(*page);
    EXPECT_THAT(page->body, HasSubstr(kNotValid)) << bad;
    EXPECT_THAT(page->body,
                AllOf(Not(HasSubstr("pt1")), Not(HasSubstr("signature")),
                      Not(HasSubstr("expired")), Not(HasSubstr("<script"))))
        << bad;
  }
  // A link to an account that does not exist is no more telling.
  const std::string made_up =
      tokens_->Issue({"acme", "nobody", clock_.Now() + absl::Hours(24)})
          .value_or("");
  httplib::Result page = Open(absl::StrCat("/portal/", made_up));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 404);
  EXPECT_THAT(page->body, HasSubstr(kNotValid));
}

TEST_F(PortalTest, AnExpiredLinkAnswers410) {
  const std::string month = LinkFor("p1");
  const std::string day = LinkFor("p1", kManager, "days=1");
  clock_.Advance(absl::Hours(23));
  httplib::Result page = Open(day);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  clock_.Advance(absl::Hours(1));
  page = Open(day);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 410);
  ExpectPortalHeaders(*page);
  EXPECT_THAT(page->body, AllOf(HasSubstr(kExpired), Not(HasSubstr("pt1"))));
  page = Open(month);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  clock_.Advance(absl::Hours(24 * 29));
  page = Open(month);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 410);
  EXPECT_THAT(page->body, HasSubstr(kExpired));
}

TEST_F(PortalTest, OnlyManagersAndAdminsCreateLinks) {
  for (const char* token : {kViewer, kAgent}) {
    httplib::Result created = CreateLink("p1", token);
    ASSERT_TRUE(created);
    EXPECT_EQ(created->status, 403) << token;
    EXPECT_THAT(created->body,
                AllOf(HasSubstr("Only managers and admins can create client "
                                "portal links."),
                      Not(HasSubstr("/portal/"))));
    // Their account page says so, without the form.
    httplib::Result account = client_->Get(
        "/accounts/p1", {{"Authorization", absl::StrCat("Bearer ", token)}});
    ASSERT_TRUE(account);
    ASSERT_EQ(account->status, 200);
    EXPECT_THAT(account->body,
                AllOf(HasSubstr("Only managers and admins can create client "
                                "portal links."),
                      Not(HasSubstr("portal-link-form"))));
  }
  httplib::Result account = client_->Get(
      "/accounts/p1", {{"Authorization", absl::StrCat("Bearer ", kAdmin)}});
  ASSERT_TRUE(account);
  ASSERT_EQ(account->status, 200);
  EXPECT_THAT(account->body,
              AllOf(HasSubstr("<form method=\"post\" id=\"portal-link-form\" "
                              "action=\"/accounts/p1/portal-link\">"),
                    HasSubstr("name=\"days\" min=\"1\" max=\"90\" "
                              "value=\"30\"")));
  httplib::Result page = Open(LinkFor("p1", kAdmin));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
}

TEST_F(PortalTest, TheFormWorksFromABrowserSession) {
  httplib::Result login =
      client_->Post("/login", absl::StrCat("token=", kManager),
                    "application/x-www-form-urlencoded");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 303);
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  httplib::Result created =
      client_->Post("/accounts/p1/portal-link", {{"Cookie", cookie}}, "days=7",
                    "application/x-www-form-urlencoded");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 200) << created->body;
  EXPECT_THAT(created->body, HasSubstr("datetime=\"2026-01-08T00:00:00Z\""));
  // The portal reads no cookie: the dashboard's session opens nothing there,
  // and the link needs none.
  httplib::Result page =
      client_->Get(LinkPath(created->body), {{"Cookie", cookie}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_FALSE(page->has_header("Set-Cookie"));
  // Signed out, the form sends the user to log in and back to the account.
  httplib::Result signed_out = CreateLink("p1", "");
  ASSERT_TRUE(signed_out);
  EXPECT_EQ(signed_out->status, 303);
  EXPECT_THAT(signed_out->get_header_value("Location"),
              StartsWith("/login?next="));
  EXPECT_THAT(signed_out->body, Not(HasSubstr("/portal/")));
}

TEST_F(PortalTest, TheFormChecksItsInput) {
  for (const char* form : {"days=0", "days=91", "days=abc", "days=-1",
                           "days=1e2", "days=30.5", "days=99999999999"}) {
    httplib::Result created = CreateLink("p1", kManager, form);
    ASSERT_TRUE(created) << form;
    EXPECT_EQ(created->status, 400) << form;
    EXPECT_THAT(created->body,
                HasSubstr("days: a whole number of days from 1 to 90"))
        << form;
  }
  // No days: 30.
  httplib::Result created = CreateLink("p1", kManager, "");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 200) << created->body;
  EXPECT_THAT(created->body, HasSubstr("datetime=\"2026-01-31T00:00:00Z\""));
  // No such account, an overlong id, a hostile Host header.
  created = CreateLink("nobody", kManager);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 404);
  created = CreateLink(std::string(500, 'a'), kManager);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 404);
  created = client_->Post("/accounts/p1/portal-link",
                          {{"Authorization", absl::StrCat("Bearer ", kManager)},
                           {"Host", "evil.example/\"><script>"}},
                          "days=3", "application/x-www-form-urlencoded");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 400);
  EXPECT_THAT(created->body,
              AllOf(Not(HasSubstr("<script>")), Not(HasSubstr("/portal/"))));
}

TEST_F(PortalTest, AnErasedAccountsLinkShowsNothingAndAMergedOnesIsGone) {
  const std::string erased = LinkFor("p1");
  const std::string merged = LinkFor("p2");
  Apply("contacts", testing::DataSubjectErased("p1", Utc(2025, 12, 31)));
  httplib::Result page = Open(erased);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 404);
  EXPECT_THAT(page->body, AllOf(HasSubstr(kNotValid), Not(HasSubstr("pt1"))));
  EXPECT_EQ(CreateLink("p1", kManager)->status, 404);

  Apply("contacts", AccountCreated({.id = "p3", .time = Utc(2025, 6, 1)}));
  Apply("contacts",
        testing::AccountsMerged({.id = "p3", .time = Utc(2025, 12, 31)}, "p2"));
  page = Open(merged);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 410);
  EXPECT_THAT(page->body, AllOf(HasSubstr("no longer in use"),
                                Not(HasSubstr("other-ticket"))));
  httplib::Result created = CreateLink("p2", kManager);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 400);
  EXPECT_THAT(created->body, HasSubstr("merged into p3"));
  // The survivor's link shows what moved to it.
  page = Open(LinkFor("p3"));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("<td>other-ticket</td>"));
}

TEST_F(PortalTest, WithoutASecretThePortalIsOff) {
  const std::string path = LinkFor("p1");
  dashboard_->Stop();
  dashboard_ = StartDashboard(nullptr);
  ASSERT_NE(dashboard_, nullptr);
  client_ = std::make_unique<httplib::Client>("127.0.0.1", dashboard_->port());
  httplib::Result page = Open(path);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 404);
  EXPECT_THAT(page->body, Not(HasSubstr("pt1")));
  httplib::Result created = CreateLink("p1", kAdmin);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 404);
  EXPECT_THAT(created->body,
              HasSubstr("Client portal links are not configured."));
  httplib::Result account = client_->Get(
      "/accounts/p1", {{"Authorization", absl::StrCat("Bearer ", kAdmin)}});
  ASSERT_TRUE(account);
  ASSERT_EQ(account->status, 200);
  EXPECT_THAT(account->body,
              AllOf(HasSubstr("Client portal links are not configured"),
                    Not(HasSubstr("portal-link-form"))));
}

}  // namespace
}  // namespace clientele::reporting::dashboard
