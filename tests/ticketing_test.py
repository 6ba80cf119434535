"""Ticketing seen from outside: the real `ticketing` binary beside the real
`contacts` and `engagement` binaries on a real redis-server, called by Python
grpcio clients generated from our protos and by `buf curl`.

The journey the issue asks for: a client account with a dedicated manager is
created in contacts; its person writes in through the support form; ticketing
finds the requester through contacts (a real gRPC call with the caller's
token), routes the ticket to the manager, pauses it while waiting on the
requester, solves it and issues one survey; the requester answers 1 with the
survey's own token (no tenant token); engagement records the ticket's
interactions from ticketing's events, its "solved ticket -> survey" rule
makes a follow-up, and the relationship score drops naming support. Then
contacts is stopped: the form still takes the ticket, and links it to the
requester once contacts is back.
"""

import json
import unittest

import grpc

import suite
from clientele.contacts.v1 import account_pb2, contact_pb2, contacts_service_pb2
from clientele.contacts.v1 import contacts_service_pb2_grpc
from clientele.engagement.v1 import (engagement_service_pb2, engagement_service_pb2_grpc,
                                     follow_up_pb2, interaction_pb2, relationship_score_pb2)
from clientele.ticketing.v1 import (csat_survey_pb2, sla_policy_pb2, ticket_enums_pb2,
                                    ticket_history_pb2, ticket_pb2, ticketing_service_pb2,
                                    ticketing_service_pb2_grpc)
from clientele.type.v1 import account_classification_pb2 as classification
from clientele.type.v1 import relationship_pb2
from google.protobuf import duration_pb2

DEMO = "demo-token"
OTHER = "other-token"
Code = grpc.StatusCode
tpb = ticketing_service_pb2
cpb = contacts_service_pb2
epb = engagement_service_pb2
T = ticket_enums_pb2
I = interaction_pb2


Client = suite.Client


def hours(n):
    return duration_pb2.Duration(seconds=int(n * 3600))


