"""The demo tenant's commercial side, seeded through engagement's public API.

  - deals: an open pipeline (a retainer proposal to the salon customer who is
    turning into a client, with its proposal recorded on the deal; a
    subscription add-on in negotiation with the law firm; a campaign being
    qualified with the agency; the hot lead's payroll set-up), one deal won
    and one lost;
  - orders: the agency's brochure print run in progress (checklist half
    done), the law firm's notarised translations fulfilled (which makes the
    invoice follow-up for the back office), and a custom cake placed by the
    bakery regular;
  - keep-in-touch cadences: a monthly B2C newsletter, greetings on every
    account's dates, a quarterly check-in survey for clients and a survey a
    week after a customer's purchase.

Like the rest of the seed it looks before it creates: deals are found by
title among the account's deals, orders by their first item among the
account's orders, cadences by title.
"""

import datetime

from google.protobuf import duration_pb2, field_mask_pb2, timestamp_pb2

from clientele.engagement.v1 import cadence_pb2, deal_pb2, interaction_pb2, order_pb2
from clientele.engagement.v1 import engagement_service_pb2 as pb
from clientele.engagement.v1 import engagement_service_pb2_grpc as pb_grpc
from clientele.type.v1 import account_classification_pb2 as cls
from clientele.type.v1 import date_pb2, money_pb2, relationship_pb2

D = deal_pb2
O = order_pb2
I = interaction_pb2


def money(currency, minor):
    return money_pb2.Money(currency_code=currency, amount_minor_units=minor)


def days(n):
    return duration_pb2.Duration(seconds=n * 86400)


def date_in(days_from_today):
    day = datetime.date.today() + datetime.timedelta(days=days_from_today)
    return date_pb2.Date(year=day.year, month=day.month, day=day.day)


# (account key, title, kind, stage, amount, expected close in days, owner, outcome)
# outcome: None (open), ("WON", None) or ("LOST", reason).
DEALS = [
    ("salon-2", "Monthly styling retainer", D.DEAL_KIND_RETAINER, D.DEAL_STAGE_QUALIFYING,
     money("TRY", 1200000), 21, "sales.emma", None),
    ("law-firm", "Document automation add-on", D.DEAL_KIND_SUBSCRIPTION,
     D.DEAL_STAGE_NEGOTIATION, money("AED", 24000000), 35, "sales.omar", None),
    ("ad-agency", "Lunar New Year campaign", D.DEAL_KIND_ONE_OFF_SALE,
     D.DEAL_STAGE_QUALIFYING, money("CNY", 50000000), 60, "sales.omar", None),
    ("lead-payroll", "Payroll set-up and first year", D.DEAL_KIND_RETAINER,
     D.DEAL_STAGE_PROPOSAL, money("EUR", 1800000), 28, "sales.emma", None),
    ("pr-consultancy", "Crisis communications retainer extension", D.DEAL_KIND_RETAINER,
     D.DEAL_STAGE_NEGOTIATION, money("TRY", 4800000), -20, "sales.emma", ("WON", None)),
    ("accounting-firm", "Year-end audit support", D.DEAL_KIND_ONE_OFF_SALE,
     D.DEAL_STAGE_PROPOSAL, money("RUB", 15000000), -40, "sales.omar",
     ("LOST", D.DEAL_LOSS_REASON_PRICE)),
]

# (account key, items, team, assignee, checklist [(title, done)], final status)
ORDERS = [
    ("ad-agency", [("Brochure print run, A4, 5,000 copies", 1, money("CNY", 3600000))],
     "print-shop", "ops.chen",
     [("Artwork approved", True), ("Printed", True), ("Delivered", False)],
     O.ORDER_STATUS_IN_PROGRESS),
    ("law-firm", [("Notarised translation, Arabic to English", 12, money("AED", 45000))],
     "back-office", "ops.huda",
     [("Translated", True), ("Notarised", True), ("Couriered", True)],
     O.ORDER_STATUS_FULFILLED),
    ("bakery-regular", [("Birthday cake, custom, 2 kg", 1, money("RUB", 350000)),
                        ("Candles", 2, money("RUB", 15000))],
     "bakery", "baker.anna", [("Design agreed", False), ("Baked", False)],
     O.ORDER_STATUS_PLACED),
]

CADENCES = [
    cadence_pb2.Cadence(title="Demo: monthly B2C newsletter",
                        kind=cadence_pb2.CADENCE_KIND_NEWSLETTER,
                        segment=cls.ACCOUNT_SEGMENT_B2C, interval=days(30),
                        assignee="marketing.lena"),
    cadence_pb2.Cadence(title="Demo: greetings on every account's dates",
                        kind=cadence_pb2.CADENCE_KIND_GREETING, lead_time=days(3)),
    cadence_pb2.Cadence(title="Demo: quarterly client check-in",
                        kind=cadence_pb2.CADENCE_KIND_RELATIONSHIP_SURVEY,
                        mode=relationship_pb2.RELATIONSHIP_MODE_CLIENT, interval=days(90)),
    cadence_pb2.Cadence(title="Demo: survey a week after a purchase",
                        kind=cadence_pb2.CADENCE_KIND_RELATIONSHIP_SURVEY,
                        mode=relationship_pb2.RELATIONSHIP_MODE_CUSTOMER,
                        delay_after_purchase=days(7)),
]


