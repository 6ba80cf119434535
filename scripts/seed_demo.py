#!/usr/bin/python3
"""Seeds the demo tenant with accounts from both worlds, through the public API.

Clients on retainers (a law firm, an accounting firm, a PR consultancy, a
therapist's practice, an advertising agency) and customers who pay per
purchase or subscribe (a bakery's regular, a fuel station's card holder, a
supermarket shopper, salon visitors, a streaming subscriber, a parent buying a
gift for a child), with contacts named in Arabic, Russian, Turkish, Chinese and
English.

Then it records each account's history with engagement (up to two years of
invoices, meetings, sessions, purchases, payments), shaped so that the
scores show both worlds: retainer clients in touch, a dormant client, a
bakery regular and a lapsing one, a one-off gift buyer, a salon customer
turning into a client.

Running it again (scripts/up.sh does, on every start) changes nothing, however
long after: it looks before it creates. Each demo account carries the tag
"demo:<key>" and is found by it (an account seeded before the tag existed is
found by its display name and tagged); a contact is found among its account's
contacts by name; a history is recorded only for an account that has none yet.
The request_ids each create also carries only cover a retry within the 24-hour
idempotency window (a seed cut short and run again at once).

Two leads (a prospect warming up, a lead gone cold) show lead scores. Then it
seeds the commercial side (scripts/demo_commercial.py: deals, orders,
keep-in-touch cadences) and the support desk (scripts/demo_tickets.py: a
routing policy, SLA policies and tickets for the demo accounts).

Usage: seed_demo.py <contacts host:port> <engagement host:port>
                    <ticketing host:port> <token>
       (PYTHONPATH: generated stubs)
"""

import datetime
import sys
import time
import unicodedata

import grpc
from google.protobuf import timestamp_pb2

import demo_commercial
import demo_tickets

from clientele.engagement.v1 import engagement_service_pb2 as engagement
from clientele.engagement.v1 import engagement_service_pb2_grpc as engagement_grpc
from clientele.engagement.v1 import interaction_pb2

from clientele.contacts.v1 import account_pb2, contact_pb2
from clientele.contacts.v1 import contacts_service_pb2 as service
from clientele.contacts.v1 import contacts_service_pb2_grpc as service_grpc
from clientele.type.v1 import account_classification_pb2 as cls
from clientele.type.v1 import date_pb2, money_pb2, relationship_pb2

ROLE = contact_pb2.ContactRole
CLIENT = relationship_pb2.RELATIONSHIP_MODE_CLIENT
# The tag that finds a demo account again: "demo:law-firm".
KEY_TAG = "demo:"


def date(year, month, day):
    return date_pb2.Date(year=year, month=month, day=day)


def days_ago(days):
    """The UTC date `days` before today: for accounts acquired recently, so
    that they stay inside the dashboard's default twelve months (its funnel
    and cohorts) whenever the demo is seeded."""
    day = datetime.datetime.now(datetime.timezone.utc).date() - \
        datetime.timedelta(days=days)
    return date(day.year, day.month, day.day)


def terms(model, cycle, currency=None, minor=0, start=None, end=None, auto_renew=False):
    result = account_pb2.CommercialTerms(model=model, billing_cycle=cycle, auto_renew=auto_renew)
    if currency:
        result.recurring_amount.CopyFrom(
            money_pb2.Money(currency_code=currency, amount_minor_units=minor))
    if start:
        result.contract_start_date.CopyFrom(start)
    if end:
        result.contract_end_date.CopyFrom(end)
    return result


def person(given, family, email=None, phone=None, roles=(), locale=""):
    # The service builds the display name in the order the locale writes
    # names ("王小明", "Ayşe Yıldız").
    contact = contact_pb2.Contact(given_name=given, family_name=family,
                                  roles=list(roles), locale=locale)
    if email:
        contact.emails.add(address=email, primary=True,
                           label=contact_pb2.CONTACT_POINT_LABEL_WORK)
    if phone:
        contact.phones.add(number=phone, primary=True,
                           label=contact_pb2.CONTACT_POINT_LABEL_MOBILE)
    return contact


