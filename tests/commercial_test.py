"""Engagement's commercial side seen from outside: the real `contacts` and
`engagement` binaries on a real redis-server, called by Python grpcio clients
generated from our protos and by `buf curl`.

The journeys the issue asks for:
  - a good customer gets a retainer proposal recorded on a deal, the deal shows
    in the quarter's pipeline at its stage's probability, and winning it moves
    the customer towards client;
  - an order is the purchase for scoring, counted once: placing it counts,
    recording the same purchase again is refused, cancelling it uncounts it,
    fulfilling it (checklist done) makes the invoice follow-up for its team;
  - a prospect that declared needs and met the team has a lead score explained
    by its components, in the same read as the relationship score;
  - a greeting cadence makes one follow-up before the account's date, however
    often its job runs and across a restart.
"""

import datetime
import unittest

import grpc
from google.protobuf import duration_pb2, field_mask_pb2, timestamp_pb2

import suite
from clientele.contacts.v1 import account_pb2, contacts_service_pb2, contacts_service_pb2_grpc
from clientele.engagement.v1 import (cadence_pb2, deal_pb2, engagement_service_pb2,
                                     engagement_service_pb2_grpc, follow_up_pb2,
                                     interaction_pb2, next_best_action_pb2, order_pb2,
                                     relationship_score_pb2)
from clientele.type.v1 import account_classification_pb2 as classification
from clientele.type.v1 import date_pb2, money_pb2

DEMO = "demo-token"
OTHER = "other-token"
Code = grpc.StatusCode
pb = engagement_service_pb2
cpb = contacts_service_pb2
D = deal_pb2
O = order_pb2
I = interaction_pb2


Client = suite.Client


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def timestamp(when):
    return timestamp_pb2.Timestamp(seconds=int(when.timestamp()))


def eur(minor):
    return money_pb2.Money(currency_code="EUR", amount_minor_units=minor)


def date_of(day):
    return date_pb2.Date(year=day.year, month=day.month, day=day.day)


def mask(*paths):
    return field_mask_pb2.FieldMask(paths=list(paths))


def quarter_of(day):
    return day.year, (day.month - 1) // 3 + 1


