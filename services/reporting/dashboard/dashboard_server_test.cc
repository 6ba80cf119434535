// The dashboard as a browser or a script sees it: real HTTP over loopback
// against the real reporting service on the small data set of
// reporting_service_fixture_for_test.h (acme: a1..a4, 331000 EUR in 2025;
// globex: g1, which must never show up for acme).
#include "services/reporting/dashboard/dashboard_server.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "services/reporting/account_names_for_test.h"
#include "services/reporting/dashboard/account_page.h"
#include "services/reporting/dashboard/escaping.h"
#include "services/reporting/reporting_service_fixture_for_test.h"

namespace clientele::reporting::dashboard {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::kAcmeAdmin;
using testing::kAcmeViewer;
using testing::kGlobexViewer;
using ::testing::Not;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

// The report parameters of the data set's year, pipeline in 2025 Q4.
constexpr char k2025[] = "from=2025-01-01&to=2025-12-31&year=2025&quarter=4";

class DashboardServerTest : public testing::ReportingServiceFixture {
 protected:
  void SetUp() override {
    ReportingServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    FeedSmallDataSet();
    DashboardDeps deps;
    deps.reports = service_.get();
    deps.database = database();
    deps.authenticator = authenticator_.get();
    deps.clock = &clock_;
    deps.live_scores = &live_scores_;
    deps.account_names = &account_names_;
    auto dashboard = DashboardServer::Start(DashboardOptions(), deps);
    ASSERT_TRUE(dashboard.ok()) << dashboard.status();
    dashboard_ = *std::move(dashboard);
    client_ =
        std::make_unique<httplib::Client>("127.0.0.1", dashboard_->port());
    client_->set_read_timeout(60, 0);
  }

  void TearDown() override {
    if (dashboard_ != nullptr) dashboard_->Stop();
    ReportingServiceFixture::TearDown();
  }

  // GET `path` with `token` as a bearer token ("" for none).
  httplib::Result Get(const std::string& path,
                      const std::string& token = kAcmeViewer) {
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return client_->Get(path, headers);
  }

  httplib::Result GetWithCookie(const std::string& path,
                                const std::string& cookie) {
    return client_->Get(path, {{"Cookie", cookie}});
  }

  httplib::Result Login(const std::string& form) {
    return client_->Post("/login", form, "application/x-www-form-urlencoded");
  }

  FakeAccountNames account_names_;
  std::unique_ptr<DashboardServer> dashboard_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(DashboardServerTest, WithoutATokenPagesRedirectToLoginAndCsvIs401) {
  httplib::Result page = Get("/", "");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 302);
  EXPECT_EQ(page->get_header_value("Location"), "/login");
  page = Get("/accounts/a1?from=2025-01-01", "");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 302);
  // Back to the page after login (httplib's client decodes the header).
  std::string next;
  ASSERT_TRUE(UrlDecode(page->get_header_value("Location"), &next));
  EXPECT_EQ(next, "/login?next=/accounts/a1?from=2025-01-01");
  EXPECT_THAT(page->body, Not(HasSubstr("a1")));
  for (const char* csv : {"/reports/portfolio.csv", "/accounts.csv"}) {
    httplib::Result export_ = Get(csv, "");
    ASSERT_TRUE(export_);
    EXPECT_EQ(export_->status, 401) << csv;
    EXPECT_EQ(export_->get_header_value("WWW-Authenticate"), "Bearer");
    EXPECT_THAT(export_->body, Not(HasSubstr("portfolio")));
  }
}

TEST_F(DashboardServerTest, AWrongTokenIsNoToken) {
  httplib::Result page = Get("/", "not-a-token");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 302);
  httplib::Result csv = Get("/reports/support.csv", "not-a-token");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 401);
  page = client_->Get("/", {{"Authorization", "Basic YWNtZTp4"}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 302);
  // A stale cookie is dropped on the way to the login form.
  page = GetWithCookie("/", "clientele_token=stale");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 302);
  EXPECT_THAT(page->get_header_value("Set-Cookie"), HasSubstr("Max-Age=0"));
}