RETAINER_MONTHLY = (cls.COMMERCIAL_MODEL_RETAINER, cls.BILLING_CYCLE_MONTHLY)
RETAINER_QUARTERLY = (cls.COMMERCIAL_MODEL_RETAINER, cls.BILLING_CYCLE_QUARTERLY)
PER_PURCHASE = (cls.COMMERCIAL_MODEL_PAY_PER_PURCHASE, cls.BILLING_CYCLE_PER_PURCHASE)
PAYER_CONSUMER = [ROLE.CONTACT_ROLE_PAYER, ROLE.CONTACT_ROLE_CONSUMER]


def client(display_name, tier, commercial_terms, acquired, owner, manager, tags,
           locale, time_zone, **extra):
    """An organization on a retainer, with a dedicated account manager."""
    return dict(display_name=display_name, kind=cls.ACCOUNT_KIND_ORGANIZATION,
                segment=cls.ACCOUNT_SEGMENT_B2B, tier=tier,
                commercial_terms=commercial_terms, acquisition_date=acquired,
                lifecycle_stage=cls.LIFECYCLE_STAGE_ACTIVE, owner=owner,
                account_manager=manager, tags=tags, locale=locale,
                time_zone=time_zone, **extra)


def customer(display_name, acquired, tags, locale, time_zone,
             commercial_terms=None):
    """A person who buys standard products, by default one purchase at a time."""
    return dict(display_name=display_name, kind=cls.ACCOUNT_KIND_INDIVIDUAL,
                segment=cls.ACCOUNT_SEGMENT_B2C, tier=cls.ACCOUNT_TIER_STANDARD,
                commercial_terms=commercial_terms or terms(*PER_PURCHASE),
                acquisition_date=acquired,
                lifecycle_stage=cls.LIFECYCLE_STAGE_ACTIVE, tags=tags,
                locale=locale, time_zone=time_zone)