class CommercialSuiteTest(suite.OwnStack, unittest.TestCase):

    SERVICES = ["contacts", "engagement"]

    def engagement(self, token=DEMO):
        return Client(engagement_service_pb2_grpc.EngagementServiceStub(
            self.stack.engagement.channel), token)

    def contacts(self):
        return Client(contacts_service_pb2_grpc.ContactsServiceStub(
            self.stack.contacts.channel), DEMO)

    def new_account(self, display_name, **fields):
        values = dict(display_name=display_name,
                      kind=classification.ACCOUNT_KIND_INDIVIDUAL,
                      segment=classification.ACCOUNT_SEGMENT_B2C,
                      tier=classification.ACCOUNT_TIER_STANDARD,
                      lifecycle_stage=classification.LIFECYCLE_STAGE_ACTIVE)
        values.update(fields)
        account = self.contacts().CreateAccount(cpb.CreateAccountRequest(
            account=account_pb2.Account(**values))).account.name
        score_name = f"{account}/relationshipScore"
        suite.wait_for(lambda: suite.found(
            self.engagement().GetRelationshipScore,
            pb.GetRelationshipScoreRequest(name=score_name)),
            timeout=60, what=f"engagement to know {account}")
        return account

    def score(self, account, view=pb.RELATIONSHIP_SCORE_VIEW_FULL):
        return self.engagement().GetRelationshipScore(pb.GetRelationshipScoreRequest(
            name=f"{account}/relationshipScore", view=view)).relationship_score

    def record(self, account, kind, days_ago, amount=None, **fields):
        interaction = I.Interaction(
            account=account, kind=kind, occur_time=timestamp(now() - datetime.timedelta(
                days=days_ago)),
            direction=fields.pop("direction", I.INTERACTION_DIRECTION_INBOUND),
            channel=fields.pop("channel", I.INTERACTION_CHANNEL_IN_PERSON), **fields)
        if amount is not None:
            interaction.amount.CopyFrom(amount)
        return self.engagement().RecordInteraction(
            pb.RecordInteractionRequest(interaction=interaction)).interaction

    def assert_code(self, code, call, request, field=None):
        with self.assertRaises(grpc.RpcError) as raised:
            call(request)
        self.assertEqual(raised.exception.code(), code, raised.exception.details())
        if field is not None:
            self.assertIn(field, raised.exception.details())

    # --- deals ------------------------------------------------------------------------

    def test_a_retainer_proposal_on_a_deal_fills_the_pipeline_and_winning_it_makes_a_client(
            self):
        engagement = self.engagement()
        account = self.new_account("Zeynep Arslan (salon regular)")
        for days_ago in range(200, 0, -21):
            self.record(account, I.INTERACTION_KIND_PURCHASE, days_ago, eur(9_000))
        before = self.score(account).mode_assessment

        close = now().date() + datetime.timedelta(days=10)
        deal = engagement.CreateDeal(pb.CreateDealRequest(
            deal=D.Deal(account=account, title="Monthly styling retainer",
                        kind=D.DEAL_KIND_RETAINER, amount=eur(1_200_000),
                        expected_close_date=date_of(close), owner="sales.emma"),
            request_id="deal-salon-1")).deal
        self.assertEqual(deal.stage, D.DEAL_STAGE_QUALIFYING)
        self.assertAlmostEqual(deal.probability, 0.1)
        # A retry with the same request_id is the same deal.
        again = engagement.CreateDeal(pb.CreateDealRequest(
            deal=D.Deal(account=account, title="Monthly styling retainer",
                        kind=D.DEAL_KIND_RETAINER, amount=eur(1_200_000),
                        expected_close_date=date_of(close), owner="sales.emma"),
            request_id="deal-salon-1")).deal
        self.assertEqual(again.name, deal.name)

        proposal = self.record(account, I.INTERACTION_KIND_PROPOSAL, 0, eur(1_200_000),
                               deal=deal.name, direction=I.INTERACTION_DIRECTION_OUTBOUND,
                               channel=I.INTERACTION_CHANNEL_EMAIL, staff_user="sales.emma")
        deal = engagement.GetDeal(pb.GetDealRequest(name=deal.name)).deal
        self.assertEqual(deal.stage, D.DEAL_STAGE_PROPOSAL)
        self.assertEqual(list(deal.proposals), [proposal.name])
        self.assertEqual(deal.weighted_amount.amount_minor_units, 360_000)
        # The proposal rule still makes its follow-up.
        follow_ups = engagement.ListFollowUps(pb.ListFollowUpsRequest(account=account)).follow_ups
        self.assertIn(follow_up_pb2.FOLLOW_UP_RULE_PROPOSAL_SENT, [f.rule for f in follow_ups])

        year, quarter = quarter_of(close)
        pipeline = engagement.GetPipeline(pb.GetPipelineRequest(
            year=year, quarter=quarter, owner="sales.emma", currency_code="EUR")).pipeline
        stages = {s.stage: s for s in pipeline.stages}
        self.assertEqual(stages[D.DEAL_STAGE_PROPOSAL].deal_count, 1)
        self.assertEqual(stages[D.DEAL_STAGE_PROPOSAL].open_amount.amount_minor_units, 1_200_000)
        self.assertEqual(pipeline.weighted_amount.amount_minor_units, 360_000)
        self.assertEqual(len(pipeline.months), 3)

        # A stale etag is refused; a proposal for another account's deal too.
        stale = D.Deal(name=deal.name, etag="stale", title="x")
        self.assert_code(Code.ABORTED, engagement.UpdateDeal,
                         pb.UpdateDealRequest(deal=stale, update_mask=mask("title")))
        other = self.new_account("Somebody else")
        self.assert_code(Code.FAILED_PRECONDITION, engagement.RecordInteraction,
                         pb.RecordInteractionRequest(interaction=I.Interaction(
                             account=other, kind=I.INTERACTION_KIND_PROPOSAL,
                             occur_time=timestamp(now()), deal=deal.name,
                             direction=I.INTERACTION_DIRECTION_OUTBOUND,
                             channel=I.INTERACTION_CHANNEL_EMAIL)), "interaction.deal")
        # Another tenant does not see it.
        self.assert_code(Code.NOT_FOUND, self.engagement(OTHER).GetDeal,
                         pb.GetDealRequest(name=deal.name))

        won = engagement.CloseDeal(pb.CloseDealRequest(
            name=deal.name, outcome=D.DEAL_STAGE_WON, etag=deal.etag)).deal
        self.assertEqual(won.stage, D.DEAL_STAGE_WON)
        self.assertEqual(won.probability, 1.0)
        # Closing it again the same way changes nothing; the other way is refused.
        self.assertEqual(engagement.CloseDeal(pb.CloseDealRequest(
            name=deal.name, outcome=D.DEAL_STAGE_WON)).deal.etag, won.etag)
        self.assert_code(Code.FAILED_PRECONDITION, engagement.CloseDeal, pb.CloseDealRequest(
            name=deal.name, outcome=D.DEAL_STAGE_LOST, loss_reason=D.DEAL_LOSS_REASON_PRICE))

        after = self.score(account).mode_assessment
        self.assertGreater(after.client_likelihood, before.client_likelihood)
        self.assertTrue(any("deal" in s.observation.lower() for s in after.deciding_signals),
                        after.deciding_signals)
        won_pipeline = engagement.GetPipeline(pb.GetPipelineRequest(
            year=year, quarter=quarter, owner="sales.emma", currency_code="EUR")).pipeline
        self.assertEqual(won_pipeline.open_deal_count, 0)

    def test_bad_deals_name_the_field(self):
        engagement = self.engagement()
        account = self.new_account("Deal validation")
        good = D.Deal(account=account, title="Ok", kind=D.DEAL_KIND_ONE_OFF_SALE,
                      amount=eur(100), expected_close_date=date_of(now().date()),
                      owner="sales.emma")
        cases = [("deal.title", dict(title="")),
                 ("deal.kind", dict(kind=D.DEAL_KIND_UNSPECIFIED)),
                 ("deal.amount", dict(amount=eur(-5))),
                 ("deal.expected_close_date", dict(expected_close_date=date_pb2.Date(
                     year=2027, month=2, day=30)))]
        for field, change in cases:
            with self.subTest(field):
                deal = D.Deal()
                deal.CopyFrom(good)
                for key, value in change.items():
                    if hasattr(value, "CopyFrom"):
                        getattr(deal, key).CopyFrom(value)
                    else:
                        setattr(deal, key, value)
                self.assert_code(Code.INVALID_ARGUMENT, engagement.CreateDeal,
                                 pb.CreateDealRequest(deal=deal), field)
        self.assert_code(Code.NOT_FOUND, engagement.CreateDeal, pb.CreateDealRequest(
            deal=D.Deal(account="accounts/nobody", title="x", kind=D.DEAL_KIND_RETAINER,
                        amount=eur(1), expected_close_date=date_of(now().date()),
                        owner="o")))
        self.assert_code(Code.INVALID_ARGUMENT, engagement.GetPipeline,
                         pb.GetPipelineRequest(year=2026, quarter=5), "quarter")

    # --- orders -----------------------------------------------------------------------

    def test_an_order_is_the_purchase_counted_once_and_fulfilling_it_invoices_the_team(self):
        engagement = self.engagement()
        account = self.new_account("Brightline print order")
        before = self.score(account).interaction_count
        order = engagement.CreateOrder(pb.CreateOrderRequest(order=O.Order(
            account=account, fulfilment_team="print-shop", assignee="ops.chen",
            items=[O.OrderItem(product="Brochures", quantity=5000, unit_price=eur(70)),
                   O.OrderItem(product="Design", quantity=1, unit_price=eur(45_000))],
            checklist=[O.ChecklistItem(title="Artwork approved"),
                       O.ChecklistItem(title="Printed")]))).order
        self.assertEqual(order.status, O.ORDER_STATUS_PLACED)
        self.assertEqual(order.total.amount_minor_units, 395_000)
        self.assertTrue(order.purchase_interaction)
        self.assertEqual(self.score(account).interaction_count, before + 1)
        purchase = engagement.GetInteraction(
            pb.GetInteractionRequest(name=order.purchase_interaction)).interaction
        self.assertEqual(purchase.kind, I.INTERACTION_KIND_PURCHASE)
        self.assertEqual(purchase.source, I.INTERACTION_SOURCE_ORDER)
        self.assertEqual(purchase.amount.amount_minor_units, 395_000)

        # The same purchase recorded by hand would count twice: refused.
        self.assert_code(Code.ALREADY_EXISTS, engagement.RecordInteraction,
                         pb.RecordInteractionRequest(interaction=I.Interaction(
                             account=account, kind=I.INTERACTION_KIND_PURCHASE,
                             occur_time=timestamp(now()), amount=eur(395_000),
                             source_ref=order.name,
                             direction=I.INTERACTION_DIRECTION_INBOUND,
                             channel=I.INTERACTION_CHANNEL_WEB)), "source_ref")
        self.assert_code(Code.FAILED_PRECONDITION, engagement.DeleteInteraction,
                         pb.DeleteInteractionRequest(name=order.purchase_interaction))

        # Fulfilled needs the checklist done.
        order.status = O.ORDER_STATUS_FULFILLED
        self.assert_code(Code.FAILED_PRECONDITION, engagement.UpdateOrder,
                         pb.UpdateOrderRequest(order=order, update_mask=mask("status")),
                         "checklist")
        for item in order.checklist:
            item.done = True
        order = engagement.UpdateOrder(pb.UpdateOrderRequest(
            order=order, update_mask=mask("checklist", "status"))).order
        self.assertEqual(order.status, O.ORDER_STATUS_FULFILLED)
        self.assertTrue(order.HasField("fulfil_time"))
        invoices = [f for f in engagement.ListFollowUps(pb.ListFollowUpsRequest(
            account=account, team="print-shop")).follow_ups
            if f.rule == follow_up_pb2.FOLLOW_UP_RULE_ORDER_FULFILLED]
        self.assertEqual(len(invoices), 1)
        self.assertEqual(invoices[0].kind, follow_up_pb2.FOLLOW_UP_KIND_SEND_INVOICE)
        self.assertEqual(invoices[0].assignee, "ops.chen")
        # Final: no way back.
        order.status = O.ORDER_STATUS_CANCELLED
        self.assert_code(Code.FAILED_PRECONDITION, engagement.UpdateOrder,
                         pb.UpdateOrderRequest(order=order, update_mask=mask("status")))

        # A cancelled order's purchase no longer counts.
        second = engagement.CreateOrder(pb.CreateOrderRequest(order=O.Order(
            account=account, items=[O.OrderItem(product="Flyers", quantity=1,
                                                unit_price=eur(9_900))]))).order
        self.assertEqual(self.score(account).interaction_count, before + 2)
        second.status = O.ORDER_STATUS_CANCELLED
        second.cancel_reason = "Ordered twice"
        second = engagement.UpdateOrder(pb.UpdateOrderRequest(
            order=second, update_mask=mask("status", "cancel_reason"))).order
        self.assertEqual(second.purchase_interaction, "")
        self.assertEqual(self.score(account).interaction_count, before + 1)

        listed = engagement.ListOrders(pb.ListOrdersRequest(
            account=account, statuses=[O.ORDER_STATUS_FULFILLED])).orders
        self.assertEqual([o.name for o in listed], [order.name])

    def test_an_order_in_two_currencies_is_refused_naming_the_item(self):
        account = self.new_account("Mixed currencies")
        usd = money_pb2.Money(currency_code="USD", amount_minor_units=100)
        self.assert_code(Code.INVALID_ARGUMENT, self.engagement().CreateOrder,
                         pb.CreateOrderRequest(order=O.Order(account=account, items=[
                             O.OrderItem(product="A", quantity=1, unit_price=eur(100)),
                             O.OrderItem(product="B", quantity=1, unit_price=usd)])),
                         "order.items[1].unit_price.currency_code")

    # --- lead score -------------------------------------------------------------------

    def test_a_prospect_that_met_the_team_has_a_lead_score_explained_by_its_components(self):
        hot = self.new_account(
            "Nordlicht Logistik", kind=classification.ACCOUNT_KIND_ORGANIZATION,
            segment=classification.ACCOUNT_SEGMENT_B2B,
            tier=classification.ACCOUNT_TIER_ENTERPRISE,
            lifecycle_stage=classification.LIFECYCLE_STAGE_PROSPECT,
            declared_needs=["Payroll", "tax filing"])
        cold = self.new_account(
            "Café Aurora", kind=classification.ACCOUNT_KIND_ORGANIZATION,
            lifecycle_stage=classification.LIFECYCLE_STAGE_LEAD)
        for days_ago in (1, 3, 6):
            self.record(hot, I.INTERACTION_KIND_EMAIL, days_ago,
                        channel=I.INTERACTION_CHANNEL_EMAIL)
        self.record(hot, I.INTERACTION_KIND_MEETING, 2,
                    direction=I.INTERACTION_DIRECTION_OUTBOUND)
        self.record(cold, I.INTERACTION_KIND_EMAIL, 150, channel=I.INTERACTION_CHANNEL_EMAIL)

        hot_score = self.score(hot)
        cold_score = self.score(cold)
        self.assertTrue(hot_score.HasField("lead_score"))
        lead = hot_score.lead_score
        self.assertGreater(lead.score, cold_score.lead_score.score)
        self.assertAlmostEqual(lead.score, round(lead.fit_points + lead.engagement_points),
                               delta=1)
        kinds = {c.kind: c for c in lead.components}
        needs = kinds[relationship_score_pb2.LEAD_SCORE_COMPONENT_KIND_DECLARED_NEEDS]
        self.assertGreater(needs.points, 0)
        meetings = kinds[relationship_score_pb2.LEAD_SCORE_COMPONENT_KIND_MEETINGS]
        self.assertGreater(meetings.points, 0)
        self.assertTrue(all(c.observation for c in lead.components))
        # The dashboard view keeps the number and the grade.
        basic = self.score(hot, pb.RELATIONSHIP_SCORE_VIEW_BASIC).lead_score
        self.assertEqual((basic.score, basic.grade), (lead.score, lead.grade))
        # An active account has no lead score.
        active = self.new_account("Active customer")
        self.assertFalse(self.score(active).HasField("lead_score"))

    # --- cadences ---------------------------------------------------------------------

    def test_a_greeting_cadence_makes_one_follow_up_before_the_date_across_a_restart(self):
        engagement = self.engagement()
        birthday = now().date() + datetime.timedelta(days=2)
        account = self.new_account(
            "Olga Petrova (greetings)", time_zone="Europe/Moscow",
            account_manager="am.ivan",
            greeting_dates=[account_pb2.GreetingDate(
                occasion=account_pb2.GREETING_OCCASION_BIRTHDAY,
                date=date_pb2.Date(year=0, month=birthday.month, day=birthday.day))])
        cadence = engagement.CreateCadence(pb.CreateCadenceRequest(cadence=cadence_pb2.Cadence(
            kind=cadence_pb2.CADENCE_KIND_GREETING, account=account,
            lead_time=duration_pb2.Duration(seconds=3 * 86400),
            title="Birthday greetings"))).cadence

        def greeting_follow_ups():
            return [f for f in engagement.ListFollowUps(
                pb.ListFollowUpsRequest(account=account)).follow_ups
                if f.rule == follow_up_pb2.FOLLOW_UP_RULE_CADENCE]
        suite.wait_for(lambda: greeting_follow_ups(), timeout=60,
                       what="the cadence job to make the greeting follow-up")
        made = greeting_follow_ups()
        self.assertEqual(len(made), 1)
        self.assertEqual(made[0].cadence, cadence.name)
        self.assertEqual(made[0].assignee, "am.ivan")
        # Next best actions name the upcoming greeting.
        actions = self.score(account).next_best_actions
        self.assertIn(next_best_action_pb2.NEXT_BEST_ACTION_KIND_SEND_GREETING,
                      [a.kind for a in actions])

        self.stack.stop("engagement")
        self.stack.start("engagement")
        engagement = self.engagement()
        suite.wait_for(lambda: self.stack.engagement.serving(), timeout=60,
                       what="engagement to serve again")
        # Several passes of the job later, still one.
        for _ in range(3):
            self.assertEqual(len(greeting_follow_ups()), 1)
            engagement.GetCadence(pb.GetCadenceRequest(name=cadence.name))

        self.assert_code(Code.INVALID_ARGUMENT, engagement.CreateCadence,
                         pb.CreateCadenceRequest(cadence=cadence_pb2.Cadence(
                             kind=cadence_pb2.CADENCE_KIND_RELATIONSHIP_SURVEY,
                             segment=classification.ACCOUNT_SEGMENT_B2C)), "cadence.mode")

    # --- buf curl ---------------------------------------------------------------------

    def test_the_pipeline_answers_buf_curl_as_json(self):
        today = now().date()
        year, quarter = quarter_of(today)
        code, out, err = suite.buf_curl(
            self.stack.engagement.address, token=DEMO,
            data={"year": year, "quarter": quarter, "currencyCode": "EUR"},
            path="/clientele.engagement.v1.EngagementService/GetPipeline")
        self.assertEqual(code, 0, err)
        self.assertIn('"pipeline"', out)
        self.assertIn("DEAL_STAGE_QUALIFYING", out)


if __name__ == "__main__":
    unittest.main()