TEST_F(DashboardServerTest, LoginSetsASafeCookieThatOpensThePages) {
  httplib::Result form = Get("/login?next=%2Faccounts%2Fa1", "");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 200);
  EXPECT_THAT(form->body, AllOf(HasSubstr("<form method=\"post\" "
                                          "action=\"/login\">"),
                                HasSubstr("value=\"/accounts/a1\"")));

  httplib::Result bad = Login("token=wrong");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 401);
  EXPECT_THAT(bad->body, HasSubstr("That token is not valid."));
  EXPECT_FALSE(bad->has_header("Set-Cookie"));

  httplib::Result login =
      Login(absl::StrCat("token=", kAcmeViewer, "&next=%2Faccounts%2Fa1"));
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 303);
  EXPECT_EQ(login->get_header_value("Location"), "/accounts/a1");
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  EXPECT_EQ(set_cookie, absl::StrCat("clientele_token=", kAcmeViewer,
                                     "; Path=/; HttpOnly; SameSite=Strict"));
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));

  httplib::Result page = GetWithCookie(absl::StrCat("/?", k2025), cookie);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("3,310.00 EUR"));

  httplib::Result logout = client_->Post("/logout", {{"Cookie", cookie}}, "",
                                         "application/x-www-form-urlencoded");
  ASSERT_TRUE(logout);
  EXPECT_EQ(logout->status, 303);
  EXPECT_EQ(logout->get_header_value("Location"), "/login");
  EXPECT_THAT(logout->get_header_value("Set-Cookie"),
              StartsWith("clientele_token=; Path=/; HttpOnly; "
                         "SameSite=Strict; Max-Age=0"));
}

TEST_F(DashboardServerTest, LoginNeverRedirectsToAnotherSite) {
  for (const char* next : {"%2F%2Fevil.example", "https%3A%2F%2Fevil.example",
                           "%2F%5Cevil.example"}) {
    httplib::Result login =
        Login(absl::StrCat("token=", kAcmeViewer, "&next=", next));
    ASSERT_TRUE(login);
    EXPECT_EQ(login->status, 303);
    EXPECT_EQ(login->get_header_value("Location"), "/") << next;
  }
}

TEST_F(DashboardServerTest, TheOverviewShowsEveryReport) {
  httplib::Result page = Get(absl::StrCat("/?", k2025));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page->get_header_value("Content-Security-Policy"),
            "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' "
            "data:; frame-ancestors 'none'; form-action 'self'");
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-store");
  const std::string& html = page->body;
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  // Portfolio: 4 accounts, 331000 EUR; the client a1 brings 300000.
  EXPECT_THAT(html, HasSubstr("<section id=\"portfolio\">"));
  EXPECT_THAT(html, HasSubstr("3,310.00 EUR"));
  EXPECT_THAT(html, HasSubstr("3,000.00 EUR"));
  EXPECT_THAT(html, HasSubstr("href=\"/accounts?aggregate=portfolio&amp;"
                              "a.mode=client&amp;from=2025-01-01"));
  EXPECT_THAT(html, HasSubstr("<svg"));
  // At risk: a2 (at risk) and a3 (needs attention), linked.
  EXPECT_THAT(html, HasSubstr("<section id=\"at-risk\">"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/accounts/a2\">a2</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/accounts/a3\">a3</a>"));
  EXPECT_THAT(html, HasSubstr("No purchase in 120 days"));
  // Support: two tickets created, one solved, CSAT 100% of 1.
  EXPECT_THAT(html, HasSubstr("<section id=\"support\">"));
  EXPECT_THAT(html, HasSubstr("100.0% of 1"));
  // Workload: u-mia manages a1 and a3 (3,200.00 EUR).
  EXPECT_THAT(html, HasSubstr("3,200.00 EUR"));
  EXPECT_THAT(html, HasSubstr("a.account_manager=u-mia"));
  // The funnel, the cohort triangle and the pipeline (d1: 500.00 EUR).
  EXPECT_THAT(html, HasSubstr("<section id=\"funnel\">"));
  EXPECT_THAT(html, HasSubstr("<section id=\"retention\">"));
  EXPECT_THAT(html, HasSubstr("Quarter 2025 Q4"));
  EXPECT_THAT(html, HasSubstr("500.00 EUR"));
  // Every CSV is linked.
  for (const char* report : {"portfolio", "at-risk", "support", "workload",
                             "funnel", "retention", "pipeline"}) {
    EXPECT_THAT(html, HasSubstr(absl::StrCat("href=\"/reports/", report,
                                             ".csv?from=2025-01-01")));
  }
  // Nothing of globex's.
  EXPECT_THAT(html, Not(HasSubstr("9,999.99")));
  EXPECT_THAT(html, Not(HasSubstr("/accounts/g1")));
}

