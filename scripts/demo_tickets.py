"""The demo tenant's support desk, seeded through ticketing's public API.

A routing policy (a support team of two agents), three SLA policies (clients on
business hours in Berlin, customers around the clock, and a one-minute
first-response target for urgent standard-tier tickets, so that one demo
ticket breaches a minute after `up`), and four tickets:
  - the law firm's dispute, routed to its account manager;
  - a salon customer's return, routed by round robin in the support team;
  - the fuel card holder's urgent problem, which breaches its SLA;
  - the bakery regular's question, answered, solved and rated through its
    survey's own token.

Like the rest of the seed it looks before it creates: policies are found by
display name, tickets by their "demo:<key>" tag among the account's tickets.
"""

import time

import grpc
from google.protobuf import duration_pb2

from clientele.ticketing.v1 import routing_policy_pb2, sla_policy_pb2
from clientele.ticketing.v1 import ticket_comment_pb2, ticket_enums_pb2 as T
from clientele.ticketing.v1 import ticket_pb2
from clientele.ticketing.v1 import ticketing_service_pb2 as pb
from clientele.ticketing.v1 import ticketing_service_pb2_grpc as pb_grpc
from clientele.type.v1 import account_classification_pb2 as cls
from clientele.type.v1 import date_pb2, relationship_pb2

KEY_TAG = "demo:"


def hours(n):
    return duration_pb2.Duration(seconds=int(n * 3600))


