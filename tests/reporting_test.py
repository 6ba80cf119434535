"""Reporting seen from outside: the real `reporting` binary fed through a real
redis-server by the real contacts, engagement and ticketing binaries holding the
demo data (scripts/seed_demo.py, as scripts/up.sh seeds it), called over gRPC by
a Python grpcio client.

Every report answers for the demo tenant with the figures the seed implies
(worked out by hand below from the seed's tables), for a viewer too, and shows
another tenant nothing. Then the other services go down one by one: the at-risk
list says its scores are stale, every report still answers, and once they are
back what is recorded reaches the reports again.
"""

import datetime
import time
import unittest
import zoneinfo

import grpc

import demo_stack
import suite
from clientele.engagement.v1 import (deal_pb2, engagement_service_pb2,
                                     engagement_service_pb2_grpc, interaction_pb2)
from clientele.reporting.v1 import report_aggregate_pb2, report_common_pb2
from clientele.reporting.v1 import retention_report_pb2
from clientele.type.v1 import date_pb2, money_pb2, relationship_pb2
from wire import violated_fields
from demo_stack import DAY, DEMO, OTHER, VIEWER, R, last_days, time_range

A = report_aggregate_pb2
D = deal_pb2
Mode = relationship_pb2
LIVE = report_common_pb2.SCORE_SOURCE_LIVE
PROJECTION = report_common_pb2.SCORE_SOURCE_PROJECTION
RUB = "RUB"


def every_report(reports):
    """Calls every reporting RPC for the last year (the pipeline: this quarter);
    returns {rpc: response}."""
    year, quarter = demo_stack.quarter_of(datetime.date.today())
    span = last_days(365)
    return {
        "GetPortfolioReport": reports.GetPortfolioReport(
            R.GetPortfolioReportRequest(time_range=span)),
        "GetSupportReport": reports.GetSupportReport(
            R.GetSupportReportRequest(time_range=span)),
        "GetWorkloadReport": reports.GetWorkloadReport(
            R.GetWorkloadReportRequest(time_range=span)),
        "ListAtRiskAccounts": reports.ListAtRiskAccounts(
            R.ListAtRiskAccountsRequest(time_range=span)),
        "GetConversionFunnelReport": reports.GetConversionFunnelReport(
            R.GetConversionFunnelReportRequest(time_range=span)),
        "GetRetentionReport": reports.GetRetentionReport(
            R.GetRetentionReportRequest(time_range=span)),
        "GetPipelineReport": reports.GetPipelineReport(
            R.GetPipelineReportRequest(year=year, quarter=quarter)),
        "ListReportAccounts": reports.ListReportAccounts(R.ListReportAccountsRequest(
            time_range=span, page_size=1000,
            aggregate=A.ReportAggregate(portfolio=A.PortfolioAggregate()))),
    }


def listed(reports, aggregate, span, **fields):
    """Every account ListReportAccounts lists for `aggregate`, 10 a page."""
    names, token = [], ""
    while True:
        page = reports.ListReportAccounts(R.ListReportAccountsRequest(
            aggregate=aggregate, time_range=span, page_size=10, page_token=token,
            **fields))
        names += [a.account for a in page.accounts]
        token = page.next_page_token
        if not token:
            return names, page.total_size


def quarter_range(year, quarter):
    first = datetime.date(year, 3 * quarter - 2, 1)
    after = (datetime.date(year + 1, 1, 1) if quarter == 4
             else datetime.date(year, 3 * quarter + 1, 1))
    return time_range(first, after)


class DemoReportsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = demo_stack.start()
        cls.reports = demo_stack.reporting(cls.stack)
        cls.names = demo_stack.demo_accounts(cls.stack)

    @classmethod
    def tearDownClass(cls):
        cls.stack.close()

    def demo(self, *keys):
        return {self.names[key] for key in keys}

    def test_every_report_answers_for_the_demo_tenant_and_for_a_viewer(self):
        for token in (DEMO, VIEWER):
            with self.subTest(token=token):
                answers = every_report(demo_stack.reporting(self.stack, token))
                # Every RPC of the service (a new one fails this test until added).
                self.assertEqual(set(answers), {m.name for m in R.DESCRIPTOR.services_by_name[
                    "ReportingService"].methods})
                portfolio = answers["GetPortfolioReport"].report
                self.assertEqual(portfolio.account_count, len(demo_stack.ACCOUNT_KEYS))
                self.assertEqual(answers["ListReportAccounts"].total_size,
                                 len(demo_stack.ACCOUNT_KEYS))
                self.assertEqual(answers["GetSupportReport"].report.overall.tickets_created,
                                 demo_stack.TICKETS)
                self.assertTrue(answers["ListAtRiskAccounts"].at_risk_accounts)

    def test_the_portfolio_is_the_seeds_accounts_and_revenue(self):
        # In roubles over the last 200 days (no seeded interaction falls within
        # a day of either end):
        #   the accounting firm: a 360,000.00 quarterly retainer invoice every
        #     91 days, the latest 120 days ago (211 is out)      360,000.00 recurring
        #   the bakery regular: 450.00 every 3 days from a day ago, days
        #     1, 4, ..., 199: 67 purchases                        30,150.00
        #   her birthday cake order (3,500.00 + 2 x 150.00): an order's
        #     purchase is recorded when it is placed               3,800.00
        #                                                         ----------
        #   revenue 393,950.00 = recurring 360,000.00 + transactional 33,950.00
        span = last_days(200)
        report = self.reports.GetPortfolioReport(
            R.GetPortfolioReportRequest(time_range=span, currency_code=RUB)).report
        self.assertEqual(report.account_count, 15)
        self.assertEqual(report.revenue, money_pb2.Money(currency_code=RUB,
                                                         amount_minor_units=39395000))
        slices = report.mode_slices
        self.assertEqual([s.mode for s in slices], [
            Mode.RELATIONSHIP_MODE_CUSTOMER, Mode.RELATIONSHIP_MODE_TRANSITIONING,
            Mode.RELATIONSHIP_MODE_CLIENT, Mode.RELATIONSHIP_MODE_UNSPECIFIED])
        self.assertEqual(sum(s.account_count for s in slices), 15)
        self.assertEqual(slices[3].account_count, 0)  # every demo account is scored
        self.assertEqual(sum(s.recurring_revenue.amount_minor_units for s in slices),
                         36000000)
        self.assertEqual(sum(s.transactional_revenue.amount_minor_units for s in slices),
                         3395000)
        for mode_slice in slices:
            self.assertEqual(sum(b.account_count for b in mode_slice.band_counts),
                             mode_slice.account_count)
        # Money in other currencies (dirhams, lira, yuan...) is left out, and said so.
        self.assertGreater(report.metadata.other_currency_interaction_count, 0)

        # Down to the accounts: every demo account, each once; a mode lists its count.
        everyone, total = listed(self.reports, A.ReportAggregate(
            portfolio=A.PortfolioAggregate()), span, currency_code=RUB)
        self.assertEqual((sorted(everyone), total), (sorted(self.names.values()), 15))
        clients, total = listed(self.reports, A.ReportAggregate(
            portfolio=A.PortfolioAggregate(mode=Mode.RELATIONSHIP_MODE_CLIENT)), span)
        self.assertEqual(len(clients), slices[2].account_count)
        self.assertEqual(total, slices[2].account_count)
        # The therapist's practice declared itself a client.
        self.assertIn(self.names["therapist"], clients)

    def test_the_weak_demo_accounts_are_at_risk_with_live_scores(self):
        response = self.reports.ListAtRiskAccounts(R.ListAtRiskAccountsRequest(
            time_range=last_days(365), currency_code=RUB))
        at_risk = [a.account for a in response.at_risk_accounts]
        self.assertEqual(response.total_size, len(at_risk))
        # The seed's weak relationships: a client gone quiet with its contract
        # ended, a weekly regular gone six weeks, a one-off gift a year ago. The
        # clients in touch are not at risk.
        self.assertLessEqual(self.demo("accounting-firm", "bakery-regular-2", "gift-buyer"),
                             set(at_risk))
        self.assertFalse(self.demo("law-firm", "pr-consultancy", "ad-agency") & set(at_risk))
        # The accounting firm's retainer is 360,000.00 a quarter: 4 quarters a
        # year at risk, the most of any.
        first = response.at_risk_accounts[0]
        self.assertEqual(first.account, self.names["accounting-firm"])
        self.assertEqual(first.revenue_at_risk.amount_minor_units, 4 * 36000000)
        self.assertEqual(first.account_manager, "am.ivan")
        for account in response.at_risk_accounts:
            self.assertTrue(account.reasons, account.account)
        self.assertEqual(response.score_freshness.source, LIVE)
        self.assertEqual(response.score_freshness.stale_reason, "")

    def test_support_and_workload_count_the_seeds_tickets_and_managers(self):
        span = last_days(30)
        overall = self.reports.GetSupportReport(
            R.GetSupportReportRequest(time_range=span)).report.overall
        # Four tickets; the bakery question answered, solved and rated 5; three open.
        self.assertEqual((overall.tickets_created, overall.tickets_solved,
                          overall.csat_responses, overall.average_csat_rating,
                          overall.backlog), (4, 1, 1, 5.0, 3))
        accounts, _ = listed(self.reports, A.ReportAggregate(support=A.SupportAggregate()),
                             span)
        self.assertEqual(set(accounts),
                         self.demo("law-firm", "salon", "fuel-card", "bakery-regular"))

        workload = self.reports.GetWorkloadReport(
            R.GetWorkloadReportRequest(time_range=span)).report
        managed = {m.account_manager: m.accounts for m in workload.account_managers}
        self.assertEqual(managed, {"am.sara": 2, "am.ivan": 2, "am.li": 1})
        self.assertEqual(sum(a.tickets_assigned for a in workload.agents), 4)
        self.assertEqual(sum(a.open_tickets for a in workload.agents), 3)
        accounts, _ = listed(self.reports, A.ReportAggregate(
            workload=A.WorkloadAggregate(account_manager="am.sara")), span)
        self.assertEqual(set(accounts), self.demo("law-firm", "pr-consultancy"))

    def test_cohorts_are_the_seeds_acquisition_years(self):
        # An account's cohort is its acquisition date's, else the day it was
        # created (the two leads: today in their own time zones, which late in
        # the UTC day is already tomorrow in Berlin). Years from four years
        # ago to two days ahead.
        today = datetime.date.today()
        span = time_range(datetime.date(today.year - 4, 1, 1),
                          int(time.time()) + 2 * DAY)
        want = {}
        for key, fields, _ in demo_stack.seed_demo.DEMO:
            year = fields["acquisition_date"].year if "acquisition_date" in fields \
                else datetime.datetime.now(zoneinfo.ZoneInfo(fields["time_zone"])).year
            if year >= today.year - 4:
                want.setdefault(year, set()).add(self.names[key])
        report = self.reports.GetRetentionReport(R.GetRetentionReportRequest(
            time_range=span, period=retention_report_pb2.COHORT_PERIOD_YEAR)).report
        got = {c.cohort_start_date.year: c.initial_accounts for c in report.cohorts
               if c.initial_accounts}
        self.assertEqual(got, {year: len(names) for year, names in want.items()})
        for year, names in want.items():
            accounts, _ = listed(self.reports, A.ReportAggregate(
                retention=A.RetentionAggregate(
                    cohort_start_date=date_pb2.Date(year=year, month=1, day=1))),
                span, period=retention_report_pb2.COHORT_PERIOD_YEAR)
            self.assertEqual(set(accounts), names, year)

    def test_the_funnel_starts_with_customers_acquired_in_the_range(self):
        # Reporting has known the demo accounts only since the seed, so the
        # funnel's entrants are those acquired in the range.
        start = datetime.date(datetime.date.today().year - 1, 1, 1)
        span = time_range(start, int(time.time()) + 3600)
        stages = self.reports.GetConversionFunnelReport(
            R.GetConversionFunnelReportRequest(time_range=span)).report.stages
        counts = [s.account_count for s in stages]
        self.assertGreater(counts[0], 0)
        self.assertEqual(counts, sorted(counts, reverse=True))  # a strict funnel
        acquired = {self.names[key] for key, fields, _ in demo_stack.seed_demo.DEMO
                    if "acquisition_date" not in fields
                    or fields["acquisition_date"].year >= start.year}
        for stage in stages:
            accounts, total = listed(self.reports, A.ReportAggregate(
                funnel=A.FunnelAggregate(stage=stage.stage)), span)
            self.assertEqual(total, stage.account_count)
            self.assertLessEqual(set(accounts), acquired)

    def test_the_pipeline_is_the_seeds_deals(self):
        # Per quarter and currency, from the seed's deal table: the open deals by
        # stage (the salon customer's proposal moved hers to PROPOSAL), and the
        # deals won and lost by their close dates.
        want = {}
        for row, quarter in zip(demo_stack.demo_commercial.DEALS,
                                demo_stack.deal_quarters()):
            key, _, _, stage, amount, _, _, outcome = row
            if outcome:
                stage = D.DealStage.Value(f"DEAL_STAGE_{outcome[0]}")
            elif key == "salon-2":
                stage = D.DEAL_STAGE_PROPOSAL
            figures = want.setdefault((quarter, amount.currency_code), {})
            count, total, accounts = figures.get(stage, (0, 0, set()))
            figures[stage] = (count + 1, total + amount.amount_minor_units,
                              accounts | {self.names[key]})
        for ((year, quarter), currency), figures in want.items():
            with self.subTest(year=year, quarter=quarter, currency=currency):
                pipeline = self.reports.GetPipelineReport(R.GetPipelineReportRequest(
                    year=year, quarter=quarter, currency_code=currency)).report.pipeline
                got = {s.stage: (s.deal_count, s.open_amount.amount_minor_units)
                       for s in pipeline.stages if s.deal_count}
                for stage, outcome in ((D.DEAL_STAGE_WON, pipeline.won),
                                       (D.DEAL_STAGE_LOST, pipeline.lost)):
                    if outcome.deal_count:
                        got[stage] = (outcome.deal_count, outcome.amount.amount_minor_units)
                self.assertEqual(got, {k: v[:2] for k, v in figures.items()})
                for stage, (_, _, accounts) in figures.items():
                    listing, _ = listed(self.reports, A.ReportAggregate(
                        pipeline=A.PipelineAggregate(stage=stage)),
                        quarter_range(year, quarter), currency_code=currency)
                    self.assertEqual(set(listing), accounts)

    def test_another_tenant_sees_none_of_the_demo_accounts(self):
        answers = every_report(demo_stack.reporting(self.stack, OTHER))
        self.assertEqual(answers["GetPortfolioReport"].report.account_count, 0)
        self.assertEqual(answers["ListReportAccounts"].total_size, 0)
        self.assertEqual(answers["ListAtRiskAccounts"].total_size, 0)
        self.assertEqual(answers["GetSupportReport"].report.overall.tickets_created, 0)
        self.assertFalse(answers["GetWorkloadReport"].report.account_managers)
        self.assertFalse(any(c.initial_accounts for c in
                             answers["GetRetentionReport"].report.cohorts))
        self.assertFalse(any(s.account_count for s in
                             answers["GetConversionFunnelReport"].report.stages))
        pipeline = answers["GetPipelineReport"].report.pipeline
        self.assertEqual((pipeline.open_deal_count, pipeline.won.deal_count,
                          pipeline.lost.deal_count, pipeline.other_currency_deal_count),
                         (0, 0, 0, 0))
        other = demo_stack.reporting(self.stack, OTHER)
        accounts, total = listed(other, A.ReportAggregate(
            workload=A.WorkloadAggregate(account_manager="am.sara")), last_days(30))
        self.assertEqual((accounts, total), ([], 0))

    def test_a_bad_time_range_is_invalid_argument_naming_the_field(self):
        now = int(time.time())
        for span, field in ((time_range(now, now - DAY), "time_range"),
                            (time_range(now - 6 * 366 * DAY, now), "time_range")):
            with self.assertRaises(grpc.RpcError) as caught:
                self.reports.GetPortfolioReport(R.GetPortfolioReportRequest(time_range=span))
            self.assertEqual(caught.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
            self.assertEqual(violated_fields(caught.exception), [field])


class OutageTest(unittest.TestCase):
    """Engagement killed, then contacts and ticketing stopped: reporting answers
    on; brought back, it takes in what is recorded again."""

    @classmethod
    def setUpClass(cls):
        cls.stack = demo_stack.start()
        cls.reports = demo_stack.reporting(cls.stack)
        cls.names = demo_stack.demo_accounts(cls.stack)

    @classmethod
    def tearDownClass(cls):
        cls.stack.close()

    def figures(self):
        """Every report's answer, reduced to what does not move with the clock."""
        answers = every_report(self.reports)
        at_risk = answers["ListAtRiskAccounts"]
        return {
            "accounts": answers["GetPortfolioReport"].report.account_count,
            "revenue": answers["GetPortfolioReport"].report.revenue,
            "tickets": answers["GetSupportReport"].report.overall.tickets_created,
            "managers": len(answers["GetWorkloadReport"].report.account_managers),
            "at risk": sorted(a.account for a in at_risk.at_risk_accounts),
            "cohorts": len(answers["GetRetentionReport"].report.cohorts),
            "stages": len(answers["GetConversionFunnelReport"].report.stages),
            "won": answers["GetPipelineReport"].report.pipeline.won.deal_count,
            "listed": answers["ListReportAccounts"].total_size,
        }, at_risk.score_freshness

    def rouble_revenue(self):
        return self.reports.GetPortfolioReport(R.GetPortfolioReportRequest(
            time_range=last_days(30), currency_code=RUB)).report.revenue.amount_minor_units

    def test_reports_answer_with_the_others_down_and_catch_up_when_they_return(self):
        before, freshness = self.figures()
        self.assertEqual(freshness.source, LIVE)

        # Engagement dies: the at-risk list answers from reporting's projection
        # and says why.
        engagement = self.stack.servers.pop("engagement")
        engagement.process.kill()
        engagement.process.wait()
        engagement.stop()
        during, freshness = self.figures()
        self.assertEqual(during, before)
        self.assertEqual(freshness.source, PROJECTION)
        self.assertIn("engagement", freshness.stale_reason)
        self.assertTrue(freshness.HasField("projection_time"))

        # Contacts and ticketing stop too: every report still answers.
        self.stack.stop("contacts", "ticketing")
        during, freshness = self.figures()
        self.assertEqual(during, before)
        self.assertEqual(freshness.source, PROJECTION)

        # Back up: scores are live again, and a purchase recorded now reaches
        # the portfolio's revenue.
        for name in ("contacts", "engagement", "ticketing"):
            self.stack.start(name)
        suite.wait_for(lambda: self.figures()[1].source == LIVE, timeout=30,
                       what="live scores after engagement's restart")
        revenue = self.rouble_revenue()
        engagement = demo_stack.Client(engagement_service_pb2_grpc.EngagementServiceStub(
            self.stack.engagement.channel), DEMO)
        I = interaction_pb2
        engagement.RecordInteraction(engagement_service_pb2.RecordInteractionRequest(
            interaction=I.Interaction(
                account=self.names["bakery-regular"], kind=I.INTERACTION_KIND_PURCHASE,
                occur_time=demo_stack.timestamp(time.time() - 60),
                direction=I.INTERACTION_DIRECTION_INBOUND,
                channel=I.INTERACTION_CHANNEL_POINT_OF_SALE,
                amount=money_pb2.Money(currency_code=RUB, amount_minor_units=12345)),
            request_id="reporting-suite-purchase-after-restart"))
        suite.wait_for(lambda: self.rouble_revenue() == revenue + 12345, timeout=30,
                       what="the purchase to reach the portfolio report")


if __name__ == "__main__":
    unittest.main()