# (key, account, contacts)
DEMO = [
    ("law-firm",
     client("Haddad & Partners, Advocates", cls.ACCOUNT_TIER_ENTERPRISE,
            terms(*RETAINER_MONTHLY, "AED", 1650000, date(2022, 1, 1),
                  date(2027, 12, 31), True),
            date(2021, 11, 15), "sales.omar", "am.sara", ["legal", "retainer"],
            "ar-AE", "Asia/Dubai"),
     [person("ليلى", "حداد", "layla@haddad-law.example", "+971501234567",
             [ROLE.CONTACT_ROLE_DECISION_MAKER, ROLE.CONTACT_ROLE_PAYER], "ar"),
      person("عمر", "الفاسي", "omar.alfassi@haddad-law.example", None,
             [ROLE.CONTACT_ROLE_POINT_OF_CONTACT], "ar")]),
    ("accounting-firm",
     client("Кузнецов и партнёры (бухгалтерия)", cls.ACCOUNT_TIER_PREMIUM,
            terms(*RETAINER_QUARTERLY, "RUB", 36000000, date(2023, 4, 1),
                  date(2026, 3, 31)),
            date(2023, 2, 20), "sales.omar", "am.ivan", ["accounting", "retainer"],
            "ru-RU", "Europe/Moscow"),
     [person("Ирина", "Кузнецова", "irina@kuznetsov-buh.example", "+74951234567",
             [ROLE.CONTACT_ROLE_DECISION_MAKER], "ru"),
      person("Дмитрий", "Волков", "d.volkov@kuznetsov-buh.example", None,
             [ROLE.CONTACT_ROLE_PAYER], "ru")]),
    ("pr-consultancy",
     client("Yıldız Strateji & Halkla İlişkiler", cls.ACCOUNT_TIER_PREMIUM,
            terms(*RETAINER_MONTHLY, "TRY", 9500000, date(2024, 6, 1),
                  date(2026, 5, 31), True),
            date(2024, 5, 10), "sales.emma", "am.sara", ["pr", "retainer"],
            "tr-TR", "Europe/Istanbul"),
     [person("Ayşe", "Yıldız", "ayse@yildiz-pr.example", "+905321234567",
             [ROLE.CONTACT_ROLE_DECISION_MAKER, ROLE.CONTACT_ROLE_PAYER], "tr"),
      person("İbrahim", "Şahin", "ibrahim.sahin@yildiz-pr.example", None,
             [ROLE.CONTACT_ROLE_POINT_OF_CONTACT], "tr")]),
    ("therapist",
     client("Clarke Family Therapy", cls.ACCOUNT_TIER_STANDARD,
            terms(*RETAINER_MONTHLY, "GBP", 60000, date(2025, 1, 1),
                  date(2026, 12, 31)),
            date(2024, 12, 1), "sales.emma", "am.ivan", ["therapy", "retainer"],
            "en-GB", "Europe/London", declared_mode=CLIENT),
     [person("Emma", "Clarke", "emma@clarke-therapy.example", "+447700900123",
             [ROLE.CONTACT_ROLE_DECISION_MAKER, ROLE.CONTACT_ROLE_PAYER], "en")]),
    ("ad-agency",
     client("光明广告 Brightline Advertising", cls.ACCOUNT_TIER_ENTERPRISE,
            terms(*RETAINER_MONTHLY, "CNY", 12000000, date(2023, 9, 1),
                  date(2026, 8, 31), True),
            date(2023, 7, 15), "sales.omar", "am.li", ["agency", "retainer"],
            "zh-CN", "Asia/Shanghai"),
     [person("小明", "王", "wang.xiaoming@brightline.example", "+8613812345678",
             [ROLE.CONTACT_ROLE_DECISION_MAKER], "zh"),
      person("娜", "李", "li.na@brightline.example", None,
             [ROLE.CONTACT_ROLE_PAYER], "zh")]),
    ("bakery-regular",
     customer("Ольга Петрова (bakery regular)", date(2025, 3, 2),
              ["bakery", "loyalty-card"], "ru-RU", "Europe/Moscow"),
     [person("Ольга", "Петрова", "olga.petrova@mail.example", None,
             PAYER_CONSUMER, "ru")]),
    ("bakery-regular-2",
     customer("Tom Baker (bakery regular)", date(2024, 10, 5), ["bakery"],
              "en-GB", "Europe/London"),
     [person("Tom", "Baker", "tom.baker@mail.example", None, PAYER_CONSUMER, "en")]),
    ("fuel-card",
     customer("Mehmet Kaya (fuel card)", date(2023, 8, 19),
              ["fuel", "card-holder"], "tr-TR", "Europe/Istanbul"),
     [person("Mehmet", "Kaya", "mehmet.kaya@posta.example", "+905551112233",
             [ROLE.CONTACT_ROLE_PAYER, ROLE.CONTACT_ROLE_USER], "tr")]),
    ("supermarket",
     customer("张伟 (supermarket shopper)", date(2025, 6, 1), ["supermarket"],
              "zh-CN", "Asia/Shanghai"),
     [person("伟", "张", "zhang.wei@youxiang.example", None, PAYER_CONSUMER, "zh")]),
    ("salon",
     customer("فاطمة السيد (salon)", date(2025, 2, 14), ["salon"], "ar-EG",
              "Africa/Cairo"),
     [person("فاطمة", "السيد", "fatima.elsayed@barid.example", "+201001234567",
             PAYER_CONSUMER, "ar")]),
    ("salon-2",
     customer("Zeynep Demir (salon)", days_ago(160), ["salon"], "tr-TR",
              "Europe/Istanbul"),
     [person("Zeynep", "Demir", "zeynep.demir@posta.example", None,
             PAYER_CONSUMER, "tr")]),
    ("streaming",
     customer("Jack Miller (streaming subscriber)", date(2024, 1, 7),
              ["streaming", "subscription"], "en-US", "America/New_York",
              terms(cls.COMMERCIAL_MODEL_SUBSCRIPTION, cls.BILLING_CYCLE_MONTHLY,
                    "USD", 1299, date(2024, 1, 7), None, True)),
     [person("Jack", "Miller", "jack.miller@mail.example", None,
             PAYER_CONSUMER, "en")]),
    ("gift-buyer",
     customer("Sarah Johnson (gift for her son)", days_ago(360), ["gift"],
              "en-US", "America/Chicago"),
     # The buyer pays; the child uses what she bought.
     [person("Sarah", "Johnson", "sarah.johnson@mail.example", "+13125550142",
             [ROLE.CONTACT_ROLE_PAYER, ROLE.CONTACT_ROLE_DECISION_MAKER], "en"),
      person("Leo", "Johnson", None, None, [ROLE.CONTACT_ROLE_CONSUMER], "en")]),
]