def berlin_office_hours():
    days = [getattr(sla_policy_pb2, f"WEEKDAY_{d}")
            for d in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")]
    return sla_policy_pb2.BusinessCalendar(
        time_zone="Europe/Berlin",
        working_hours=[sla_policy_pb2.WorkingHours(weekday=d, start_minute=9 * 60,
                                                   end_minute=17 * 60) for d in days],
        holidays=[date_pb2.Date(year=0, month=1, day=1),
                  date_pb2.Date(year=0, month=12, day=25),
                  date_pb2.Date(year=0, month=12, day=26)])


SLA_POLICIES = [
    sla_policy_pb2.SlaPolicy(
        display_name="Demo: urgent standard tickets", rank=5,
        tiers=[cls.ACCOUNT_TIER_STANDARD], priorities=[T.TICKET_PRIORITY_URGENT],
        first_response_target=duration_pb2.Duration(seconds=60),
        resolution_target=hours(8)),
    sla_policy_pb2.SlaPolicy(
        display_name="Demo: clients, office hours", rank=10,
        modes=[relationship_pb2.RELATIONSHIP_MODE_CLIENT],
        first_response_target=hours(4), next_response_target=hours(8),
        resolution_target=hours(24), business_calendar=berlin_office_hours()),
    sla_policy_pb2.SlaPolicy(
        display_name="Demo: everyone else", rank=1000,
        first_response_target=hours(24), next_response_target=hours(24),
        resolution_target=hours(5 * 24)),
]

# (key, account key, ticket fields, what happens after it is created)
TICKETS = [
    ("law-firm-dispute", "law-firm",
     dict(subject="Retainer invoice for November charged twice", type=T.TICKET_TYPE_DISPUTE,
          priority=T.TICKET_PRIORITY_HIGH, channel=T.TICKET_CHANNEL_EMAIL,
          product="Retainer", description="Our bank shows two debits for the same invoice."),
     None),
    ("salon-return", "salon",
     dict(subject="Returning an unopened hair care set", type=T.TICKET_TYPE_RETURN,
          priority=T.TICKET_PRIORITY_NORMAL, channel=T.TICKET_CHANNEL_WEB,
          product="Hair care set", description="Bought last week, still sealed."),
     None),
    ("fuel-urgent", "fuel-card",
     dict(subject="Fuel card blocked at the pump", type=T.TICKET_TYPE_PROBLEM,
          priority=T.TICKET_PRIORITY_URGENT, channel=T.TICKET_CHANNEL_PHONE,
          product="Fuel card", description="The card is refused at every station."),
     None),
    ("bakery-question", "bakery-regular",
     dict(subject="Do you bake rye bread without caraway?", type=T.TICKET_TYPE_QUESTION,
          priority=T.TICKET_PRIORITY_LOW, channel=T.TICKET_CHANNEL_IN_PERSON,
          product="Bread"),
     "answer-solve-rate"),
]


def seed(address, metadata, accounts):
    """Seeds the support desk; `accounts` maps a demo key to its account proto.
    Returns (tickets created, tickets found)."""
    with grpc.insecure_channel(address) as channel:
        stub = pb_grpc.TicketingServiceStub(channel)
        call = lambda rpc, request: getattr(stub, rpc)(request, metadata=metadata,
                                                       timeout=10)
        call("UpdateRoutingPolicy", pb.UpdateRoutingPolicyRequest(
            routing_policy=routing_policy_pb2.RoutingPolicy(
                teams=[routing_policy_pb2.SupportTeam(name="support",
                                                      agents=["agent.lena", "agent.yusuf"])],
                default_team="support"),
            update_mask={"paths": ["teams", "default_team"]}))
        existing = {p.display_name for p in call(
            "ListSlaPolicies", pb.ListSlaPoliciesRequest(page_size=1000)).sla_policies}
        for index, policy in enumerate(SLA_POLICIES):
            if policy.display_name not in existing:
                call("CreateSlaPolicy", pb.CreateSlaPolicyRequest(
                    sla_policy=policy, request_id=f"demo-seed-sla-{index}"))
        created = found = 0
        for key, account_key, fields, then in TICKETS:
            account = accounts[account_key]
            tag = KEY_TAG + key
            ticket = find_ticket(call, account.name, tag)
            if ticket is not None:
                found += 1
                continue
            ticket = ticket_pb2.Ticket(account=account.name, tags=[tag], **fields)
            ticket = create_when_known(call, ticket, f"demo-seed-ticket-{key}")
            created += 1
            if then == "answer-solve-rate":
                answer_solve_and_rate(stub, call, ticket, key)
        return created, found


def find_ticket(call, account, tag):
    page = pb.ListTicketsRequest(account=account, page_size=1000)
    for ticket in call("ListTickets", page).tickets:
        if tag in ticket.tags:
            return ticket
    return None


def create_when_known(call, ticket, request_id):
    """Ticketing learns accounts from contacts' events: wait for it."""
    deadline = time.time() + 60
    while True:
        try:
            return call("CreateTicket", pb.CreateTicketRequest(
                ticket=ticket, request_id=request_id)).ticket
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.NOT_FOUND or time.time() > deadline:
                raise
            time.sleep(0.2)


def answer_solve_and_rate(stub, call, ticket, key):
    call("CreateTicketComment", pb.CreateTicketCommentRequest(
        parent=ticket.name, request_id=f"demo-seed-reply-{key}",
        comment=ticket_comment_pb2.TicketComment(
            visibility=ticket_comment_pb2.COMMENT_VISIBILITY_PUBLIC_REPLY,
            author_type=ticket_comment_pb2.COMMENT_AUTHOR_TYPE_AGENT,
            author="agent.lena",
            body="Yes: our Friday rye is baked without caraway. We keep one for you.")))
    solved = call("ChangeTicketStatus", pb.ChangeTicketStatusRequest(
        name=ticket.name, status=T.TICKET_STATUS_SOLVED,
        request_id=f"demo-seed-solve-{key}"))
    if solved.csat_survey.token:
        # The requester's answer carries the survey's token, not a tenant's.
        stub.SubmitCsatResponse(pb.SubmitCsatResponseRequest(
            name=solved.csat_survey.name, rating=5, comment="Lovely, thank you!",
            token=solved.csat_survey.token, request_id=f"demo-seed-csat-{key}"),
            timeout=10)