TEST_F(DashboardServerTest, DrillDownListsTheAccountsOfAFigure) {
  httplib::Result page = Get(absl::StrCat(
      "/accounts?aggregate=workload&a.account_manager=u-mia&", k2025));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, HasSubstr("2 accounts in workload"));
  EXPECT_THAT(page->body, HasSubstr("<a href=\"/accounts/a1\">a1</a>"));
  EXPECT_THAT(page->body, HasSubstr("<a href=\"/accounts/a3\">a3</a>"));
  EXPECT_THAT(page->body, Not(HasSubstr("/accounts/a2\"")));

  httplib::Result csv = Get(
      absl::StrCat("/accounts.csv?aggregate=portfolio&a.mode=client&", k2025));
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv->body,
            "account,mode,score,band,tier,segment,account_manager,revenue,"
            "currency\r\n"
            "a1,client,80,strong,enterprise,b2b,u-mia,3000.00,EUR\r\n");

  page = Get(
      absl::StrCat("/accounts?aggregate=pipeline&a.stage=proposal&", k2025));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, HasSubstr("<a href=\"/accounts/a3\">a3</a>"));
}

TEST_F(DashboardServerTest, TheAccountPageShowsScoreTimelineDealsAndTickets) {
  httplib::Result page = Get("/accounts/a1");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(
      page->body,
      AllOf(HasSubstr("<strong>80</strong> / 100"), HasSubstr("Strong"),
            HasSubstr("Client"), HasSubstr("Retainer invoice"),
            HasSubstr("1,000.00 EUR"), HasSubstr("u-mia"),
            HasSubstr("<td>t2</td><td>Open</td>"), HasSubstr("No orders.")));
  page = Get("/accounts/a3");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, AllOf(HasSubstr("<td>d1</td>"), HasSubstr("Proposal"),
                                HasSubstr("500.00 EUR")));
}

// What engagement answers for a1 in the tests that give it an answer:
// a score of 62 (20 + 42 points) that the projection (80) does not have.
engagement::v1::RelationshipScore EngagementsA1Score() {
  engagement::v1::RelationshipScore score;
  score.set_name("accounts/a1/relationshipScore");
  score.set_account("accounts/a1");
  score.set_score(62);
  score.set_band(type::v1::SCORE_BAND_HEALTHY);
  score.mutable_mode_assessment()->set_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  score.mutable_trend()->set_delta(-18);
  engagement::v1::ScoreComponent* silence = score.add_components();
  silence->set_kind(engagement::v1::SCORE_COMPONENT_KIND_SILENCE);
  silence->set_weight(0.4);
  silence->set_value(0.5);
  silence->set_points(20);
  silence->set_observation("quiet for <b>41</b> days; usually 30");
  engagement::v1::ScoreComponent* sla = score.add_components();
  sla->set_kind(engagement::v1::SCORE_COMPONENT_KIND_SUPPORT_SLA);
  sla->set_weight(0.6);
  sla->set_value(0.7);
  sla->set_points(42);
  sla->set_observation("1 breach in 90 days");
  engagement::v1::ScoreReason* reason = score.add_top_reasons();
  reason->set_component(engagement::v1::SCORE_COMPONENT_KIND_SUPPORT_SLA);
  reason->set_effect(engagement::v1::REASON_EFFECT_POSITIVE);
  reason->set_impact_points(12);
  reason->set_summary("Few SLA breaches (support SLA +12.0 points)");
  return score;
}

