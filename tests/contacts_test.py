"""The contacts service seen from outside: the real `contacts` binary with a
real redis-server and SQLite, called by `buf curl` and by a Python grpcio
client generated from our protos (Debian's protoc and grpc_python_plugin).

One server serves the whole module; every test makes its own accounts and
contacts with names no other test uses, so the tests do not depend on order.
Only the demo tenant ("demo-token") writes; the other tenant ("other-token")
only reads, so its lists must stay empty.
"""

import json
import unittest

import grpc

import suite
from wire import redis_command, resource_names
from clientele.contacts.v1 import (account_pb2, contact_pb2, contacts_service_pb2,
                                   contacts_service_pb2_grpc, merge_record_pb2)
from clientele.events.v1 import event_pb2
from clientele.type.v1 import account_classification_pb2 as classification

SERVICE = suite.SERVICES["contacts"]
STREAM = "clientele.events.contacts"
DEMO = "demo-token"
OTHER = "other-token"

Code = grpc.StatusCode
pb = contacts_service_pb2


# --- the contacts stream ------------------------------------------------------

def stream_entries(port):
    """Every entry of the contacts stream as {field name: bytes}."""
    entries = []
    for _entry_id, flat in redis_command(port, "XRANGE", STREAM, "-", "+") or []:
        entries.append({flat[i].decode(): flat[i + 1] for i in range(0, len(flat), 2)})
    return entries


# --- the module's server --------------------------------------------------------

stack = redis = server = None


def setUpModule():
    global stack, redis, server
    stack = suite.Stack(["contacts"])
    redis, server = stack.redis, stack.contacts


def tearDownModule():
    if stack is not None:
        stack.close()


_counter = [0]


def unique(prefix):
    """A word no other test uses (letters only, so search treats it as one word)."""
    _counter[0] += 1
    n, letters = _counter[0], ""
    while True:
        letters += "abcdefghij"[n % 10]
        n //= 10
        if not n:
            break
    return f"{prefix}{letters}"


class ContactsClient:
    """The generated grpcio stub with a token."""

    def __init__(self, token=DEMO):
        self.stub = contacts_service_pb2_grpc.ContactsServiceStub(server.channel)
        self.metadata = [("authorization", f"Bearer {token}")]

    def __getattr__(self, method):
        rpc = getattr(self.stub, method)
        return lambda request, **kw: rpc(request, metadata=self.metadata,
                                         timeout=kw.pop("timeout", 60), **kw)


def new_account(client, display_name, **fields):
    account = account_pb2.Account(
        display_name=display_name,
        kind=fields.pop("kind", classification.ACCOUNT_KIND_ORGANIZATION),
        segment=fields.pop("segment", classification.ACCOUNT_SEGMENT_B2B),
        tier=fields.pop("tier", classification.ACCOUNT_TIER_STANDARD),
        lifecycle_stage=fields.pop("lifecycle_stage", classification.LIFECYCLE_STAGE_ACTIVE),
        **fields)
    return client.CreateAccount(pb.CreateAccountRequest(account=account)).account


def new_contact(client, account, given_name="", family_name="", emails=(), **fields):
    contact = contact_pb2.Contact(account=account, given_name=given_name,
                                  family_name=family_name, **fields)
    for address in emails:
        contact.emails.add(address=address)
    return client.CreateContact(pb.CreateContactRequest(contact=contact)).contact


class ServerTestCase(unittest.TestCase):
    def setUp(self):
        self.client = ContactsClient(DEMO)

    def assertRpcError(self, code, call, *args, **kwargs):
        with self.assertRaises(grpc.RpcError) as caught:
            call(*args, **kwargs)
        self.assertEqual(caught.exception.code(), code, caught.exception.details())
        return caught.exception

    def search(self, query, client=None, **kw):
        client = client or self.client
        return [c.name for c in client.SearchContacts(
            pb.SearchContactsRequest(query=query, page_size=100, **kw)).contacts]

    def all_contacts(self, account, client=None):
        client = client or self.client
        names, token = [], ""
        while True:
            page = client.ListContacts(pb.ListContactsRequest(
                account=account, page_size=1000, page_token=token))
            names += [c.name for c in page.contacts]
            token = page.next_page_token
            if not token:
                return names

    def wait_for_event(self, predicate, what):
        found = []

        def look():
            for entry in stream_entries(redis.port):
                if predicate(entry):
                    found.append(entry)
                    return True
            return False

        suite.wait_for(look, timeout=30, interval=0.1, what=what)
        return found[0]