# Two leads, not paying yet: a logistics company that has asked about payroll
# and met the team (its proposal is on a deal: scripts/demo_commercial.py),
# and a café that wrote once, months ago.
DEMO += [
    ("lead-payroll",
     dict(display_name="Nordlicht Logistik GmbH", kind=cls.ACCOUNT_KIND_ORGANIZATION,
          segment=cls.ACCOUNT_SEGMENT_B2B, tier=cls.ACCOUNT_TIER_PREMIUM,
          lifecycle_stage=cls.LIFECYCLE_STAGE_PROSPECT, owner="sales.emma",
          tags=["logistics"], declared_needs=["payroll", "tax filing"],
          locale="de-DE", time_zone="Europe/Berlin"),
     [person("Jonas", "Brandt", "jonas.brandt@nordlicht-logistik.example", None,
             [ROLE.CONTACT_ROLE_DECISION_MAKER], "de")]),
    ("lead-cafe",
     dict(display_name="Café Aurora", kind=cls.ACCOUNT_KIND_ORGANIZATION,
          segment=cls.ACCOUNT_SEGMENT_B2C, tier=cls.ACCOUNT_TIER_STANDARD,
          lifecycle_stage=cls.LIFECYCLE_STAGE_LEAD, owner="sales.omar",
          tags=["cafe"], declared_needs=["bookkeeping"],
          locale="pt-PT", time_zone="Europe/Lisbon"),
     [person("Inês", "Moura", "ines@cafe-aurora.example", None,
             [ROLE.CONTACT_ROLE_DECISION_MAKER], "pt")]),
]


