"""The four services with the demo data, for the reporting and dashboard suite
tests: a suite.Stack of contacts, engagement, ticketing and reporting, seeded
by scripts/seed_demo.py (what scripts/up.sh runs), and waited on until
reporting has applied everything the seed made.
"""

import datetime
import os
import subprocess
import sys
import time

import grpc
from google.protobuf import timestamp_pb2

import suite
from clientele.contacts.v1 import contacts_service_pb2, contacts_service_pb2_grpc
from clientele.reporting.v1 import reporting_service_pb2, reporting_service_pb2_grpc
from clientele.type.v1 import relationship_pb2, time_range_pb2

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts")
sys.path.insert(0, SCRIPTS)
import demo_commercial  # noqa: E402  (the seed's own tables: what to expect)
import demo_tickets  # noqa: E402
import seed_demo  # noqa: E402

DEMO = "demo-token"
VIEWER = "viewer-token"
OTHER = "other-token"
DAY = 86400
R = reporting_service_pb2


class DemoWorkspace(suite.Workspace):
    """The demo tenant's admin and viewer, and another tenant."""

    TOKENS = {DEMO: ("demo", "admin"), VIEWER: ("demo", "viewer"),
              OTHER: ("other", "admin")}


Client = suite.Client


def reporting(stack, token=DEMO):
    return Client(reporting_service_pb2_grpc.ReportingServiceStub(stack.reporting.channel),
                  token)


def timestamp(seconds):
    return timestamp_pb2.Timestamp(seconds=int(seconds))


def time_range(start, end):
    """A TimeRange from epoch seconds or datetime.date (a UTC day's start)."""
    def seconds(value):
        if isinstance(value, datetime.date):
            return int(datetime.datetime(value.year, value.month, value.day,
                                         tzinfo=datetime.timezone.utc).timestamp())
        return value
    return time_range_pb2.TimeRange(start_time=timestamp(seconds(start)),
                                    end_time=timestamp(seconds(end)))


def last_days(days):
    """The last `days` days up to an hour from now: as_of_time (unset) is now,
    so the at-risk list asks engagement for live scores."""
    now = int(time.time())
    return time_range(now - days * DAY, now + 3600)


# --- what the seed makes (read from the seed's own tables) ------------------------

ACCOUNT_KEYS = [key for key, _, _ in seed_demo.DEMO]
TICKETS = len(demo_tickets.TICKETS)
DEALS = len(demo_commercial.DEALS)


def quarter_of(day):
    return day.year, (day.month - 1) // 3 + 1


def deal_quarters():
    """The quarter each seeded deal is counted in: its close date's when closed,
    else its expected close date's (the seed dates both from today)."""
    today = datetime.date.today()
    return [quarter_of(today + datetime.timedelta(days=row[5]))
            for row in demo_commercial.DEALS]


def demo_accounts(stack):
    """{demo key: account name}, found by the seed's "demo:<key>" tags."""
    contacts = Client(contacts_service_pb2_grpc.ContactsServiceStub(stack.contacts.channel),
                      DEMO)
    names = {}
    for account in contacts.ListAccounts(
            contacts_service_pb2.ListAccountsRequest(page_size=1000)).accounts:
        for tag in account.tags:
            if tag.startswith(seed_demo.KEY_TAG):
                names[tag[len(seed_demo.KEY_TAG):]] = account.name
    return names


# --- bringing it up ----------------------------------------------------------------

def start():
    """A stack with the demo data in every service and applied by reporting."""
    # A loaded machine (sanitizers, tests side by side) may take longer than
    # the default 300 ms for engagement's live scores: the tests see them live
    # whenever engagement runs, and stale only when it does not.
    stack = suite.Stack(["contacts", "engagement", "ticketing", "reporting"],
                        workspace=DemoWorkspace(),
                        flags={"reporting": ["--live_score_timeout=5s"]})
    try:
        result = subprocess.run(
            [sys.executable, os.path.join(SCRIPTS, "seed_demo.py"),
             stack.contacts.address, stack.engagement.address,
             stack.ticketing.address, DEMO],
            capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise AssertionError(f"seed_demo.py failed: {result.stderr[-3000:]}")
        wait_until_ingested(reporting(stack))
    except BaseException:
        stack.close()
        raise
    return stack


def ingested(reports):
    """What reporting shows of the seed: the accounts, how many are scored and
    their bands, the revenue, the tickets and the deals."""
    portfolio = reports.GetPortfolioReport(
        R.GetPortfolioReportRequest(time_range=last_days(365))).report
    support = reports.GetSupportReport(
        R.GetSupportReportRequest(time_range=last_days(365))).report.overall
    deals = 0
    for year, quarter in sorted(set(deal_quarters())):
        pipeline = reports.GetPipelineReport(
            R.GetPipelineReportRequest(year=year, quarter=quarter)).report.pipeline
        deals += (pipeline.open_deal_count + pipeline.won.deal_count
                  + pipeline.lost.deal_count + pipeline.other_currency_deal_count)
    unscored = [s.account_count for s in portfolio.mode_slices
                if s.mode == relationship_pb2.RELATIONSHIP_MODE_UNSPECIFIED]
    return {
        "accounts": portfolio.account_count,
        "unscored": sum(unscored),
        "bands": [(s.mode, [b.account_count for b in s.band_counts])
                  for s in portfolio.mode_slices],
        "revenue": portfolio.revenue.amount_minor_units,
        "tickets": support.tickets_created,
        "solved": support.tickets_solved,
        "csat": support.csat_responses,
        "deals": deals,
    }


def wait_until_ingested(reports, timeout=60.0, settle=1.0):
    """Waits until reporting has every account (all scored), ticket, solve, CSAT
    response and deal of the seed, and then shows the same for `settle`
    seconds (engagement rescores accounts after ticketing's events). Not
    data_fresh_time: it is the oldest stream's newest event, and the contacts
    stream goes quiet early in the seed."""
    want = {"accounts": len(ACCOUNT_KEYS), "unscored": 0, "tickets": TICKETS,
            "solved": 1, "csat": 1, "deals": DEALS}
    deadline = time.monotonic() + timeout
    previous, since = None, None
    while True:
        try:
            current = ingested(reports)
        except grpc.RpcError:
            current = None
        if current is None or current != previous or any(
                current[k] != v for k, v in want.items()):
            previous, since = current, time.monotonic()
        elif time.monotonic() - since >= settle:
            return current
        if time.monotonic() > deadline:
            raise AssertionError(f"reporting did not ingest the demo data: {current}, "
                                 f"want {want}")
        time.sleep(0.2)