def list_all(call, request, field, metadata):
    items = []
    while True:
        page = call(request, metadata=metadata, timeout=10)
        items += getattr(page, field)
        if not page.next_page_token:
            return items
        request.page_token = page.next_page_token


class CommercialSeeder:
    def __init__(self, stub, metadata, by_key):
        self.stub = stub
        self.metadata = metadata
        self.by_key = by_key
        self.created = {"deals": 0, "orders": 0, "cadences": 0}
        self.found = {"deals": 0, "orders": 0, "cadences": 0}

    def call(self, method, request):
        return getattr(self.stub, method)(request, metadata=self.metadata, timeout=10)

    def deal(self, index, key, title, kind, stage, amount, close_in, owner, outcome):
        account = self.by_key[key].name
        existing = [d for d in list_all(self.stub.ListDeals,
                                        pb.ListDealsRequest(account=account, page_size=1000),
                                        "deals", self.metadata) if d.title == title]
        if existing:
            self.found["deals"] += 1
            return
        deal = self.call("CreateDeal", pb.CreateDealRequest(
            deal=D.Deal(account=account, title=title, kind=kind, stage=stage, amount=amount,
                        expected_close_date=date_in(close_in), owner=owner),
            request_id=f"demo-seed-deal-{index}")).deal
        self.created["deals"] += 1
        if key == "salon-2":
            # The proposal, recorded on the deal, moves it to PROPOSAL.
            now = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
            self.call("RecordInteraction", pb.RecordInteractionRequest(
                interaction=I.Interaction(
                    account=account, kind=I.INTERACTION_KIND_PROPOSAL,
                    occur_time=timestamp_pb2.Timestamp(seconds=now - 2 * 86400),
                    direction=I.INTERACTION_DIRECTION_OUTBOUND,
                    channel=I.INTERACTION_CHANNEL_EMAIL, staff_user=owner,
                    amount=amount, deal=deal.name,
                    summary="Retainer proposal: monthly styling and colour care"),
                request_id=f"demo-seed-deal-{index}-proposal"))
        if outcome is not None:
            verdict, reason = outcome
            self.call("CloseDeal", pb.CloseDealRequest(
                name=deal.name,
                outcome=D.DEAL_STAGE_WON if verdict == "WON" else D.DEAL_STAGE_LOST,
                loss_reason=reason or D.DEAL_LOSS_REASON_UNSPECIFIED,
                close_date=date_in(close_in),
                request_id=f"demo-seed-deal-{index}-close"))

    def order(self, index, key, items, team, assignee, checklist, status):
        account = self.by_key[key].name
        first = items[0][0]
        existing = [o for o in list_all(self.stub.ListOrders,
                                        pb.ListOrdersRequest(account=account, page_size=1000),
                                        "orders", self.metadata)
                    if o.items and o.items[0].product == first]
        if existing:
            self.found["orders"] += 1
            return
        order = self.call("CreateOrder", pb.CreateOrderRequest(
            order=O.Order(account=account, fulfilment_team=team, assignee=assignee,
                          items=[O.OrderItem(product=p, quantity=q, unit_price=price)
                                 for p, q, price in items],
                          checklist=[O.ChecklistItem(title=t) for t, _ in checklist]),
            request_id=f"demo-seed-order-{index}")).order
        self.created["orders"] += 1
        if status == O.ORDER_STATUS_PLACED:
            return
        del order.checklist[:]
        order.checklist.extend(O.ChecklistItem(title=t, done=done) for t, done in checklist)
        order.status = O.ORDER_STATUS_IN_PROGRESS
        order = self.call("UpdateOrder", pb.UpdateOrderRequest(
            order=order, update_mask=field_mask_pb2.FieldMask(paths=["checklist", "status"]),
            request_id=f"demo-seed-order-{index}-start")).order
        if status == O.ORDER_STATUS_FULFILLED:
            order.status = O.ORDER_STATUS_FULFILLED
            self.call("UpdateOrder", pb.UpdateOrderRequest(
                order=order, update_mask=field_mask_pb2.FieldMask(paths=["status"]),
                request_id=f"demo-seed-order-{index}-fulfil"))

    def cadence(self, index, cadence, existing_titles):
        if cadence.title in existing_titles:
            self.found["cadences"] += 1
            return
        self.call("CreateCadence", pb.CreateCadenceRequest(
            cadence=cadence, request_id=f"demo-seed-cadence-{index}"))
        self.created["cadences"] += 1


def seed(channel, metadata, by_key):
    """Seeds deals, orders and cadences; returns a summary line."""
    seeder = CommercialSeeder(pb_grpc.EngagementServiceStub(channel), metadata, by_key)
    for index, row in enumerate(DEALS):
        seeder.deal(index, *row)
    for index, row in enumerate(ORDERS):
        seeder.order(index, *row)
    titles = {c.title for c in list_all(seeder.stub.ListCadences,
                                        pb.ListCadencesRequest(page_size=1000),
                                        "cadences", metadata)}
    for index, cadence in enumerate(CADENCES):
        seeder.cadence(index, cadence, titles)
    parts = [f"{seeder.created[k] + seeder.found[k]} {k} ({seeder.created[k]} created)"
             for k in ("deals", "orders", "cadences")]
    return ", ".join(parts)