# Each account's history: its currency, how many days ago the latest
# interaction was, and runs of (kind, every N days, how many, amount in minor
# units or None, channel, direction).
I = interaction_pb2
HISTORY = {
    "law-firm": ("AED", 3, [
        ("RETAINER_INVOICE", 30, 24, 1650000, "EMAIL", "OUTBOUND"),
        ("MEETING", 21, 32, None, "IN_PERSON", "OUTBOUND"),
        ("ADVICE_SESSION", 14, 48, None, "VIDEO", "INBOUND"),
        ("CALL", 9, 70, None, "PHONE", "INBOUND")]),
    # A quarterly client gone quiet for four months, its contract ended.
    "accounting-firm": ("RUB", 120, [
        ("RETAINER_INVOICE", 91, 8, 36000000, "EMAIL", "OUTBOUND"),
        ("MEETING", 91, 8, None, "IN_PERSON", "OUTBOUND"),
        ("EMAIL", 30, 20, None, "EMAIL", "INBOUND")]),
    "pr-consultancy": ("TRY", 2, [
        ("RETAINER_INVOICE", 30, 18, 9500000, "EMAIL", "OUTBOUND"),
        ("EMAIL", 7, 70, None, "EMAIL", "INBOUND"),
        ("CALL", 14, 36, None, "PHONE", "OUTBOUND"),
        ("CUSTOM_WORK_DELIVERED", 30, 16, None, "EMAIL", "OUTBOUND")]),
    "therapist": ("GBP", 4, [
        ("ADVICE_SESSION", 7, 90, None, "IN_PERSON", "INBOUND"),
        ("RETAINER_INVOICE", 30, 22, 60000, "EMAIL", "OUTBOUND")]),
    "ad-agency": ("CNY", 1, [
        ("RETAINER_INVOICE", 30, 26, 12000000, "EMAIL", "OUTBOUND"),
        ("MEETING", 14, 52, None, "VIDEO", "OUTBOUND"),
        ("PROPOSAL", 60, 6, 5000000, "EMAIL", "OUTBOUND"),
        ("CUSTOM_WORK_DELIVERED", 21, 34, None, "EMAIL", "OUTBOUND")]),
    "bakery-regular": ("RUB", 1, [
        ("PURCHASE", 3, 180, 45000, "POINT_OF_SALE", "INBOUND")]),
    # A weekly regular who stopped coming six weeks ago.
    "bakery-regular-2": ("GBP", 45, [
        ("PURCHASE", 7, 52, 850, "POINT_OF_SALE", "INBOUND")]),
    "fuel-card": ("TRY", 5, [
        ("PURCHASE", 10, 80, 150000, "POINT_OF_SALE", "INBOUND"),
        ("LOYALTY_REWARD", 90, 8, None, "MOBILE_APP", "OUTBOUND")]),
    "supermarket": ("CNY", 2, [
        ("PURCHASE", 7, 70, 32000, "POINT_OF_SALE", "INBOUND")]),
    "salon": ("EGP", 20, [
        ("PURCHASE", 35, 14, 60000, "IN_PERSON", "INBOUND")]),
    # Visits, then personal attention: a customer becoming a client.
    "salon-2": ("TRY", 3, [
        ("PURCHASE", 21, 8, 90000, "IN_PERSON", "INBOUND"),
        ("MESSAGE", 10, 8, None, "CHAT", "OUTBOUND"),
        ("ADVICE_SESSION", 30, 3, None, "IN_PERSON", "INBOUND")]),
    "streaming": ("USD", 10, [
        ("SUBSCRIPTION_PAYMENT", 30, 34, 1299, "WEB", "INBOUND")]),
    # One gift, a year ago.
    "gift-buyer": ("USD", 359, [
        ("PURCHASE", 1, 1, 8999, "WEB", "INBOUND")]),
    # A lead warming up: replies, calls, a meeting last week.
    "lead-payroll": ("EUR", 1, [
        ("EMAIL", 4, 5, None, "EMAIL", "INBOUND"),
        ("CALL", 9, 2, None, "PHONE", "INBOUND"),
        ("MEETING", 6, 1, None, "VIDEO", "OUTBOUND")]),
    # One question, four months ago.
    "lead-cafe": ("EUR", 120, [
        ("EMAIL", 1, 1, None, "EMAIL", "INBOUND")]),
}


def history(key, account, contacts, now):
    currency, latest_days_ago, runs = HISTORY[key]
    rows = []
    for run, (kind, every, count, amount, channel, direction) in enumerate(runs):
        for i in range(count):
            # Spread within the day so that runs do not coincide.
            seconds = ((latest_days_ago + i * every) * 86400 + run * 5400
                       + (i % 7) * 1800)
            row = I.Interaction(
                account=account,
                contact=contacts[i % len(contacts)] if contacts else "",
                kind=I.InteractionKind.Value(f"INTERACTION_KIND_{kind}"),
                occur_time=timestamp_pb2.Timestamp(seconds=now - seconds),
                direction=I.InteractionDirection.Value(
                    f"INTERACTION_DIRECTION_{direction}"),
                channel=I.InteractionChannel.Value(f"INTERACTION_CHANNEL_{channel}"),
                staff_user="demo")
            if amount is not None:
                row.amount.currency_code = currency
                row.amount.amount_minor_units = amount
            rows.append(row)
    return rows


def record_history(stub, metadata, key, account, contacts):
    """Records the account's history unless it has one; returns how many."""
    deadline = time.time() + 60
    while True:
        try:
            listed = stub.ListInteractions(
                engagement.ListInteractionsRequest(account=account, page_size=1),
                metadata=metadata, timeout=10)
            break
        except grpc.RpcError as error:
            # Engagement learns accounts from contacts' events: wait for it.
            if error.code() != grpc.StatusCode.NOT_FOUND or time.time() > deadline:
                raise
            time.sleep(0.2)
    if listed.interactions:
        return 0
    rows = history(key, account, contacts, int(time.time()) - 60)
    stub.BatchRecordInteractions(
        engagement.BatchRecordInteractionsRequest(
            interactions=rows, request_id=f"demo-seed-history-{key}"),
        metadata=metadata, timeout=30)
    return len(rows)