TEST_F(DashboardServerTest, TheAccountPageShowsEngagementsScoreComponents) {
  live_scores_.SetFullScore("accounts/a1", EngagementsA1Score());
  httplib::Result page = Get("/accounts/a1");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(
      page->body,
      AllOf(HasSubstr("<strong>62</strong> / 100"), HasSubstr("Live from"),
            HasSubstr("<h3>Components</h3>"), HasSubstr("<svg"),
            HasSubstr("<td>Silence against its rhythm</td>"
                      "<td class=\"num\">40.0%</td>"
                      "<td class=\"num\">0.50</td>"
                      "<td class=\"num\">20.0 of 40.0</td>"),
            HasSubstr("<td>Support SLA breaches</td>"),
            HasSubstr("42.0 of 60.0"),
            HasSubstr("quiet for &lt;b&gt;41&lt;/b&gt; days"),
            HasSubstr("<li>Few SLA breaches (support SLA +12.0 points)</li>")));
  EXPECT_THAT(page->body, Not(HasSubstr("<b>41")));
  EXPECT_THAT(page->body, Not(HasSubstr("engagement did not answer")));
  // The history is still the projection's.
  EXPECT_THAT(page->body, HasSubstr("<h3>Score history</h3>"));
  EXPECT_THAT(page->body, HasSubstr("<td class=\"num\">80</td>"));

  // Engagement was asked with the signed-in user's own token, from the
  // header as from the cookie.
  std::vector<Caller> callers = live_scores_.CallersForTest();
  ASSERT_EQ(callers.size(), 1u);
  EXPECT_EQ(callers[0].tenant, "acme");
  EXPECT_EQ(callers[0].authorization, absl::StrCat("Bearer ", kAcmeViewer));
  page = GetWithCookie("/accounts/a1",
                       absl::StrCat("clientele_token=", kAcmeAdmin));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, HasSubstr("<h3>Components</h3>"));
  callers = live_scores_.CallersForTest();
  ASSERT_EQ(callers.size(), 2u);
  EXPECT_EQ(callers[1].authorization, absl::StrCat("Bearer ", kAcmeAdmin));
}

TEST_F(DashboardServerTest, WithoutEngagementTheAccountPageShowsTheProjection) {
  live_scores_.SetFullScore("accounts/a1", EngagementsA1Score());
  for (const absl::Status& failure :
       {absl::UnavailableError("engagement could not be reached"),
        absl::DeadlineExceededError("engagement did not answer within 300ms"),
        absl::PermissionDeniedError("engagement refused the live scores")}) {
    SCOPED_TRACE(failure.ToString());
    live_scores_.FailWith(failure);
    httplib::Result page = Get("/accounts/a1");
    ASSERT_TRUE(page);
    ASSERT_EQ(page->status, 200) << page->body;
    EXPECT_THAT(page->body,
                AllOf(HasSubstr(absl::StrCat("<p class=\"note\">",
                                             kComponentsUnavailable, "</p>")),
                      HasSubstr("<strong>80</strong> / 100"),
                      HasSubstr("Strong"), HasSubstr("<h3>Score history</h3>"),
                      Not(HasSubstr("<h3>Components</h3>")),
                      Not(HasSubstr("<strong>62</strong>"))));
  }
  // An account engagement does not know reads the same.
  live_scores_.Recover();
  httplib::Result page = Get("/accounts/a3");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, HasSubstr(kComponentsUnavailable));
}

TEST_F(DashboardServerTest, AnotherTenantsAccountNeverAsksEngagement) {
  httplib::Result page = Get("/accounts/a1", kGlobexViewer);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 404);
  EXPECT_TRUE(live_scores_.CallersForTest().empty());
  EXPECT_TRUE(account_names_.Calls().empty());
}

// What contacts calls a2 in the tests that name it: markup that must show
// as text.
constexpr char kA2Name[] = "Kanzlei <b>Weber</b> & Partner";
constexpr char kA2Html[] = "Kanzlei &lt;b&gt;Weber&lt;/b&gt; &amp; Partner";

