"""Erasure reaches every copy: after EraseDataSubject of a contact and of an
account, no SQLite file of any service (the database and its WAL, raw bytes),
no Redis key, value or stream entry, and no record of Redis's append-only file
holds their names, emails or phones (docs/architecture.md, "Personal data").

The four real services run on one redis-server. People with names in several
scripts get accounts, contacts (created, updated, imported, merged, with
request_ids so that responses are stored), interactions and follow-ups that
mention them, and cached scores. The scan first proves it finds them (in the
databases) and that Redis never received them at all (events carry references
only); after the erasures it finds nothing, while a bystander's data stays.
"""

import datetime
import glob
import os
import unicodedata
import unittest
import uuid

from google.protobuf import field_mask_pb2

import suite
from clientele.contacts.v1 import account_pb2, contact_pb2, contacts_service_pb2
from clientele.engagement.v1 import engagement_service_pb2, follow_up_pb2, interaction_pb2
from clientele.type.v1 import account_classification_pb2 as classification
from clientele.type.v1 import date_pb2, money_pb2
from wire import redis_command
from engagement_test import (cache_key, contacts_client, engagement_client, interaction, now,
                             score_name, timestamp)

cpb = contacts_service_pb2
epb = engagement_service_pb2
I = interaction_pb2
TOKEN = "demo-token"  # tenant "demo", role admin
TENANT = suite.Workspace.TOKENS[TOKEN][0]


def rid():
    """A request_id as the API asks for one: a UUID, which says nothing about
    anyone (request_ids travel in events, for tracing)."""
    return str(uuid.uuid4())


# Needles shorter than this could turn up by chance in binary data.
MIN_NEEDLE_BYTES = 6


def forms(*texts):
    """The byte strings a text may be stored as: as given, NFC and NFD,
    lower-cased and case-folded (search keys), for each text given."""
    out = set()
    for text in texts:
        for variant in (text, text.lower(), text.casefold()):
            for form in ("NFC", "NFD"):
                data = unicodedata.normalize(form, variant).encode()
                if len(data) >= MIN_NEEDLE_BYTES:
                    out.add(data)
    return sorted(out)


class Person:
    """What identifies one person: every name, email and phone, in every
    form a service could have stored it."""

    def __init__(self, label, names, emails, phones):
        self.label = label
        self.needles = {}
        for name in names:
            self.needles[f"{label}: name {name!r}"] = forms(name)
        for email in emails:
            self.needles[f"{label}: email {email!r}"] = forms(email)
        for given, e164 in phones:
            self.needles[f"{label}: phone {e164}"] = forms(given, e164)


# --- where data lives -------------------------------------------------------------

def sqlite_files(data_dir):
    """Every SQLite file of every service: databases, WALs, shared memory,
    rollback journals."""
    return sorted(path for pattern in ("*.db", "*.db-*")
                  for path in glob.glob(os.path.join(data_dir, pattern)))


def file_blobs(paths):
    """(where, bytes) for each file."""
    blobs = []
    for path in paths:
        try:
            with open(path, "rb") as f:
                blobs.append((os.path.basename(path), f.read()))
        except FileNotFoundError:  # a WAL deleted meanwhile
            pass
    return blobs


def redis_blobs(port):
    """(where, bytes) for every key name and every value in Redis, read by
    type (strings, hashes, lists, sets, sorted sets, every stream entry)."""
    blobs = []
    cursor = b"0"
    while True:
        cursor, keys = redis_command(port, "SCAN", cursor, "COUNT", 1000)
        for key in keys:
            blobs.append((f"key name {key!r}", key))
            kind = redis_command(port, "TYPE", key).decode()
            if kind == "string":
                values = [redis_command(port, "GET", key) or b""]
            elif kind == "hash":
                values = redis_command(port, "HGETALL", key) or []
            elif kind == "list":
                values = redis_command(port, "LRANGE", key, 0, -1) or []
            elif kind == "set":
                values = redis_command(port, "SMEMBERS", key) or []
            elif kind == "zset":
                values = redis_command(port, "ZRANGE", key, 0, -1) or []
            elif kind == "stream":
                values = []
                for entry_id, fields in redis_command(port, "XRANGE", key, "-", "+") or []:
                    values += [entry_id] + fields
            else:
                values = [redis_command(port, "DUMP", key) or b""]
            blobs.append((f"{kind} {key.decode(errors='replace')}",
                          b"\x00".join(v for v in values if v is not None)))
        if cursor == b"0":
            return blobs