def list_all(call, request, field, metadata):
    """Every item of a paged List call."""
    items = []
    while True:
        page = call(request, metadata=metadata, timeout=10)
        items += getattr(page, field)
        if not page.next_page_token:
            return items
        request.page_token = page.next_page_token


class Seeder:
    """Finds each demo account and contact, creating only what is missing."""

    def __init__(self, stub, metadata):
        self.stub = stub
        self.metadata = metadata
        self.untagged = None  # display name -> account, read once when needed
        self.created_accounts = self.created_contacts = 0

    def account(self, key, fields):
        tag = KEY_TAG + key
        found = self.stub.ListAccounts(
            service.ListAccountsRequest(tag=tag, page_size=1),
            metadata=self.metadata, timeout=10).accounts
        if found:
            return found[0]
        if self.untagged is None:
            self.untagged = {}
            for account in list_all(self.stub.ListAccounts,
                                    service.ListAccountsRequest(page_size=1000),
                                    "accounts", self.metadata):
                if not any(t.startswith(KEY_TAG) for t in account.tags):
                    self.untagged.setdefault(account.display_name, account)
        account = self.untagged.pop(fields["display_name"], None)
        if account is not None:  # seeded before the tag existed
            account.tags.append(tag)
            return self.stub.UpdateAccount(
                service.UpdateAccountRequest(account=account,
                                             update_mask={"paths": ["tags"]}),
                metadata=self.metadata, timeout=10).account
        account = account_pb2.Account(**fields)
        account.tags.append(tag)
        self.created_accounts += 1
        return self.stub.CreateAccount(
            service.CreateAccountRequest(account=account,
                                         request_id=f"demo-seed-account-{key}"),
            metadata=self.metadata, timeout=10).account

    def contacts(self, key, account, people):
        """The names of the account's demo contacts, created where missing."""
        def who(contact):
            return tuple(unicodedata.normalize("NFC", part.strip())
                         for part in (contact.given_name, contact.family_name))
        existing = {}
        for contact in list_all(self.stub.ListContacts,
                                service.ListContactsRequest(account=account.name,
                                                            page_size=1000),
                                "contacts", self.metadata):
            existing.setdefault(who(contact), contact.name)
        names = []
        for index, contact in enumerate(people):
            name = existing.get(who(contact))
            if name is None:
                contact.account = account.name
                name = self.stub.CreateContact(
                    service.CreateContactRequest(
                        contact=contact, request_id=f"demo-seed-contact-{key}-{index}"),
                    metadata=self.metadata, timeout=10).contact.name
                self.created_contacts += 1
            names.append(name)
        return names


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    contacts_address, engagement_address, ticketing_address, token = sys.argv[1:]
    metadata = [("authorization", f"Bearer {token}")]
    with grpc.insecure_channel(contacts_address) as channel, \
            grpc.insecure_channel(engagement_address) as engagement_channel:
        seeder = Seeder(service_grpc.ContactsServiceStub(channel), metadata)
        engagement_stub = engagement_grpc.EngagementServiceStub(engagement_channel)
        accounts = contacts = recorded = 0
        by_key = {}
        for key, fields, people in DEMO:
            account = seeder.account(key, fields)
            by_key[key] = account
            accounts += 1
            names = seeder.contacts(key, account, people)
            contacts += len(names)
            recorded += record_history(engagement_stub, metadata, key,
                                       account.name, names)
        commercial = demo_commercial.seed(engagement_channel, metadata, by_key)
    tickets_created, tickets_found = demo_tickets.seed(ticketing_address, metadata, by_key)
    print(f"demo tenant: {accounts} accounts ({seeder.created_accounts} created), "
          f"{contacts} contacts ({seeder.created_contacts} created), "
          f"{recorded} interactions recorded, "
          f"{tickets_created + tickets_found} tickets ({tickets_created} created), "
          f"{commercial}")


if __name__ == "__main__":
    main()