# --- 1. buf curl ----------------------------------------------------------------

@unittest.skipUnless(suite.BUF, "buf CLI not configured (CLIENTELE_BUF)")
class BufCurlTest(ServerTestCase):
    def curl(self, method, data, token=DEMO):
        return suite.buf_curl(server.address, token=token, data=data,
                              path=f"/{SERVICE}/{method}")

    def curl_ok(self, method, data):
        code, out, err = self.curl(method, data)
        self.assertEqual(code, 0, f"{method}: {err}")
        return json.loads(out)

    def account_json(self, display_name, **extra):
        account = {"displayName": display_name,
                   "kind": "ACCOUNT_KIND_ORGANIZATION",
                   "segment": "ACCOUNT_SEGMENT_B2B",
                   "tier": "ACCOUNT_TIER_STANDARD",
                   "lifecycleStage": "LIFECYCLE_STAGE_ACTIVE"}
        account.update(extra)
        return account

    def test_create_get_update_and_list_an_account(self):
        owner = unique("u-buf-")
        created = self.curl_ok("CreateAccount", {
            "account": self.account_json("Kanzlei Weber & Partner", owner=owner,
                                         tags=["Law", "Retainer"],
                                         timeZone="Europe/Berlin")})["account"]
        self.assertRegex(created["name"], r"^accounts/[A-Za-z0-9_-]{1,64}$")
        self.assertEqual(created["displayName"], "Kanzlei Weber & Partner")
        self.assertEqual(created["tags"], ["law", "retainer"])
        self.assertTrue(created["etag"])

        got = self.curl_ok("GetAccount", {"name": created["name"]})["account"]
        self.assertEqual(got, created)

        updated = self.curl_ok("UpdateAccount", {
            "account": {"name": created["name"], "tier": "ACCOUNT_TIER_PREMIUM",
                        "displayName": "ignored: not in the mask",
                        "etag": created["etag"]},
            "updateMask": "tier"})["account"]
        self.assertEqual(updated["tier"], "ACCOUNT_TIER_PREMIUM")
        self.assertEqual(updated["displayName"], "Kanzlei Weber & Partner")
        self.assertNotEqual(updated["etag"], created["etag"])

        # The etag read before the update is stale now.
        code, out, err = self.curl("UpdateAccount", {
            "account": {"name": created["name"], "tier": "ACCOUNT_TIER_ENTERPRISE",
                        "etag": created["etag"]},
            "updateMask": "tier"})
        self.assertNotEqual(code, 0)
        self.assertIn("aborted", out + err)
        got = self.curl_ok("GetAccount", {"name": created["name"]})["account"]
        self.assertEqual(got["tier"], "ACCOUNT_TIER_PREMIUM")

        # A second account of the same owner that the tier filter leaves out.
        self.curl_ok("CreateAccount", {"account": self.account_json("Weber Bakery",
                                                                    owner=owner)})
        listed = self.curl_ok("ListAccounts", {"owner": owner,
                                               "tier": "ACCOUNT_TIER_PREMIUM"})
        self.assertEqual([a["name"] for a in listed["accounts"]], [created["name"]])
        self.assertNotIn("nextPageToken", listed)
        listed = self.curl_ok("ListAccounts", {"owner": owner})
        self.assertEqual(len(listed["accounts"]), 2)
        listed = self.curl_ok("ListAccounts", {"owner": owner, "tag": "LAW"})
        self.assertEqual([a["name"] for a in listed["accounts"]], [created["name"]])

    def test_a_request_without_token_is_unauthenticated(self):
        created = self.curl_ok("CreateAccount", {
            "account": self.account_json("Tokenless target")})["account"]
        code, out, err = self.curl("GetAccount", {"name": created["name"]}, token=None)
        self.assertNotEqual(code, 0)
        self.assertIn("unauthenticated", out + err)
        self.assertNotIn("Tokenless target", out + err)

    def test_a_bad_field_is_invalid_argument_naming_it(self):
        code, out, err = self.curl("CreateAccount", {
            "account": self.account_json("   ")})
        self.assertNotEqual(code, 0)
        self.assertIn("invalid_argument", out + err)
        self.assertIn("account.display_name", out + err)

        account = self.curl_ok("CreateAccount", {
            "account": self.account_json("Bad email target")})["account"]
        code, out, err = self.curl("CreateContact", {"contact": {
            "account": account["name"], "givenName": "Ada",
            "emails": [{"address": "ada@example.com"}, {"address": "not an email"}]}})
        self.assertNotEqual(code, 0)
        self.assertIn("invalid_argument", out + err)
        self.assertIn("contact.emails[1].address", out + err)