TEST_F(DashboardServerTest, PagesNameAccountsAsContactsAnswersForTheUser) {
  account_names_.SetName("a1", "Atelier Mia");
  account_names_.SetName("a2", kA2Name);
  // a3 is not named: contacts no longer has it (deleted or erased).

  // The at-risk table: one lookup for every account on the page, with the
  // signed-in user's own token.
  httplib::Result page = Get(absl::StrCat("/?", k2025));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(
      page->body,
      AllOf(HasSubstr(absl::StrCat("<a href=\"/accounts/a2\">", kA2Html,
                                   "</a> <span class=\"note\">a2</span>")),
            HasSubstr("<a href=\"/accounts/a3\">a3</a>"),
            Not(HasSubstr("<b>Weber"))));
  std::vector<FakeAccountNames::Call> calls = account_names_.Calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].caller.tenant, "acme");
  EXPECT_EQ(calls[0].caller.authorization,
            absl::StrCat("Bearer ", kAcmeViewer));
  EXPECT_THAT(calls[0].account_ids, UnorderedElementsAre("a2", "a3"));

  // A figure's accounts, from the cookie's token.
  account_names_.ClearCalls();
  page = GetWithCookie(
      absl::StrCat("/accounts?aggregate=workload&a.account_manager=u-mia&",
                   k2025),
      absl::StrCat("clientele_token=", kAcmeAdmin));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body,
              AllOf(HasSubstr("<a href=\"/accounts/a1\">Atelier Mia</a> "
                              "<span class=\"note\">a1</span>"),
                    HasSubstr("<a href=\"/accounts/a3\">a3</a>")));
  calls = account_names_.Calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].caller.authorization, absl::StrCat("Bearer ", kAcmeAdmin));
  EXPECT_THAT(calls[0].account_ids, UnorderedElementsAre("a1", "a3"));

  // The account page is headed by the name, its id under it.
  page = Get("/accounts/a2");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body,
              AllOf(HasSubstr(absl::StrCat("<title>", kA2Html, " - Clientele")),
                    HasSubstr(absl::StrCat("<h1>", kA2Html, "</h1>")),
                    HasSubstr("<p class=\"note\">Account a2</p>"),
                    Not(HasSubstr("<b>Weber"))));
  page = Get("/accounts/a3");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, HasSubstr("<h1>Account a3</h1>"));

  // CSV keeps the ids, the stable keys, and asks contacts nothing.
  account_names_.ClearCalls();
  httplib::Result csv = Get(
      absl::StrCat("/accounts.csv?aggregate=portfolio&a.mode=client&", k2025));
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_THAT(csv->body, HasSubstr("\r\na1,client,"));
  EXPECT_THAT(csv->body, Not(HasSubstr("Atelier")));
  csv = Get(absl::StrCat("/reports/at-risk.csv?", k2025));
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_THAT(csv->body, Not(HasSubstr("Weber")));
  EXPECT_TRUE(account_names_.Calls().empty());
}

TEST_F(DashboardServerTest, WithoutContactsPagesShowAccountIds) {
  account_names_.SetName("a1", "Atelier Mia");
  account_names_.SetName("a2", kA2Name);
  for (const absl::Status& failure :
       {absl::UnavailableError("contacts could not be reached"),
        absl::DeadlineExceededError("contacts did not answer within 300ms"),
        absl::PermissionDeniedError("contacts refused the account names")}) {
    SCOPED_TRACE(failure.ToString());
    account_names_.FailWith(failure);
    httplib::Result page = Get(absl::StrCat("/?", k2025));
    ASSERT_TRUE(page);
    ASSERT_EQ(page->status, 200) << page->body;
    EXPECT_THAT(page->body, AllOf(HasSubstr("<a href=\"/accounts/a2\">a2</a>"),
                                  Not(HasSubstr("Weber"))));
    page = Get(absl::StrCat(
        "/accounts?aggregate=workload&a.account_manager=u-mia&", k2025));
    ASSERT_TRUE(page);
    ASSERT_EQ(page->status, 200) << page->body;
    EXPECT_THAT(page->body, AllOf(HasSubstr("<a href=\"/accounts/a1\">a1</a>"),
                                  Not(HasSubstr("Atelier"))));
    page = Get("/accounts/a2");
    ASSERT_TRUE(page);
    ASSERT_EQ(page->status, 200) << page->body;
    EXPECT_THAT(page->body, AllOf(HasSubstr("<h1>Account a2</h1>"),
                                  Not(HasSubstr("Weber"))));
  }
}

TEST_F(DashboardServerTest, EveryReportExportsCsv) {
  const struct {
    const char* report;
    const char* header;
    const char* row;
  } kExports[] = {
      {"portfolio", "mode,account_count,account_share,revenue",
       "all,4,,3310.00,,,,EUR"},
      {"support", "mode,tier,tickets_created", "all,all,2,1,1,1.0000"},
      {"workload", "row_type,staff_user,open_tickets",
       "account_manager,u-mia,1,,,,,,,2,1,1,3200.00,EUR"},
      {"at-risk", "account,mode,score,band", "a2,customer,30,at_risk"},
      {"funnel", "stage,account_count", "regressed,"},
      {"retention", "cohort_start_date,mode,initial_accounts", ""},
      {"pipeline", "row_type,stage,month,deal_count",
       "stage,proposal,,1,500.00,250.00,"},
  };
  for (const auto& e : kExports) {
    httplib::Result csv =
        Get(absl::StrCat("/reports/", e.report, ".csv?", k2025));
    ASSERT_TRUE(csv);
    ASSERT_EQ(csv->status, 200) << e.report << ": " << csv->body;
    EXPECT_EQ(csv->get_header_value("Content-Disposition"),
              absl::StrCat("attachment; filename=\"", e.report, ".csv\""));
    EXPECT_THAT(csv->body, StartsWith(e.header)) << e.report;
    EXPECT_THAT(csv->body, HasSubstr(e.row)) << e.report << ": " << csv->body;
    EXPECT_THAT(csv->body, Not(HasSubstr("g1")));
  }
}

