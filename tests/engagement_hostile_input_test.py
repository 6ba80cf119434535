"""Engagement against hostile requests: each answers the right status code
naming the field, and the server goes on serving. Shares engagement_test's
stack (its setUpModule) and request builders."""

import datetime
import unittest

from google.protobuf import duration_pb2

import engagement_test
from clientele.engagement.v1 import follow_up_pb2
from clientele.type.v1 import account_classification_pb2 as classification
from engagement_test import (I, Code, EngagementTestCase, eur, interaction, now, pb, score_name,
                             timestamp)
from wire import violated_fields

# engagement_test's stack for the module.
setUpModule = engagement_test.setUpModule
tearDownModule = engagement_test.tearDownModule


class HostileInputTest(EngagementTestCase):
    def test_bad_requests_answer_the_right_code_and_field_and_serving_goes_on(self):
        target = self.new_account("Hostile target")
        e = self.engagement
        future = now() + datetime.timedelta(hours=1)

        def rec(request_id="", **changes):
            kind = changes.pop("kind", I.INTERACTION_KIND_CALL)
            message = interaction(target, kind, **changes)
            return pb.RecordInteractionRequest(interaction=message, request_id=request_id)

        def without(field, **changes):
            request = rec(**changes)
            request.interaction.ClearField(field)
            return request

        good = interaction(target, I.INTERACTION_KIND_EMAIL)
        too_many = pb.BatchRecordInteractionsRequest(interactions=[good] * 5_001)
        one_bad = pb.BatchRecordInteractionsRequest(interactions=[
            good, good, interaction(target, I.INTERACTION_KIND_REFUND, amount=eur(500)), good])

        cases = [
            ("no account", e.RecordInteraction, without("account"),
             Code.INVALID_ARGUMENT, "interaction.account"),
            ("path traversal in the account", e.RecordInteraction,
             pb.RecordInteractionRequest(interaction=interaction("accounts/../../x")),
             Code.INVALID_ARGUMENT, "interaction.account"),
            ("no kind", e.RecordInteraction, without("kind"),
             Code.INVALID_ARGUMENT, "interaction.kind"),
            ("unknown kind number", e.RecordInteraction, rec(kind=999),
             Code.INVALID_ARGUMENT, "interaction.kind"),
            ("a TICKET_* kind from a client", e.RecordInteraction,
             rec(kind=I.INTERACTION_KIND_TICKET_OPENED),
             Code.INVALID_ARGUMENT, "interaction.kind"),
            ("a CSAT response from a client", e.RecordInteraction,
             rec(kind=I.INTERACTION_KIND_TICKET_CSAT_RESPONSE, rating=5),
             Code.INVALID_ARGUMENT, "interaction.kind"),
            ("no occur_time", e.RecordInteraction, without("occur_time"),
             Code.INVALID_ARGUMENT, "interaction.occur_time"),
            ("an hour in the future", e.RecordInteraction, rec(when=future),
             Code.INVALID_ARGUMENT, "interaction.occur_time"),
            ("no direction", e.RecordInteraction, without("direction"),
             Code.INVALID_ARGUMENT, "interaction.direction"),
            ("no channel", e.RecordInteraction, without("channel"),
             Code.INVALID_ARGUMENT, "interaction.channel"),
            ("unknown currency", e.RecordInteraction,
             rec(kind=I.INTERACTION_KIND_PURCHASE, amount=eur(100, "ZZZ")),
             Code.INVALID_ARGUMENT, "interaction.amount.currency_code"),
            ("lower-case currency", e.RecordInteraction,
             rec(kind=I.INTERACTION_KIND_PURCHASE, amount=eur(100, "eur")),
             Code.INVALID_ARGUMENT, "interaction.amount.currency_code"),
            ("amount without currency", e.RecordInteraction,
             rec(kind=I.INTERACTION_KIND_PURCHASE, amount=eur(100, "")),
             Code.INVALID_ARGUMENT, "interaction.amount.currency_code"),
            ("negative purchase", e.RecordInteraction,
             rec(kind=I.INTERACTION_KIND_PURCHASE, amount=eur(-100)),
             Code.INVALID_ARGUMENT, "interaction.amount.amount_minor_units"),
            ("positive refund", e.RecordInteraction,
             rec(kind=I.INTERACTION_KIND_REFUND, amount=eur(100)),
             Code.INVALID_ARGUMENT, "interaction.amount.amount_minor_units"),
            ("rating on a meeting", e.RecordInteraction,
             rec(kind=I.INTERACTION_KIND_MEETING, rating=4),
             Code.INVALID_ARGUMENT, "interaction.rating"),
            ("rating 9", e.RecordInteraction,
             rec(kind=I.INTERACTION_KIND_SURVEY_RESPONSE, rating=9,
                 direction=I.INTERACTION_DIRECTION_INBOUND),
             Code.INVALID_ARGUMENT, "interaction.rating"),
            ("2,001-character summary", e.RecordInteraction, rec(summary="ş" * 2_001),
             Code.INVALID_ARGUMENT, "interaction.summary"),
            ("129-character staff user", e.RecordInteraction, rec(staff_user="u" * 129),
             Code.INVALID_ARGUMENT, "interaction.staff_user"),
            ("25-hour call", e.RecordInteraction,
             rec(duration=duration_pb2.Duration(seconds=25 * 3600)),
             Code.INVALID_ARGUMENT, "interaction.duration"),
            ("negative duration", e.RecordInteraction,
             rec(duration=duration_pb2.Duration(seconds=-60)),
             Code.INVALID_ARGUMENT, "interaction.duration"),
            ("65-character request id", e.RecordInteraction, rec(request_id="r" * 65),
             Code.INVALID_ARGUMENT, "request_id"),
            ("unknown account", e.RecordInteraction,
             pb.RecordInteractionRequest(interaction=interaction("accounts/doesnotexist")),
             Code.NOT_FOUND, "accounts/doesnotexist"),
            ("empty batch", e.BatchRecordInteractions, pb.BatchRecordInteractionsRequest(),
             Code.INVALID_ARGUMENT, "interactions"),
            ("a bad third of four", e.BatchRecordInteractions, one_bad,
             Code.INVALID_ARGUMENT, "interactions[2].amount.amount_minor_units"),
            ("5,001 interactions", e.BatchRecordInteractions, too_many,
             Code.INVALID_ARGUMENT, "interactions"),
            ("a purchase above 10^15 minor units", e.RecordInteraction,
             rec(kind=I.INTERACTION_KIND_PURCHASE, amount=eur(10**15 + 1)),
             Code.INVALID_ARGUMENT, "interaction.amount.amount_minor_units"),
            ("a refund below -10^15 minor units", e.RecordInteraction,
             rec(kind=I.INTERACTION_KIND_REFUND, amount=eur(-(2**63))),
             Code.INVALID_ARGUMENT, "interaction.amount.amount_minor_units"),
            ("two purchases near INT64_MAX in one batch", e.BatchRecordInteractions,
             pb.BatchRecordInteractionsRequest(interactions=[
                 interaction(target, I.INTERACTION_KIND_PURCHASE, amount=eur(2**63 - 2))] * 2),
             Code.INVALID_ARGUMENT, "interactions[0].amount.amount_minor_units"),
            ("score name without the singleton", e.GetRelationshipScore,
             pb.GetRelationshipScoreRequest(name=target), Code.INVALID_ARGUMENT, "name"),
            ("score as of tomorrow", e.GetRelationshipScore,
             pb.GetRelationshipScoreRequest(
                 name=score_name(target),
                 as_of_time=timestamp(now() + datetime.timedelta(days=1))),
             Code.INVALID_ARGUMENT, "as_of_time"),
            ("score of an unknown account", e.GetRelationshipScore,
             pb.GetRelationshipScoreRequest(name="accounts/doesnotexist/relationshipScore"),
             Code.NOT_FOUND, None),
            ("501 scores", e.BatchGetRelationshipScores,
             pb.BatchGetRelationshipScoresRequest(names=[score_name(target)] * 501),
             Code.INVALID_ARGUMENT, "names"),
            ("timeline without account", e.ListInteractions, pb.ListInteractionsRequest(),
             Code.INVALID_ARGUMENT, "account"),
            ("negative page size", e.ListInteractions,
             pb.ListInteractionsRequest(account=target, page_size=-1),
             Code.INVALID_ARGUMENT, "page_size"),
            ("garbage page token", e.ListInteractions,
             pb.ListInteractionsRequest(account=target,
                                        page_token="'; DROP TABLE interactions; --"),
             Code.INVALID_ARGUMENT, "page_token"),
            ("path traversal in an interaction name", e.GetInteraction,
             pb.GetInteractionRequest(name="interactions/../../x"),
             Code.INVALID_ARGUMENT, "name"),
            ("unknown interaction", e.GetInteraction,
             pb.GetInteractionRequest(name="interactions/doesnotexist"),
             Code.NOT_FOUND, "interactions/doesnotexist"),
            ("follow-up without title", e.CreateFollowUp,
             pb.CreateFollowUpRequest(follow_up=follow_up_pb2.FollowUp(
                 account=target, assignee="u-1",
                 due_time=timestamp(now() + datetime.timedelta(days=1)))),
             Code.INVALID_ARGUMENT, "follow_up.title"),
            ("follow-up for an unknown account", e.CreateFollowUp,
             pb.CreateFollowUpRequest(follow_up=follow_up_pb2.FollowUp(
                 account="accounts/doesnotexist", title="Call", assignee="u-1",
                 due_time=timestamp(now() + datetime.timedelta(days=1)))),
             Code.NOT_FOUND, "accounts/doesnotexist"),
        ]
        for name, call, request, code, field in cases:
            with self.subTest(name):
                error = self.assertRpcError(code, call, request, timeout=120)
                self.assertLess(len(error.details()), 2000)
                if code == Code.INVALID_ARGUMENT:
                    self.assertEqual(violated_fields(error)[:1], [field])
                    self.assertIn(field, error.details())
                elif code == Code.NOT_FOUND and field:
                    self.assertIn(field, error.details())

        # Nothing of it was recorded; the service goes on serving the target. A page size
        # above the maximum is read as the maximum (AIP-158), not refused.
        self.assertEqual(self.timeline(target, page_size=1 << 30), [])
        self.assertEqual(self.score(target).interaction_count, 0)
        self.assert_serving()
        self.record(good)
        self.assertEqual(self.score(target).interaction_count, 1)

    def test_kinds_that_carry_money_require_an_amount(self):
        # InteractionKind: PURCHASE, SUBSCRIPTION_PAYMENT, RETAINER_INVOICE ("amount
        # required, positive") and REFUND ("amount required, negative").
        target = self.new_account("Amountless target")
        for kind in (I.INTERACTION_KIND_PURCHASE, I.INTERACTION_KIND_SUBSCRIPTION_PAYMENT,
                     I.INTERACTION_KIND_RETAINER_INVOICE, I.INTERACTION_KIND_REFUND):
            with self.subTest(I.InteractionKind.Name(kind)):
                error = self.assertRpcError(
                    Code.INVALID_ARGUMENT, self.engagement.RecordInteraction,
                    pb.RecordInteractionRequest(interaction=interaction(target, kind)))
                self.assertEqual(violated_fields(error)[:1], ["interaction.amount"])
        self.assertEqual(self.timeline(target), [])

    def test_a_full_batch_of_5000_is_taken(self):
        account = self.new_account("Supermarkt Petrova", segment=classification.ACCOUNT_SEGMENT_B2C)
        start = now() - datetime.timedelta(days=300)
        batch = [interaction(account, I.INTERACTION_KIND_PURCHASE,
                             start + datetime.timedelta(minutes=80 * n), amount=eur(100 + n))
                 for n in range(5_000)]
        recorded = self.engagement.BatchRecordInteractions(
            pb.BatchRecordInteractionsRequest(interactions=batch), timeout=300).interactions
        self.assertEqual(len(recorded), 5_000)
        self.assertEqual(self.score(account).interaction_count, 5_000)
        # Asking for more than a page holds gets a full page (AIP-158), and a token.
        page = self.engagement.ListInteractions(pb.ListInteractionsRequest(
            account=account, page_size=1 << 30))
        self.assertEqual(len(page.interactions), 1_000)
        self.assertTrue(page.next_page_token)


# --- 8. erasure from contacts -----------------------------------------------------------


if __name__ == "__main__":
    unittest.main()