class TicketingSuiteTest(suite.OwnStack, unittest.TestCase):

    SERVICES = ["contacts", "engagement", "ticketing"]

    def clients(self, token=DEMO):
        return (
            Client(contacts_service_pb2_grpc.ContactsServiceStub(
                self.stack.contacts.channel), token),
            Client(engagement_service_pb2_grpc.EngagementServiceStub(
                self.stack.engagement.channel), token),
            Client(ticketing_service_pb2_grpc.TicketingServiceStub(
                self.stack.ticketing.channel), token),
        )

    def ticketing(self, token=DEMO):
        return Client(ticketing_service_pb2_grpc.TicketingServiceStub(
            self.stack.ticketing.channel), token)

    def new_client_account(self, contacts, manager, email):
        account = contacts.CreateAccount(cpb.CreateAccountRequest(account=account_pb2.Account(
            display_name="Kanzlei Weber & Partner",
            kind=classification.ACCOUNT_KIND_ORGANIZATION,
            segment=classification.ACCOUNT_SEGMENT_B2B,
            tier=classification.ACCOUNT_TIER_PREMIUM,
            lifecycle_stage=classification.LIFECYCLE_STAGE_ACTIVE,
            account_manager=manager,
            declared_mode=relationship_pb2.RELATIONSHIP_MODE_CLIENT))).account
        contact = contacts.CreateContact(cpb.CreateContactRequest(contact=contact_pb2.Contact(
            account=account.name, given_name="Jana", family_name="Weber",
            emails=[contact_pb2.ContactEmail(address=email)]))).contact
        return account.name, contact.name

    def wait_until_ticketing_knows(self, account):
        """Ticketing knows accounts from contacts' events; a client policy
        applies once it knows this one is a client."""
        def known():
            # An idempotent create: however many tries, one probe ticket.
            try:
                probe = self.ticketing().CreateTicket(tpb.CreateTicketRequest(
                    ticket=ticket_pb2.Ticket(account=account, subject="probe",
                                             assignee="u-probe"),
                    request_id=f"probe-{account.split('/')[1]}"))
                return probe.ticket.relationship_mode == relationship_pb2.RELATIONSHIP_MODE_CLIENT
            except grpc.RpcError as error:
                if error.code() == Code.NOT_FOUND:
                    return False
                raise
        suite.wait_for(known, timeout=60, interval=0.2,
                       what=f"ticketing to know {account} as a client")

    def test_a_client_ticket_from_the_form_to_a_lower_score_naming_support(self):
        contacts, engagement, ticketing = self.clients()
        account, contact = self.new_client_account(contacts, "u-maria", "jana@weber-partner.de")
        # A premium client's urgent tickets are answered within business hours.
        ticketing.CreateSlaPolicy(tpb.CreateSlaPolicyRequest(sla_policy=sla_policy_pb2.SlaPolicy(
            display_name="Clients", modes=[relationship_pb2.RELATIONSHIP_MODE_CLIENT], rank=10,
            first_response_target=hours(4), resolution_target=hours(48))))
        self.wait_until_ticketing_knows(account)
        suite.wait_for(lambda: suite.found(engagement.GetRelationshipScore,
                                           epb.GetRelationshipScoreRequest(
                                               name=f"{account}/relationshipScore")),
                       timeout=60, what="engagement to know the account")
        # The probe ticket is recorded too; the score before is taken after it.
        suite.wait_for(lambda: any(
            i.kind == I.INTERACTION_KIND_TICKET_OPENED
            for i in engagement.ListInteractions(epb.ListInteractionsRequest(
                account=account)).interactions),
            timeout=60, what="engagement to record the probe ticket")
        before = engagement.GetRelationshipScore(epb.GetRelationshipScoreRequest(
            name=f"{account}/relationshipScore")).relationship_score.score

        # The form: a differently cased email finds the contact through contacts.
        form = ticketing.SubmitTicketForm(tpb.SubmitTicketFormRequest(
            name="Jana Weber", email="Jana@Weber-Partner.de", product="Retainer",
            problem="The invoice for November charges us twice.\nPlease check.",
            priority=T.TICKET_PRIORITY_HIGH, type=T.TICKET_TYPE_DISPUTE,
            request_id="form-jana-1"))
        ticket = form.ticket
        self.assertFalse(form.requester_created)
        self.assertFalse(ticket.requester_pending)
        self.assertEqual(ticket.requester, contact)
        self.assertEqual(ticket.account, account)
        self.assertEqual(ticket.subject, "The invoice for November charges us twice.")
        self.assertEqual(ticket.status, T.TICKET_STATUS_NEW)
        # Routed to the account manager, and the reason says so.
        self.assertEqual(ticket.assignee, "u-maria")
        self.assertEqual(ticket.routing.reason, ticket_pb2.ROUTING_REASON_ACCOUNT_MANAGER)
        self.assertIn("u-maria", ticket.routing.explanation)
        self.assertTrue(ticket.sla_policy.startswith("slaPolicies/"))
        self.assertEqual({c.metric for c in ticket.sla_clocks},
                         {T.SLA_METRIC_FIRST_RESPONSE, T.SLA_METRIC_RESOLUTION})
        # The same form again (a retry) is the same ticket.
        again = ticketing.SubmitTicketForm(tpb.SubmitTicketFormRequest(
            name="Jana Weber", email="Jana@Weber-Partner.de", product="Retainer",
            problem="The invoice for November charges us twice.\nPlease check.",
            priority=T.TICKET_PRIORITY_HIGH, type=T.TICKET_TYPE_DISPUTE,
            request_id="form-jana-1"))
        self.assertEqual(again.ticket.name, ticket.name)

        # Waiting on the requester pauses the clocks.
        pending = ticketing.ChangeTicketStatus(tpb.ChangeTicketStatusRequest(
            name=ticket.name, status=T.TICKET_STATUS_PENDING)).ticket
        self.assertEqual(pending.status, T.TICKET_STATUS_PENDING)
        self.assertTrue(all(c.state == ticket_pb2.SLA_CLOCK_STATE_PAUSED
                            for c in pending.sla_clocks), pending.sla_clocks)

        solved = ticketing.ChangeTicketStatus(tpb.ChangeTicketStatusRequest(
            name=ticket.name, status=T.TICKET_STATUS_SOLVED))
        self.assertEqual(solved.ticket.status, T.TICKET_STATUS_SOLVED)
        survey = solved.csat_survey
        self.assertTrue(survey.name.startswith("csatSurveys/"))
        self.assertTrue(survey.token)
        # The token is shown once, never read back.
        self.assertEqual(ticketing.GetCsatSurvey(tpb.GetCsatSurveyRequest(
            name=survey.name)).csat_survey.token, "")

        # The requester answers with the survey's token and no tenant token.
        requester = self.ticketing(token=None)
        with self.assertRaises(grpc.RpcError) as wrong:
            requester.SubmitCsatResponse(tpb.SubmitCsatResponseRequest(
                name=survey.name, rating=1, token="not-the-token"))
        self.assertEqual(wrong.exception.code(), Code.UNAUTHENTICATED)
        answered = requester.SubmitCsatResponse(tpb.SubmitCsatResponseRequest(
            name=survey.name, rating=1, comment="Charged twice, and nobody called back.",
            token=survey.token)).csat_survey
        self.assertEqual(answered.state, csat_survey_pb2.CSAT_SURVEY_STATE_RESPONDED)
        self.assertEqual(answered.rating, 1)
        with self.assertRaises(grpc.RpcError) as twice:
            requester.SubmitCsatResponse(tpb.SubmitCsatResponseRequest(
                name=survey.name, rating=5, token=survey.token))
        self.assertEqual(twice.exception.code(), Code.FAILED_PRECONDITION)

        # The history tells the story, routing reason included.
        history = ticketing.ListTicketHistory(tpb.ListTicketHistoryRequest(
            parent=ticket.name)).entries
        kinds = [e.kind for e in history]
        for kind in (ticket_history_pb2.TICKET_HISTORY_KIND_CREATED,
                     ticket_history_pb2.TICKET_HISTORY_KIND_ROUTED,
                     ticket_history_pb2.TICKET_HISTORY_KIND_STATUS_CHANGED,
                     ticket_history_pb2.TICKET_HISTORY_KIND_CSAT_SENT,
                     ticket_history_pb2.TICKET_HISTORY_KIND_CSAT_RESPONDED):
            self.assertIn(kind, kinds)

        # Engagement records the ticket from ticketing's events...
        def ticket_kinds():
            listed = engagement.ListInteractions(epb.ListInteractionsRequest(
                account=account, page_size=100)).interactions
            return {i.kind for i in listed}
        wanted = {I.INTERACTION_KIND_TICKET_OPENED, I.INTERACTION_KIND_TICKET_SOLVED,
                  I.INTERACTION_KIND_TICKET_CSAT_RESPONSE}
        suite.wait_for(lambda: wanted <= ticket_kinds(), timeout=60,
                       what="engagement to record the ticket's interactions")
        # ... its "solved ticket -> survey" rule fires for the client ...
        def survey_follow_ups():
            listed = engagement.ListFollowUps(epb.ListFollowUpsRequest(
                account=account)).follow_ups
            return [f for f in listed if f.rule == follow_up_pb2.FOLLOW_UP_RULE_TICKET_SOLVED]
        suite.wait_for(lambda: survey_follow_ups(), timeout=60,
                       what="the survey follow-up")
        # ... and the score drops, naming support.
        def lowered():
            score = engagement.GetRelationshipScore(epb.GetRelationshipScoreRequest(
                name=f"{account}/relationshipScore")).relationship_score
            support = {relationship_score_pb2.SCORE_COMPONENT_KIND_SUPPORT_SATISFACTION,
                       relationship_score_pb2.SCORE_COMPONENT_KIND_SUPPORT_SLA,
                       relationship_score_pb2.SCORE_COMPONENT_KIND_SUPPORT_BACKLOG}
            named = any(r.component in support and
                        r.effect == relationship_score_pb2.REASON_EFFECT_NEGATIVE
                        for r in score.top_reasons)
            return score.score < before and named
        suite.wait_for(lowered, timeout=60,
                       what=f"a score below {before} with a support reason")

    def test_intake_takes_the_ticket_while_contacts_is_down_and_links_it_later(self):
        ticketing = self.ticketing()
        self.stack.stop("contacts")
        try:
            form = ticketing.SubmitTicketForm(tpb.SubmitTicketFormRequest(
                name="Ayşe Yılmaz", email="ayse.yilmaz@example.com.tr",
                product="Blow-dry", problem="I was charged for a cancelled booking.",
                priority=T.TICKET_PRIORITY_NORMAL, request_id="form-ayse-1"),
                timeout=30)
        finally:
            self.stack.start("contacts")
        ticket = form.ticket
        self.assertTrue(ticket.requester_pending)
        self.assertEqual(ticket.requester, "")
        self.assertEqual(ticket.requester_email, "ayse.yilmaz@example.com.tr")
        self.assertEqual(ticket.status, T.TICKET_STATUS_NEW)

        def linked():
            got = ticketing.GetTicket(tpb.GetTicketRequest(name=ticket.name)).ticket
            return got if not got.requester_pending and got.requester else None
        suite.wait_for(linked, timeout=60, interval=0.2,
                       what="the form ticket to be linked once contacts is back")
        got = linked()
        self.assertTrue(got.account.startswith("accounts/"))
        self.assertEqual(got.requester_email, "")  # the contact holds it now
        contacts, _, _ = self.clients()
        person = contacts.GetContact(cpb.GetContactRequest(name=got.requester)).contact
        self.assertEqual([e.address for e in person.emails], ["ayse.yilmaz@example.com.tr"])
        kinds = [e.kind for e in ticketing.ListTicketHistory(tpb.ListTicketHistoryRequest(
            parent=ticket.name)).entries]
        self.assertIn(ticket_history_pb2.TICKET_HISTORY_KIND_REQUESTER_LINKED, kinds)

    def test_another_tenant_sees_none_of_it_and_a_viewer_cannot_write(self):
        ticketing = self.ticketing()
        contacts, _, _ = self.clients()
        account, _ = self.new_client_account(contacts, "u-tom", "tom@example.org")
        self.wait_until_ticketing_knows(account)
        created = ticketing.CreateTicket(tpb.CreateTicketRequest(ticket=ticket_pb2.Ticket(
            account=account, subject="Where is my order?"))).ticket
        other = self.ticketing(token=OTHER)
        with self.assertRaises(grpc.RpcError) as hidden:
            other.GetTicket(tpb.GetTicketRequest(name=created.name))
        self.assertEqual(hidden.exception.code(), Code.NOT_FOUND)
        with self.assertRaises(grpc.RpcError) as bad:
            ticketing.CreateTicket(tpb.CreateTicketRequest(ticket=ticket_pb2.Ticket(
                account=account, subject="")))
        self.assertEqual(bad.exception.code(), Code.INVALID_ARGUMENT)
        self.assertIn("ticket.subject", bad.exception.details())

    def test_buf_curl_takes_a_form_solves_it_and_the_requester_answers(self):
        """The README's commands, as written there."""
        address = self.stack.ticketing.address
        service = suite.SERVICES["ticketing"]
        code, out, err = suite.buf_curl(
            address, token=DEMO, path=f"/{service}/SubmitTicketForm",
            data={"name": "Jana Weber", "email": "jana@example.de",
                  "product": "Retainer", "problem": "Our November invoice was charged twice.",
                  "priority": "TICKET_PRIORITY_HIGH", "type": "TICKET_TYPE_DISPUTE",
                  "requestId": "form-1"})
        self.assertEqual(code, 0, err)
        ticket = json.loads(out)["ticket"]["name"]
        code, out, err = suite.buf_curl(
            address, token=DEMO, path=f"/{service}/ChangeTicketStatus",
            data={"name": ticket, "status": "TICKET_STATUS_SOLVED"})
        self.assertEqual(code, 0, err)
        survey = json.loads(out)["csatSurvey"]
        self.assertTrue(survey["token"])
        code, out, err = suite.buf_curl(
            address, path=f"/{service}/SubmitCsatResponse",
            data={"name": survey["name"], "token": survey["token"], "rating": 2,
                  "comment": "Solved, but it took three calls."})
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["csatSurvey"]["state"], "CSAT_SURVEY_STATE_RESPONDED")
        for path, data in (("ListSlaAlerts", {}), ("ListTicketHistory", {"parent": ticket})):
            code, out, err = suite.buf_curl(address, token=DEMO, path=f"/{service}/{path}",
                                            data=data)
            self.assertEqual(code, 0, err)
        self.assertIn("TICKET_HISTORY_KIND_CSAT_RESPONDED", out)

if __name__ == "__main__":
    unittest.main()