TEST_F(DashboardServerTest, AnotherTenantNeverSeesThisTenantsAccounts) {
  httplib::Result page = Get("/accounts/a1", kGlobexViewer);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 404);
  EXPECT_THAT(page->body, Not(HasSubstr("u-mia")));
  page = Get("/accounts/g1", kAcmeViewer);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 404);

  page = Get(absl::StrCat("/?", k2025), kGlobexViewer);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("9,999.99 EUR"));
  for (const char* acme :
       {"/accounts/a1\"", "/accounts/a2\"", "/accounts/a3\"", "3,310.00"}) {
    EXPECT_THAT(page->body, Not(HasSubstr(acme)));
  }
  httplib::Result csv = Get(
      absl::StrCat("/accounts.csv?aggregate=portfolio&", k2025), kGlobexViewer);
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200);
  EXPECT_THAT(csv->body, HasSubstr("\r\ng1,"));
  EXPECT_THAT(csv->body, Not(HasSubstr("\r\na")));
}

TEST_F(DashboardServerTest, HostileParametersAnswer400WithAnEscapedMessage) {
  const struct {
    std::string path;
    int status;
    const char* message;
  } kCases[] = {
      {"/?from=2025-13-01", 400, "from: not a date"},
      {"/?from=%3Cscript%3Ealert(1)%3C%2Fscript%3E", 400,
       "from: not a date (YYYY-MM-DD): &quot;&lt;script&gt;"},
      {"/?from=2010-01-01&to=2025-12-31", 400,
       "from/to: may span at most 5 years"},
      {"/?as_of=2030-01-01", 400, "as_of:"},
      {"/?currency=%3Cb%3E", 400, "currency:"},
      {"/?tier=%22%3E%3Cimg%20src%3Dx%3E", 400, "tier: not one of"},
      {"/?year=99999&quarter=1", 400, "year:"},
      {"/?quarter=-1&year=2025", 400, "quarter:"},
      {"/?manager=" + std::string(5000, 'x'), 400, "manager: longer than"},
      {"/?period=fortnight", 400, "period: not one of"},
      {"/accounts?aggregate=%3Cscript%3E", 400, "aggregate: not one of"},
      {"/accounts?aggregate=funnel", 400, "a.stage"},
      {"/accounts?aggregate=portfolio&page_token=%3Cgarbage%3E", 400,
       "page_token"},
      {"/accounts/%3Cscript%3Ealert(1)", 404, "No such account."},
      {"/accounts/%3Cscript%3Ealert(1)%3C%2Fscript%3E", 404, "Not found."},
      {"/accounts/" + std::string(500, 'a'), 404, "No such account."},
      {"/reports/portfolio.csv?to=tomorrow", 400, "to: not a date"},
      {"/reports/nope.csv", 404, "no report named nope"},
  };
  for (const auto& c : kCases) {
    httplib::Result page = Get(c.path);
    ASSERT_TRUE(page) << c.path;
    EXPECT_EQ(page->status, c.status) << c.path << ": " << page->body;
    EXPECT_THAT(page->body, HasSubstr(c.message)) << c.path;
    EXPECT_THAT(page->body, Not(HasSubstr("<script>"))) << c.path;
    EXPECT_THAT(page->body, Not(HasSubstr("<img"))) << c.path;
  }
  // A body past the limit, and a path nobody serves.
  httplib::Result big = client_->Post("/login", std::string(100000, 'x'),
                                      "application/x-www-form-urlencoded");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  httplib::Result missing = Get("/nothing-here");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  // And the dashboard still answers.
  httplib::Result page = Get(absl::StrCat("/?", k2025));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
}

}  // namespace
}  // namespace clientele::reporting::dashboard