# --- 2. grpcio: happy paths, duplicates, merge, import, erasure, tenants ----------

class GrpcClientTest(ServerTestCase):
    def test_accounts_and_contacts_in_five_scripts(self):
        names = {
            "ar": ("مكتب المحاماة العربي", "محمد", "العلي", "ar-EG"),
            "ru": ("Бухгалтерия Иванова", "Анна", "Иванова", "ru-RU"),
            "tr": ("Işık Halkla İlişkiler", "Işık", "Yılmaz", "tr-TR"),
            "zh": ("陈记面包", "小明", "王", "zh-Hans-CN"),
            "en": ("Smith Advertising", "John", "Smith", "en-GB"),
        }
        for script, (account_name, given, family, locale) in names.items():
            with self.subTest(script=script):
                account = new_account(self.client, account_name, locale=locale)
                self.assertEqual(account.display_name, account_name)
                got = self.client.GetAccount(pb.GetAccountRequest(name=account.name)).account
                self.assertEqual(got.display_name, account_name)
                self.assertEqual(got.locale, locale)
                contact = new_contact(self.client, account.name, given, family)
                self.assertRegex(contact.name, r"^contacts/[A-Za-z0-9_-]{1,64}$")
                got = self.client.GetContact(pb.GetContactRequest(name=contact.name)).contact
                self.assertEqual((got.given_name, got.family_name), (given, family))
                self.assertIn(given, got.display_name)
                self.assertIn(family, got.display_name)
                self.assertEqual(self.all_contacts(account.name), [contact.name])

    def test_search_folds_case_and_script_specific_letters(self):
        account = new_account(self.client, "Search world")
        tag = unique("")  # keeps the emails of this test apart from others
        isik = new_contact(self.client, account.name, "Işık", "Aydın",
                           emails=[f"isik.{tag}@example.com.tr"])
        wang = new_contact(self.client, account.name, "小明", "王", locale="zh-CN")
        anna = new_contact(self.client, account.name, "Анна", "Иванова")
        ali = new_contact(self.client, account.name, "محمد", "العلي")
        john = new_contact(self.client, account.name, "John", "Smith",
                           emails=[f"John.Smith.{tag}@Example.COM"])
        self.assertEqual(wang.display_name, "王小明")

        scope = {"account": account.name}
        self.assertIn(isik.name, self.search("ISIK", **scope))
        self.assertIn(isik.name, self.search("ışık", **scope))
        self.assertIn(isik.name, self.search("Işık", **scope))
        self.assertIn(isik.name, self.search("AYDIN", **scope))
        self.assertIn(wang.name, self.search("小明", **scope))
        self.assertIn(wang.name, self.search("王小明", **scope))
        self.assertIn(anna.name, self.search("иванова", **scope))
        self.assertIn(anna.name, self.search("ИВАНОВА", **scope))
        self.assertIn(ali.name, self.search("محمد", **scope))
        self.assertIn(john.name, self.search("smith", **scope))
        self.assertEqual(self.search(f"JOHN.SMITH.{tag.upper()}@EXAMPLE.COM", **scope)[:1],
                         [john.name])
        self.assertEqual(self.search(f"john.smith.{tag}@example.com")[:1], [john.name])
        self.assertIn(isik.name, self.search(f"ISIK.{tag}@", **scope))
        # Words nobody has are not found, and one script does not match another.
        self.assertEqual(self.search("Ивановаю", **scope), [])

    def test_a_second_contact_with_the_same_email_is_already_exists(self):
        account = new_account(self.client, "Duplicate bakery")
        local = unique("ayse.demir.")
        first = new_contact(self.client, account.name, "Ayşe", "Demir",
                            emails=[f"{local}@Example.com.TR"])
        other_account = new_account(self.client, "Duplicate salon")
        error = self.assertRpcError(
            Code.ALREADY_EXISTS, new_contact, self.client, other_account.name, "Ayse",
            emails=["second@example.com", f"  {local.upper()}@EXAMPLE.COM.tr "])
        self.assertIn(first.name, error.details())
        self.assertEqual(resource_names(error), [first.name])
        # Nothing was created, and the first contact is unchanged.
        self.assertEqual(self.all_contacts(other_account.name), [])
        got = self.client.GetContact(pb.GetContactRequest(name=first.name)).contact
        self.assertEqual([e.address for e in got.emails], [f"{local}@Example.com.TR"])
        # FindDuplicateContacts agrees.
        candidates = self.client.FindDuplicateContacts(pb.FindDuplicateContactsRequest(
            email=f"{local}@example.com.tr")).candidates
        self.assertEqual([c.contact.name for c in candidates], [first.name])
        self.assertIn(pb.DUPLICATE_REASON_SAME_EMAIL, candidates[0].reasons)

    def test_merged_contact_keeps_resolving_to_the_survivor(self):
        account = new_account(self.client, "Merge agency")
        tag = unique("")
        survivor = new_contact(self.client, account.name, "Олег", "Петров",
                               emails=[f"oleg.{tag}@example.ru"])
        merged = new_contact(self.client, account.name, "Oleg", "Petrov",
                             emails=[f"o.petrov.{tag}@example.ru"],
                             phones=[contact_pb2.ContactPhone(number="+74951234567")])
        response = self.client.MergeContacts(pb.MergeContactsRequest(
            survivor=survivor.name, merged=merged.name))
        self.assertEqual(response.contact.name, survivor.name)
        self.assertEqual(sorted(e.address for e in response.contact.emails),
                         sorted([f"oleg.{tag}@example.ru", f"o.petrov.{tag}@example.ru"]))
        self.assertEqual([p.number for p in response.contact.phones], ["+74951234567"])

        got = self.client.GetContact(pb.GetContactRequest(name=merged.name)).contact
        self.assertEqual(got.name, survivor.name)
        self.assertEqual(got.given_name, "Олег")
        self.assertEqual(self.all_contacts(account.name), [survivor.name])
        # The merged-away email now finds the survivor, and is still taken.
        self.assertEqual(self.search(f"o.petrov.{tag}@example.ru")[:1], [survivor.name])
        error = self.assertRpcError(Code.ALREADY_EXISTS, new_contact, self.client,
                                    account.name, "Someone",
                                    emails=[f"O.Petrov.{tag}@example.ru"])
        self.assertEqual(resource_names(error), [survivor.name])

        records = self.client.ListMergeRecords(pb.ListMergeRecordsRequest(
            resource=merged.name)).merge_records
        self.assertEqual(len(records), 1)
        self.assertEqual(records[0].kind, merge_record_pb2.MERGE_KIND_CONTACT)
        self.assertEqual((records[0].survivor, records[0].merged),
                         (survivor.name, merged.name))
        self.assertEqual(records[0].name, response.merge_record.name)
        by_survivor = self.client.ListMergeRecords(pb.ListMergeRecordsRequest(
            resource=survivor.name, kind=merge_record_pb2.MERGE_KIND_CONTACT))
        self.assertEqual([r.name for r in by_survivor.merge_records], [records[0].name])

    def test_merged_account_keeps_resolving_to_the_survivor(self):
        survivor = new_account(self.client, "Weber & Partner")
        merged = new_account(self.client, "Weber Partner (old)")
        moved = new_contact(self.client, merged.name, "Lena", "Weber")
        response = self.client.MergeAccounts(pb.MergeAccountsRequest(
            survivor=survivor.name, merged=merged.name))
        self.assertEqual(response.merge_record.moved_contacts, [moved.name])
        got = self.client.GetAccount(pb.GetAccountRequest(name=merged.name)).account
        self.assertEqual(got.name, survivor.name)
        self.assertEqual(got.display_name, "Weber & Partner")
        self.assertEqual(self.client.GetContact(pb.GetContactRequest(
            name=moved.name)).contact.account, survivor.name)
        records = self.client.ListMergeRecords(pb.ListMergeRecordsRequest(
            resource=merged.name, kind=merge_record_pb2.MERGE_KIND_ACCOUNT)).merge_records
        self.assertEqual([(r.survivor, r.merged) for r in records],
                         [(survivor.name, merged.name)])

    def test_bulk_import_reports_every_row_and_retries_safely(self):
        account = new_account(self.client, "Fuel station card holders",
                              segment=classification.ACCOUNT_SEGMENT_B2C)
        tag = unique("")
        existing = new_contact(self.client, account.name, "Kemal", "Öztürk",
                               emails=[f"kemal.{tag}@fuel.example"])
        rows, expected = [], []
        for i in range(3000):
            contact = contact_pb2.Contact(given_name=f"Kart{i}", family_name="Sahibi")
            email = f"card{i}.{tag}@fuel.example"
            if i % 500 == 7:      # no name at all
                contact = contact_pb2.Contact()
                contact.emails.add(address=email)
                expected.append(("invalid", ""))
            elif i % 500 == 8:    # malformed email
                contact.emails.add(address=f"card{i}@@fuel")
                expected.append(("invalid", "emails[0].address"))
            elif i % 500 == 9:    # the contact created before the import
                contact.emails.add(address=f"KEMAL.{tag}@Fuel.Example")
                expected.append(("duplicate", existing.name))
            elif i % 500 == 10:   # an earlier row of this import, cased differently
                email = f"card{i - 10}.{tag}@fuel.example".upper()
                contact.emails.add(address=email)
                expected.append(("duplicate", i - 10))
            else:
                contact.emails.add(address=email)
                expected.append(("created", None))
            rows.append(pb.ImportContactsRow(contact=contact, row_key=f"line-{i + 1}"))
        request = pb.ImportContactsRequest(rows=rows, default_account=account.name,
                                           request_id=f"import-{tag}")
        first = self.client.ImportContacts(request, timeout=300)

        self.assertEqual(len(first.results), 3000)
        counts = {"created": 0, "duplicate": 0, "invalid": 0}
        for i, (result, (outcome, detail)) in enumerate(zip(first.results, expected)):
            counts[outcome] += 1
            with self.subTest(row=i):
                self.assertEqual(result.row_index, i)
                self.assertEqual(result.row_key, f"line-{i + 1}")
                if outcome == "created":
                    self.assertEqual(result.outcome, pb.IMPORT_ROW_OUTCOME_CREATED)
                    self.assertTrue(result.contact.startswith("contacts/"))
                    self.assertEqual(result.account, account.name)
                elif outcome == "duplicate":
                    self.assertEqual(result.outcome, pb.IMPORT_ROW_OUTCOME_DUPLICATE)
                    twin = detail if isinstance(detail, str) else first.results[detail].contact
                    self.assertEqual(result.contact, twin)
                else:
                    self.assertEqual(result.outcome, pb.IMPORT_ROW_OUTCOME_INVALID)
                    self.assertFalse(result.contact)
                    self.assertTrue(result.violations)
                    if detail:
                        self.assertEqual(result.violations[0].field, detail)
                    self.assertTrue(result.violations[0].description)
        self.assertEqual((first.created_count, first.duplicate_count, first.invalid_count),
                         (counts["created"], counts["duplicate"], counts["invalid"]))
        self.assertEqual(counts, {"created": 2976, "duplicate": 12, "invalid": 12})

        created = {r.contact for r in first.results
                   if r.outcome == pb.IMPORT_ROW_OUTCOME_CREATED}
        self.assertEqual(len(created), 2976)
        listed = self.all_contacts(account.name)
        self.assertEqual(set(listed), created | {existing.name})
        self.assertEqual(len(listed), 2977)
        some = first.results[1234].contact
        got = self.client.GetContact(pb.GetContactRequest(name=some)).contact
        self.assertEqual(got.given_name, "Kart1234")

        # The same request again: the same answer, nothing new.
        again = self.client.ImportContacts(request, timeout=300)
        self.assertEqual(again, first)
        self.assertEqual(len(self.all_contacts(account.name)), 2977)

        # Under a new request_id, rows already created come back as duplicates.
        retry = pb.ImportContactsRequest(rows=rows[:20], default_account=account.name,
                                         request_id=f"import-{tag}-2")
        retried = self.client.ImportContacts(retry, timeout=120)
        self.assertEqual(retried.created_count, 0)
        self.assertEqual(retried.results[0].outcome, pb.IMPORT_ROW_OUTCOME_DUPLICATE)
        self.assertEqual(retried.results[0].contact, first.results[0].contact)
        self.assertEqual(len(self.all_contacts(account.name)), 2977)

    def test_erasure_leaves_nothing_findable_and_publishes_an_event(self):
        account = new_account(self.client, "Therapist practice")
        family = unique("Zeynepoglu")
        email = f"{family.lower()}@example.com.tr"
        keep = new_contact(self.client, account.name, "Kept", "Person")
        erased = new_contact(self.client, account.name, "Zeynep", family,
                             emails=[email],
                             phones=[contact_pb2.ContactPhone(number="+905321234567")])
        exported = self.client.ExportDataSubject(pb.ExportDataSubjectRequest(
            subject=erased.name))
        self.assertEqual([c.family_name for c in exported.contacts], [family])
        self.assertEqual(self.search(family), [erased.name])

        response = self.client.EraseDataSubject(pb.EraseDataSubjectRequest(
            subject=erased.name, reason="GDPR art. 17 request #4711"))
        self.assertTrue(response.erasure_id)
        self.assertIn(erased.name, response.erased_resources)
        self.assertNotIn(account.name, response.erased_resources)

        self.assertRpcError(Code.NOT_FOUND, self.client.GetContact,
                            pb.GetContactRequest(name=erased.name))
        self.assertEqual(self.search(family), [])
        self.assertEqual(self.search(email), [])
        self.assertEqual(list(self.client.FindDuplicateContacts(
            pb.FindDuplicateContactsRequest(email=email)).candidates), [])
        try:
            exported = self.client.ExportDataSubject(pb.ExportDataSubjectRequest(
                subject=erased.name))
            self.assertEqual(list(exported.contacts), [])
            self.assertFalse(exported.HasField("account"))
        except grpc.RpcError as error:
            self.assertEqual(error.code(), Code.NOT_FOUND)
        # The account and its other contact are untouched.
        self.assertEqual(self.all_contacts(account.name), [keep.name])
        exported = self.client.ExportDataSubject(pb.ExportDataSubjectRequest(
            subject=account.name))
        self.assertEqual([c.name for c in exported.contacts], [keep.name])
        self.assertNotIn(family, str(exported))

        def is_erasure(entry):
            if entry.get("type") != b"clientele.events.v1.DataSubjectErased":
                return False
            event = event_pb2.Event.FromString(entry["payload"])
            return event.data_subject_erased.erasure_id == response.erasure_id

        entry = self.wait_for_event(is_erasure, "the DataSubjectErased event")
        self.assertEqual(entry["tenant"], b"demo")
        event = event_pb2.Event.FromString(entry["payload"])
        self.assertEqual(event.tenant, "demo")
        self.assertEqual(event.source_service, "contacts")
        self.assertEqual(event.data_subject_erased.subject, erased.name)
        self.assertEqual(list(event.data_subject_erased.erased_contacts), [erased.name])
        self.assertEqual(event.data_subject_erased.account, account.name)
        for personal in (family, email, "+905321234567", "Zeynep"):
            self.assertNotIn(personal.encode(), entry["payload"])
            self.assertNotIn(personal.lower().encode(), entry["payload"].lower())

        # The email is free again.
        again = new_contact(self.client, account.name, "New", "Person", emails=[email])
        self.assertNotEqual(again.name, erased.name)

    def test_erasing_an_account_erases_its_contacts(self):
        account = new_account(self.client, "Streaming subscriber Мария",
                              kind=classification.ACCOUNT_KIND_INDIVIDUAL,
                              segment=classification.ACCOUNT_SEGMENT_B2C)
        family = unique("Kuznetsova")
        contact = new_contact(self.client, account.name, "Мария", family)
        response = self.client.EraseDataSubject(pb.EraseDataSubjectRequest(
            subject=account.name, reason="request #12"))
        self.assertTrue({account.name, contact.name} <= set(response.erased_resources))
        self.assertRpcError(Code.NOT_FOUND, self.client.GetAccount,
                            pb.GetAccountRequest(name=account.name))
        self.assertRpcError(Code.NOT_FOUND, self.client.GetContact,
                            pb.GetContactRequest(name=contact.name))
        self.assertRpcError(Code.NOT_FOUND, self.client.ExportDataSubject,
                            pb.ExportDataSubjectRequest(subject=account.name))
        self.assertEqual(self.search(family), [])
        entry = self.wait_for_event(
            lambda e: e.get("type") == b"clientele.events.v1.DataSubjectErased"
            and event_pb2.Event.FromString(e["payload"]).data_subject_erased.erasure_id
            == response.erasure_id, "the account's DataSubjectErased event")
        erasure = event_pb2.Event.FromString(entry["payload"]).data_subject_erased
        self.assertEqual(erasure.erased_account, account.name)
        self.assertEqual(list(erasure.erased_contacts), [contact.name])
        self.assertNotIn(family.encode(), entry["payload"])
        self.assertNotIn("Мария".encode(), entry["payload"])

    def test_another_tenant_sees_nothing(self):
        account = new_account(self.client, "Globex secret", owner="u-secret",
                              tags=["secret"])
        contact = new_contact(self.client, account.name, "Ada", unique("Lovelace"),
                              emails=[f"{unique('ada')}@globex.example"])
        other = ContactsClient(OTHER)
        for call, request in [
                (other.GetAccount, pb.GetAccountRequest(name=account.name)),
                (other.GetContact, pb.GetContactRequest(name=contact.name)),
                (other.BatchGetAccounts, pb.BatchGetAccountsRequest(names=[account.name])),
                (other.ExportDataSubject, pb.ExportDataSubjectRequest(subject=contact.name)),
                (other.EraseDataSubject, pb.EraseDataSubjectRequest(subject=account.name)),
                (other.DeleteContact, pb.DeleteContactRequest(name=contact.name)),
                (other.UpdateAccount, pb.UpdateAccountRequest(
                    account=account_pb2.Account(name=account.name, owner="u-thief"),
                    update_mask={"paths": ["owner"]})),
                (other.CreateContact, pb.CreateContactRequest(contact=contact_pb2.Contact(
                    account=account.name, given_name="Intruder")))]:
            with self.subTest(request.DESCRIPTOR.name):
                error = self.assertRpcError(Code.NOT_FOUND, call, request)
                self.assertNotIn("Globex secret", error.details())
        self.assertEqual(list(other.ListAccounts(pb.ListAccountsRequest()).accounts), [])
        self.assertEqual(list(other.ListAccounts(pb.ListAccountsRequest(
            owner="u-secret")).accounts), [])
        self.assertEqual(list(other.ListContacts(pb.ListContactsRequest()).contacts), [])
        self.assertEqual(list(other.ListMergeRecords(
            pb.ListMergeRecordsRequest()).merge_records), [])
        self.assertEqual(self.search("Ada", client=other), [])
        # The owner still sees everything, unchanged.
        got = self.client.GetAccount(pb.GetAccountRequest(name=account.name)).account
        self.assertEqual(got.owner, "u-secret")
        self.assertEqual(self.all_contacts(account.name), [contact.name])

    def test_creating_an_account_publishes_account_created(self):
        display_name = unique("Bakery ")
        account = new_account(self.client, display_name,
                              segment=classification.ACCOUNT_SEGMENT_B2C)

        def is_created(entry):
            return (entry.get("type") == b"clientele.events.v1.AccountCreated"
                    and event_pb2.Event.FromString(entry["payload"]).subject == account.name)

        entry = self.wait_for_event(is_created, "the AccountCreated event")
        self.assertEqual(entry["tenant"], b"demo")
        event = event_pb2.Event.FromString(entry["payload"])
        self.assertEqual(entry["event_id"].decode(), event.event_id)
        self.assertEqual(event.tenant, "demo")
        self.assertEqual(event.source_service, "contacts")
        self.assertEqual(event.WhichOneof("payload"), "account_created")
        snapshot = event.account_created.account
        self.assertEqual(snapshot.name, account.name)
        self.assertEqual(snapshot.segment, classification.ACCOUNT_SEGMENT_B2C)
        # Events carry references, never names (docs/architecture.md).
        self.assertNotIn(display_name.encode(), entry["payload"])


if __name__ == "__main__":
    unittest.main()
