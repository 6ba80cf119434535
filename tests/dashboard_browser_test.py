"""The reporting dashboard in a real headless Chromium (Debian's `chromium`,
driven over the DevTools protocol: tests/browser.py), against the real services
holding the demo data: log in, every section of the overview with its SVG
charts, an at-risk account's page, CSV exports, and no page without a token.

Screenshots of the overview and of an account page go to the test's temporary
directory, or to $CLIENTELE_SCREENSHOT_DIR when it is set (docs/images/ holds
the ones the docs show).
"""

import os
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

import browser
import demo_stack
from clientele.engagement.v1 import (engagement_service_pb2, engagement_service_pb2_grpc,
                                     follow_up_pb2)
from demo_stack import DEMO

SECTIONS = ("portfolio", "at-risk", "support", "workload", "funnel", "retention",
            "pipeline")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, token=None):
    """(status, headers, body text) of a GET, redirects not followed."""
    request = urllib.request.Request(url)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def account_id(name):
    return name.split("/", 1)[1]


# Display names of demo accounts (scripts/seed_demo.py), which the dashboard
# asks contacts for as it renders a page.
ACCOUNTING_FIRM = "Кузнецов и партнёры (бухгалтерия)"
LAW_FIRM = "Haddad & Partners, Advocates"


@unittest.skipUnless(browser.CHROMIUM, "chromium is not installed "
                                       "(scripts/lib.sh installs Debian's package)")
class DashboardBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = demo_stack.start()
        try:
            cls.names = demo_stack.demo_accounts(cls.stack)
            cls.url = f"http://127.0.0.1:{cls.stack.ports['reporting-dashboard']}"
            cls.shots = (os.environ.get("CLIENTELE_SCREENSHOT_DIR")
                         or cls.stack.workspace.dir)
            os.makedirs(cls.shots, exist_ok=True)
            cls.browser = browser.Browser()
        except BaseException:
            cls.stack.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.stack.close()

    def log_in(self, path="/"):
        """Logs in through the form (the token field, then submit), starting
        from `path`, which redirects to /login and back; returns the URL."""
        self.browser.command("Network.clearBrowserCookies")
        landed = self.browser.navigate(self.url + path)
        self.assertTrue(landed.startswith(self.url + "/login"), landed)
        self.assertEqual(self.browser.count("form[action='/login'] input[name=token]"), 1)
        self.browser.evaluate(
            f"document.querySelector('input[name=token]').value = {DEMO!r}")
        return self.browser.click("form[action='/login'] button[type=submit]")

    def shot(self, name):
        path = self.browser.screenshot(os.path.join(self.shots, name))
        self.assertGreater(os.path.getsize(path), 10000)

    def test_without_a_token_every_page_goes_to_the_login(self):
        law_firm = "/accounts/" + account_id(self.names["law-firm"])
        for token in (None, "not-a-token"):
            for path in ("/", law_firm, "/accounts?aggregate=portfolio"):
                with self.subTest(path=path, token=token):
                    status, headers, _ = fetch(self.url + path, token)
                    self.assertEqual(status, 302)
                    self.assertTrue(headers["Location"].startswith("/login"))
            for path in ("/reports/portfolio.csv", "/accounts.csv?aggregate=portfolio"):
                with self.subTest(path=path, token=token):
                    self.assertEqual(fetch(self.url + path, token)[0], 401)
        # A wrong token on the form is refused; the right one returns to the
        # page asked for.
        self.browser.command("Network.clearBrowserCookies")
        landed = self.browser.navigate(self.url + law_firm)
        self.assertEqual(landed, self.url + "/login?next=" + urllib.parse.quote(law_firm, ""))
        self.browser.evaluate("document.querySelector('input[name=token]').value = 'nope'")
        self.browser.click("button[type=submit]")
        self.assertIn("That token is not valid.", self.browser.text())
        self.assertEqual(self.log_in(law_firm), self.url + law_firm)

    def test_the_overview_shows_every_report_as_charts_and_tables(self):
        self.assertEqual(self.log_in(), self.url + "/")
        self.assertIn("tenant demo", self.browser.text("header"))
        for section in SECTIONS:
            with self.subTest(section=section):
                self.assertEqual(self.browser.count(f"section#{section} h2"), 1)
                # Drawn, not just present: every chart has a size on screen.
                charts = self.browser.evaluate(
                    f"[...document.querySelectorAll('section#{section} svg')]"
                    ".map(s => s.getBoundingClientRect().width)")
                self.assertTrue(charts, section)
                self.assertTrue(all(width > 0 for width in charts), charts)
                # Every section links its CSV.
                self.assertEqual(self.browser.count(
                    f"section#{section} a[href^='/reports/'][href*='.csv']"), 1)
        # The figures are the demo's: 15 accounts, 4 tickets, its managers.
        self.assertEqual(self.browser.text("a[href='/accounts?aggregate=portfolio']"), "15")
        self.assertEqual(self.browser.text("a[href='/accounts?aggregate=support']"), "4")
        for manager in ("am.sara", "am.ivan", "am.li"):
            self.assertIn(manager, self.browser.text("section#workload"))
        at_risk = self.browser.text("section#at-risk table")
        for key in ("accounting-firm", "bakery-regular-2", "gift-buyer"):
            self.assertIn(account_id(self.names[key]), at_risk)
        # Named by contacts, live: the name is the link, the id beside it.
        accounting = account_id(self.names["accounting-firm"])
        self.assertEqual(self.browser.text(
            f"section#at-risk table a[href='/accounts/{accounting}']"), ACCOUNTING_FIRM)
        self.assertIn("Scores are live from engagement", self.browser.text("section#at-risk"))
        # Money in the tenant's currency (the one most of its revenue uses).
        self.assertRegex(self.browser.text("section#portfolio table"),
                         r"\d{1,3}(,\d{3})*\.\d\d [A-Z]{3}")
        self.shot("dashboard-overview.png")

    def test_an_at_risk_account_opens_its_page(self):
        self.log_in()
        accounting = account_id(self.names["accounting-firm"])
        page = self.browser.click(f"section#at-risk table a[href='/accounts/{accounting}']")
        self.assertEqual(page, f"{self.url}/accounts/{accounting}")
        self.assertEqual(self.browser.text("h1"), ACCOUNTING_FIRM)
        self.assertEqual(self.browser.text("main p.note"), f"Account {accounting}")
        score = self.browser.text("section#score")
        self.assertRegex(score, r"\d+ / 100")
        self.assertIn("Needs attention", score)
        self.assertGreater(self.browser.count("section#score ul.reasons li"), 0)
        self.assertIn("Silent for", score)  # a quiet client's reason
        # The score's components, fetched live from engagement for this page.
        self.assertIn("Live from engagement", score)
        self.assertGreater(self.browser.count("section#score div.components tbody tr"), 2)
        self.assertIn("Silence against its rhythm", score)
        self.assertGreater(self.browser.count("section#timeline tbody tr"), 10)
        self.assertIn("Retainer invoice", self.browser.text("section#timeline"))
        self.assertIn("Lost", self.browser.text("section#deals"))  # the audit deal
        self.shot("dashboard-account.png")

        # The law firm, reached from the portfolio's clients: a deal, an order
        # and a ticket of its own.
        self.browser.navigate(self.url + "/")
        self.browser.click("section#portfolio table a[href*='a.mode=client']")
        law_firm = account_id(self.names["law-firm"])
        self.browser.click(f"a[href='/accounts/{law_firm}']")
        self.assertEqual(self.browser.text("h1"), LAW_FIRM)  # escaped, shown as is
        self.assertIn("Strong", self.browser.text("section#score"))
        self.assertIn("Negotiation", self.browser.text("section#deals"))
        self.assertIn("Notarised translation", self.browser.text("section#orders"))
        self.assertIn("Fulfilled", self.browser.text("section#orders"))
        self.assertEqual(self.browser.count("section#tickets tbody tr"), 1)
        self.assertIn("am.sara", self.browser.text("section#tickets"))

        # Another tenant's account is not there.
        status, _, _ = fetch(f"{self.url}/accounts/{law_firm}", demo_stack.OTHER)
        self.assertEqual(status, 404)

    def test_every_csv_link_downloads_csv(self):
        self.log_in()
        links = self.browser.evaluate(
            "[...new Set([...document.querySelectorAll('a')].map(a => "
            "a.getAttribute('href')).filter(h => h && h.includes('.csv')))]")
        reports = {urllib.parse.urlparse(link).path for link in links}
        self.assertEqual(reports, {f"/reports/{r}.csv" for r in (
            "portfolio", "at-risk", "support", "workload", "funnel", "retention",
            "pipeline")})
        for link in links:
            with self.subTest(link=link):
                status, headers, body = fetch(self.url + link, DEMO)
                self.assertEqual(status, 200)
                self.assertTrue(headers["Content-Type"].startswith("text/csv"))
                self.assertIn("attachment", headers["Content-Disposition"])
                self.assertTrue(body.endswith("\r\n"))
        rows = fetch(self.url + "/reports/portfolio.csv", DEMO)[2].split("\r\n")
        self.assertTrue(rows[0].startswith("mode,account_count,"))
        self.assertTrue(rows[-2].startswith("all,15,"), rows[-2])
        rows = fetch(self.url + "/reports/at-risk.csv", DEMO)[2]
        self.assertIn(account_id(self.names["accounting-firm"]), rows)

    def test_the_client_portal_shows_a_client_their_own_engagement(self):
        # An upcoming meeting with the law firm, for its portal to show.
        engagement = demo_stack.Client(engagement_service_pb2_grpc.EngagementServiceStub(
            self.stack.engagement.channel), DEMO)
        engagement.CreateFollowUp(engagement_service_pb2.CreateFollowUpRequest(
            follow_up=follow_up_pb2.FollowUp(
                account=self.names["law-firm"], title="Quarterly review",
                kind=follow_up_pb2.FOLLOW_UP_KIND_MEETING, assignee="am.sara",
                due_time=demo_stack.timestamp(time.time() + 3 * demo_stack.DAY))))

        # A manager makes the link on the account's page.
        self.log_in()
        law_firm = account_id(self.names["law-firm"])
        self.browser.navigate(f"{self.url}/accounts/{law_firm}")
        self.browser.click("form#portal-link-form button[type=submit]")
        link = self.browser.evaluate("document.querySelector('a#portal-link').href")
        self.assertTrue(link.startswith(self.url + "/portal/"), link)

        # The client opens it without any token of the tenant's.
        self.browser.command("Network.clearBrowserCookies")
        deadline = time.monotonic() + 30
        while True:
            self.assertEqual(self.browser.navigate(link), link)
            if self.browser.count("section#meetings ul.meetings li") or \
                    time.monotonic() > deadline:
                break
            time.sleep(0.3)
        self.assertEqual(self.browser.text("h1"), "Your account")
        self.assertEqual(self.browser.count("section#meetings ul.meetings li"), 1)
        self.assertEqual(self.browser.count("section#open-tickets tbody tr"), 1)
        orders = self.browser.text("section#orders")
        self.assertIn("Completed", orders)
        self.assertIn("5,400.00 AED", orders)
        proposals = self.browser.text("section#proposals")
        self.assertIn("In negotiation", proposals)
        self.assertIn("240,000.00 AED", proposals)
        # Nothing internal: no score, band or risk, no staff, no other account,
        # no way into the dashboard.
        page = self.browser.evaluate("document.documentElement.outerHTML")
        for internal in ("score", "band", "risk", "probability", "sales.omar", "am.sara",
                         "ops.huda", "tenant demo", "/accounts", "<a ", "<form"):
            self.assertNotIn(internal, page.lower())
        for key, name in self.names.items():
            if key != "law-firm":
                self.assertNotIn(account_id(name), page)
        self.shot("client-portal.png")

        # A link altered by one character is not valid.
        token = link.rsplit("/", 1)[1]
        flipped = "A" if token[5] != "A" else "B"
        tampered = f"{self.url}/portal/{token[:5]}{flipped}{token[6:]}"
        self.browser.navigate(tampered)
        self.assertIn("This link is not valid.", self.browser.text())
        self.assertNotIn("240,000.00", self.browser.text())
        self.assertEqual(fetch(tampered)[0], 404)
        self.assertEqual(fetch(link)[0], 200)


if __name__ == "__main__":
    unittest.main()