def aof_files(redis):
    """The files of Redis's append-only log (every write it persisted)."""
    return sorted(path for path in glob.glob(os.path.join(redis.dir, "**", "*"), recursive=True)
                  if os.path.isfile(path) and ".aof" in os.path.basename(path))


def find(needles, blobs):
    """{needle label: ["where (context)", ...]} for every needle found."""
    found = {}
    for label, variants in needles.items():
        for where, data in blobs:
            for variant in variants:
                at = data.find(variant)
                if at >= 0:
                    context = data[max(0, at - 24):at + len(variant) + 24]
                    found.setdefault(label, []).append(f"{where} at {at}: {context!r}")
                    break
    return found


def report(found):
    return "\n".join(f"  {label}\n    " + "\n    ".join(places)
                     for label, places in sorted(found.items()))


# --- the test case ------------------------------------------------------------------

class ErasureLeavesNoCopyTest(suite.OwnStack, unittest.TestCase):
    SERVICES = ["contacts", "engagement", "ticketing", "reporting"]

    def setUp(self):
        self.contacts = contacts_client(self.stack, TOKEN)
        self.engagement = engagement_client(self.stack, TOKEN)

    # -- helpers --

    def score(self, account):
        return self.engagement.GetRelationshipScore(epb.GetRelationshipScoreRequest(
            name=score_name(account))).relationship_score

    def known(self, account):
        return suite.found(self.score, account)

    def cached(self, account):
        self.score(account)
        return bool(redis_command(self.stack.redis.port, "EXISTS",
                                  cache_key(account, TENANT)) == b"1")

    def new_account(self, display_name, request_id="", **fields):
        account = account_pb2.Account(
            display_name=display_name,
            lifecycle_stage=classification.LIFECYCLE_STAGE_ACTIVE,
            tier=classification.ACCOUNT_TIER_STANDARD, **fields)
        name = self.contacts.CreateAccount(cpb.CreateAccountRequest(
            account=account, request_id=request_id)).account.name
        suite.wait_for(lambda: self.known(name), timeout=60, interval=0.1,
                       what=f"engagement to know {name}")
        return name

    def new_contact(self, account, given, family, emails, phones, request_id=""):
        contact = contact_pb2.Contact(
            account=account, given_name=given, family_name=family,
            emails=[contact_pb2.ContactEmail(address=e) for e in emails],
            phones=[contact_pb2.ContactPhone(number=p) for p in phones])
        return self.contacts.CreateContact(cpb.CreateContactRequest(
            contact=contact, request_id=request_id)).contact

    def scan_databases(self, needles):
        return find(needles, file_blobs(sqlite_files(self.stack.workspace.data_dir)))

    def scan_redis(self, needles):
        return find(needles, redis_blobs(self.stack.redis.port)
                    + file_blobs(aof_files(self.stack.redis)))

    # -- the test --

    def test_erased_people_leave_no_trace_in_any_database_cache_or_stream(self):
        # A bystander: an organization with a contact who stays.
        weber = self.new_account("Kanzlei Weber & Partner", request_id=rid(),
                                 kind=classification.ACCOUNT_KIND_ORGANIZATION,
                                 segment=classification.ACCOUNT_SEGMENT_B2B)
        wang = self.new_contact(weber, "小明", "王", ["wang.xiaoming@example.cn"],
                                ["+86 10 1234 5678"], request_id=rid())

        # A person erased alone: Zeynep, a contact of the bystander account,
        # created, given a new email, then merged with her duplicate.
        zeynep = self.new_contact(weber, "Zeynep", "Yılmazoğlu",
                                  ["Zeynep.Yilmazoglu@Example.com.TR"],
                                  ["+90 532 123 45 67"], request_id=rid())
        zeynep = self.contacts.UpdateContact(cpb.UpdateContactRequest(
            contact=contact_pb2.Contact(name=zeynep.name, emails=[
                contact_pb2.ContactEmail(address="zeynep@yilmazoglu.example.tr",
                                         primary=True)]),
            update_mask=field_mask_pb2.FieldMask(paths=["emails"]))).contact
        duplicate = self.new_contact(weber, "Zeynep", "Yılmazoğlu",
                                     ["z.yilmazoglu@eski.example.tr"],
                                     ["+90 212 987 65 43"], request_id=rid())
        self.contacts.MergeContacts(cpb.MergeContactsRequest(
            survivor=zeynep.name, merged=duplicate.name, request_id=rid()))
        zeynep_person = Person(
            "Zeynep (contact erased)",
            ["Zeynep", "Yılmazoğlu", zeynep.display_name],
            ["Zeynep.Yilmazoglu@Example.com.TR", "zeynep@yilmazoglu.example.tr",
             "z.yilmazoglu@eski.example.tr"],
            [("+90 532 123 45 67", "+905321234567"), ("+90 212 987 65 43", "+902129876543")])

        # An account erased whole: an individual (named after her, with her
        # birthday labelled by name and a tag), with three contacts in three
        # scripts: created, imported, created.
        yolkina = self.new_account(
            "Ярослава Ёлкина", request_id=rid(),
            kind=classification.ACCOUNT_KIND_INDIVIDUAL,
            segment=classification.ACCOUNT_SEGMENT_B2C, tags=["ёлкина-семья"],
            greeting_dates=[account_pb2.GreetingDate(
                occasion=account_pb2.GREETING_OCCASION_BIRTHDAY,
                date=date_pb2.Date(year=1990, month=3, day=8),
                label="Birthday of Ярослава Ёлкина")])
        yaroslava = self.new_contact(yolkina, "Ярослава", "Ёлкина",
                                     ["Yaroslava.Yolkina@Example.RU"],
                                     ["+7 (912) 345-67-89"], request_id=rid())
        imported = self.contacts.ImportContacts(cpb.ImportContactsRequest(
            default_account=yolkina, request_id=rid(), rows=[
                cpb.ImportContactsRow(row_key="row-1", contact=contact_pb2.Contact(
                    given_name="فاطمة", family_name="الزهراء",
                    emails=[contact_pb2.ContactEmail(address="fatima.alzahra@example.ae")],
                    phones=[contact_pb2.ContactPhone(number="+971 50 123 4567")]))]))
        self.assertEqual(imported.created_count, 1, imported)
        fatima = imported.results[0].contact
        chen = self.new_contact(yolkina, "静怡", "陈", ["chen.jingyi@example.cn"],
                                ["+86 138 0013 8000"])
        yolkina_people = [
            Person("Ярослава (account erased)",
                   ["Ярослава", "Ёлкина", "Ярослава Ёлкина", yaroslava.display_name],
                   ["Yaroslava.Yolkina@Example.RU"], [("+7 (912) 345-67-89", "+79123456789")]),
            Person("Fatima (account erased)", ["فاطمة", "الزهراء"],
                   ["fatima.alzahra@example.ae"], [("+971 50 123 4567", "+971501234567")]),
            Person("Chen (account erased)", ["静怡", chen.display_name],
                   ["chen.jingyi@example.cn"], [("+86 138 0013 8000", "+8613800138000")]),
        ]
        needles = dict(zeynep_person.needles)
        for person in yolkina_people:
            needles.update(person.needles)
        bystander = Person("Wang (kept)", ["小明", "Kanzlei Weber"],
                           ["wang.xiaoming@example.cn"], []).needles

        # Engagement: interactions and follow-ups that mention them, with
        # request_ids so that the responses are stored.
        hour = datetime.timedelta(hours=1)
        zeynep_call = self.engagement.RecordInteraction(epb.RecordInteractionRequest(
            request_id=rid(), interaction=interaction(
                weber, I.INTERACTION_KIND_CALL, contact=zeynep.name,
                summary="Zeynep Yılmazoğlu called from +90 532 123 45 67 about "
                        "zeynep@yilmazoglu.example.tr"))).interaction
        self.engagement.RecordInteraction(epb.RecordInteractionRequest(
            request_id=rid(), interaction=interaction(
                weber, I.INTERACTION_KIND_MEETING, when=now() - 2 * hour,
                contact=wang.name, summary="小明 signed the engagement letter")))
        zeynep_task = self.engagement.CreateFollowUp(epb.CreateFollowUpRequest(
            request_id=rid(), follow_up=follow_up_pb2.FollowUp(
                account=weber, contact=zeynep.name, assignee="u-anna",
                title="Send Zeynep Yılmazoğlu the letter",
                description="Her email: Zeynep.Yilmazoglu@Example.com.TR",
                due_time=timestamp(now() + 24 * hour)))).follow_up
        self.engagement.UpdateFollowUp(epb.UpdateFollowUpRequest(
            follow_up=follow_up_pb2.FollowUp(
                name=zeynep_task.name, description="Or call +905321234567"),
            update_mask=field_mask_pb2.FieldMask(paths=["description"])))
        self.engagement.RecordInteraction(epb.RecordInteractionRequest(
            request_id=rid(), interaction=interaction(
                yolkina, I.INTERACTION_KIND_ADVICE_SESSION, contact=yaroslava.name,
                summary="Ярослава Ёлкина, +7 (912) 345-67-89, "
                        "Yaroslava.Yolkina@Example.RU")))
        self.engagement.BatchRecordInteractions(epb.BatchRecordInteractionsRequest(
            request_id=rid(), interactions=[
                interaction(yolkina, I.INTERACTION_KIND_PURCHASE, when=now() - 3 * hour,
                            amount=money_pb2.Money(currency_code="EUR",
                                                   amount_minor_units=4900),
                            contact=fatima, summary="فاطمة الزهراء, +971501234567"),
                interaction(yolkina, I.INTERACTION_KIND_EMAIL, when=now() - 4 * hour,
                            contact=chen.name, summary="陈静怡 chen.jingyi@example.cn")]))
        self.engagement.CreateFollowUp(epb.CreateFollowUpRequest(
            request_id=rid(), follow_up=follow_up_pb2.FollowUp(
                account=yolkina, contact=yaroslava.name, assignee="u-anna",
                title="Call Ярослава Ёлкина", description="+79123456789",
                due_time=timestamp(now() + 48 * hour))))
        # Scores read, so that both are cached in Redis.
        for account in (weber, yolkina):
            suite.wait_for(lambda: self.cached(account), timeout=60, interval=0.2,
                           what=f"the score of {account} in Redis")

        # The scan works: before the erasures the databases hold every name,
        # email and phone (contacts' and engagement's files both), ...
        found = self.scan_databases(needles)
        self.assertEqual(sorted(set(needles) - set(found)), [],
                         "the scan misses data that is there")
        in_engagement = find(needles, file_blobs(
            glob.glob(os.path.join(self.stack.workspace.data_dir, "engagement.db*"))))
        self.assertIn(f"{zeynep_person.label}: name 'Yılmazoğlu'", in_engagement)
        # ... and it reads Redis (the streams and the cached scores hold the
        # references), which never received any personal data at all.
        references = {name: [name.encode()] for name in (
            yolkina, zeynep.name, zeynep_call.name, score_name(weber))}

        def redis_holds_references():
            self.cached(weber)  # refills the cache if a rescore invalidated it
            return sorted(find(references, redis_blobs(self.stack.redis.port))) == sorted(
                references)
        suite.wait_for(redis_holds_references, timeout=30, interval=0.2,
                       what="the streams and the cache to hold the references")
        self.assertEqual(sorted(find(references, file_blobs(aof_files(self.stack.redis)))),
                         sorted(references), "the scan does not read the AOF")
        self.assertEqual(report(self.scan_redis(needles)), "",
                         "personal data reached Redis (events must carry references only)")

        # Erase the contact, then the account.
        for subject in (zeynep.name, yolkina):
            self.contacts.EraseDataSubject(cpb.EraseDataSubjectRequest(
                subject=subject, reason="GDPR art. 17 request #4711",
                request_id=rid()))

        # Engagement applies the erasure from contacts' event.
        def applied():
            call = self.engagement.GetInteraction(epb.GetInteractionRequest(
                name=zeynep_call.name)).interaction
            return not call.contact and not self.known(yolkina)
        suite.wait_for(applied, timeout=60, interval=0.2,
                       what="engagement to apply both erasures")

        # Nothing is left anywhere (the files may take a moment: each service
        # purges its WAL once its erasure has committed).
        left = {}

        def clean():
            left.clear()
            left.update(self.scan_databases(needles))
            left.update(self.scan_redis(needles))
            return not left
        try:
            suite.wait_for(clean, timeout=60, interval=0.5, what="no personal data left")
        except AssertionError:
            self.fail(f"personal data left after the erasures:\n{report(left)}")
        # The bystander is untouched (and the scan still sees the databases).
        self.assertEqual(sorted(self.scan_databases(bystander)), sorted(bystander))
        # The follow-up stays with its account, without Zeynep or her words.
        task = self.engagement.GetFollowUp(epb.GetFollowUpRequest(
            name=zeynep_task.name)).follow_up
        self.assertEqual((task.account, task.contact, task.description),
                         (weber, "", ""))

        # After every service has stopped (its database checkpointed into the
        # file and the WAL removed), the files are still clean.
        self.stack.stop()
        left = self.scan_databases(needles)
        self.assertEqual(report(left), "", "personal data left after a checkpoint")
        self.assertEqual(sorted(self.scan_databases(bystander)), sorted(bystander))


if __name__ == "__main__":
    unittest.main()
