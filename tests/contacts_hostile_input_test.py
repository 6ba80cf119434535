"""The contacts service against hostile requests: each answers the right
status code naming the field, and the server goes on serving. Shares
contacts_test's server (its setUpModule) and helpers."""

import unittest

import grpc

import contacts_test
from clientele.contacts.v1 import account_pb2, contact_pb2
from clientele.type.v1 import account_classification_pb2 as classification
from clientele_health import health_pb2
from contacts_test import SERVICE, Code, ServerTestCase, new_account, pb
from wire import encode_bytes_field, encode_varint_field, resource_names, violated_fields

# contacts_test's one server for the module.
setUpModule = contacts_test.setUpModule
tearDownModule = contacts_test.tearDownModule


class HostileInputTest(ServerTestCase):
    def valid_account(self, **changes):
        account = account_pb2.Account(
            display_name="Hostile", kind=classification.ACCOUNT_KIND_ORGANIZATION,
            segment=classification.ACCOUNT_SEGMENT_B2B,
            tier=classification.ACCOUNT_TIER_STANDARD,
            lifecycle_stage=classification.LIFECYCLE_STAGE_LEAD)
        for field, value in changes.items():
            setattr(account, field, value)
        return account

    def test_hostile_requests_answer_the_right_code_and_field_and_serving_goes_on(self):
        target = new_account(self.client, "Hostile target")
        megabyte = "x" * (1 << 20)

        def contact(**fields):
            c = contact_pb2.Contact(account=target.name, given_name="Y")
            for field, value in fields.items():
                setattr(c, field, value)
            return c

        unknown_role = contact()
        unknown_role.roles.append(99)
        long_email = contact()
        long_email.emails.add(address="a" * 300 + "@example.com")
        too_many_rows = pb.ImportContactsRequest(default_account=target.name)
        for _ in range(10_001):
            too_many_rows.rows.add().contact.given_name = "R"
        # 10^15 minor units is the most any amount may be (money.proto).
        too_rich = self.valid_account()
        too_rich.commercial_terms.model = classification.COMMERCIAL_MODEL_RETAINER
        too_rich.commercial_terms.billing_cycle = classification.BILLING_CYCLE_MONTHLY
        too_rich.commercial_terms.recurring_amount.currency_code = "EUR"
        too_rich.commercial_terms.recurring_amount.amount_minor_units = 10**15 + 1

        c = self.client
        cases = [
            ("1 MB display name", c.CreateAccount,
             pb.CreateAccountRequest(account=self.valid_account(display_name=megabyte)),
             Code.INVALID_ARGUMENT, "account.display_name"),
            ("1 MB given name", c.CreateContact,
             pb.CreateContactRequest(contact=contact(given_name=megabyte)),
             Code.INVALID_ARGUMENT, "contact.given_name"),
            ("300-character email", c.CreateContact,
             pb.CreateContactRequest(contact=long_email),
             Code.INVALID_ARGUMENT, "contact.emails[0].address"),
            ("1 MB search query", c.SearchContacts,
             pb.SearchContactsRequest(query=megabyte), Code.INVALID_ARGUMENT, "query"),
            ("1000-character request id", c.CreateAccount,
             pb.CreateAccountRequest(account=self.valid_account(), request_id="r" * 1000),
             Code.INVALID_ARGUMENT, "request_id"),
            ("unknown tier number", c.CreateAccount,
             pb.CreateAccountRequest(account=self.valid_account(tier=12345)),
             Code.INVALID_ARGUMENT, "account.tier"),
            ("unknown kind number", c.CreateAccount,
             pb.CreateAccountRequest(account=self.valid_account(kind=-7)),
             Code.INVALID_ARGUMENT, "account.kind"),
            ("unknown role number", c.CreateContact,
             pb.CreateContactRequest(contact=unknown_role),
             Code.INVALID_ARGUMENT, "contact.roles[0]"),
            ("unknown tier filter", c.ListAccounts,
             pb.ListAccountsRequest(tier=777), Code.INVALID_ARGUMENT, "tier"),
            ("negative page size", c.ListAccounts,
             pb.ListAccountsRequest(page_size=-5), Code.INVALID_ARGUMENT, "page_size"),
            ("negative page size of contacts", c.ListContacts,
             pb.ListContactsRequest(page_size=-1), Code.INVALID_ARGUMENT, "page_size"),
            ("garbage page token", c.ListContacts,
             pb.ListContactsRequest(page_token="'; DROP TABLE contacts; --"),
             Code.INVALID_ARGUMENT, "page_token"),
            ("garbage page token of accounts", c.ListAccounts,
             pb.ListAccountsRequest(page_token="\u0000\uffff" * 50),
             Code.INVALID_ARGUMENT, "page_token"),
            ("path traversal in a name", c.GetAccount,
             pb.GetAccountRequest(name="accounts/../../x"), Code.INVALID_ARGUMENT, "name"),
            ("empty id", c.GetContact,
             pb.GetContactRequest(name="contacts/"), Code.INVALID_ARGUMENT, "name"),
            ("wrong collection", c.GetAccount,
             pb.GetAccountRequest(name=target.name.replace("accounts/", "contacts/")),
             Code.INVALID_ARGUMENT, "name"),
            ("path traversal in an account reference", c.CreateContact,
             pb.CreateContactRequest(contact=contact(account="accounts/../../x")),
             Code.INVALID_ARGUMENT, "contact.account"),
            ("unknown contact", c.GetContact,
             pb.GetContactRequest(name="contacts/doesnotexist"), Code.NOT_FOUND,
             "contacts/doesnotexist"),
            ("unknown account reference", c.CreateContact,
             pb.CreateContactRequest(contact=contact(account="accounts/doesnotexist")),
             Code.NOT_FOUND, "accounts/doesnotexist"),
            ("update mask with an unknown path", c.UpdateAccount,
             pb.UpdateAccountRequest(account=target, update_mask={"paths": ["no_such_field"]}),
             Code.INVALID_ARGUMENT, "update_mask"),
            ("update mask with a sub-path of a scalar", c.UpdateAccount,
             pb.UpdateAccountRequest(account=target, update_mask={"paths": ["tier.bogus"]}),
             Code.INVALID_ARGUMENT, "update_mask"),
            ("update mask naming an output-only field", c.UpdateAccount,
             pb.UpdateAccountRequest(account=target, update_mask={"paths": ["create_time"]}),
             Code.INVALID_ARGUMENT, "update_mask"),
            ("10,001 import rows", c.ImportContacts, too_many_rows,
             Code.INVALID_ARGUMENT, "rows"),
            ("101 accounts in one batch", c.BatchGetAccounts,
             pb.BatchGetAccountsRequest(names=[target.name] * 101),
             Code.INVALID_ARGUMENT, "names"),
            ("a retainer above 10^15 minor units", c.CreateAccount,
             pb.CreateAccountRequest(account=too_rich), Code.INVALID_ARGUMENT,
             "account.commercial_terms.recurring_amount.amount_minor_units"),
            ("merge with itself", c.MergeAccounts,
             pb.MergeAccountsRequest(survivor=target.name, merged=target.name),
             Code.INVALID_ARGUMENT, "merged"),
            ("erase something that is no data subject", c.EraseDataSubject,
             pb.EraseDataSubjectRequest(subject="mergeRecords/1"),
             Code.INVALID_ARGUMENT, "subject"),
        ]
        for name, call, request, code, field in cases:
            with self.subTest(name):
                error = self.assertRpcError(code, call, request, timeout=120)
                self.assertLess(len(error.details()), 2000)
                if code == Code.INVALID_ARGUMENT:
                    self.assertEqual(violated_fields(error)[:1], [field])
                    self.assertIn(field, error.details())
                elif code == Code.NOT_FOUND:
                    self.assertEqual(resource_names(error), [field])
                elif field:
                    self.assertIn(field, error.details())

        # Nothing of it was written, and the target is unchanged.
        got = self.client.GetAccount(pb.GetAccountRequest(name=target.name)).account
        self.assertEqual(got, target)
        self.assertEqual(self.all_contacts(target.name), [])
        self.assertFalse([a for a in self.client.ListAccounts(pb.ListAccountsRequest(
            page_size=1000)).accounts if a.display_name.startswith("x" * 100)])
        # A page size above the maximum is read as the maximum (AIP-158), not refused.
        self.assertLessEqual(len(self.client.ListAccounts(pb.ListAccountsRequest(
            page_size=1 << 30)).accounts), 1000)
        self.assertLessEqual(len(self.client.ListContacts(pb.ListContactsRequest(
            page_size=1 << 30)).contacts), 1000)
        self.assert_still_serving(target)

    def test_invalid_utf8_is_refused_without_harm(self):
        target = new_account(self.client, "UTF-8 target")

        def raw(method, payload):
            call = contacts_test.server.channel.unary_unary(f"/{SERVICE}/{method}",
                                              request_serializer=None,
                                              response_deserializer=None)
            return call(payload, metadata=self.client.metadata, timeout=30)

        bad = b"\xc3\x28 \xff\xfe"
        # method: (request bytes, the field the answer must name)
        requests = {
            "SearchContacts": (encode_bytes_field(1, bad), "query"),
            "GetAccount": (encode_bytes_field(1, b"accounts/" + bad), "name"),
            # CreateAccountRequest.account{display_name=bad, kind, segment, tier, stage}
            "CreateAccount": (encode_bytes_field(1, (
                encode_bytes_field(2, b"Valid " + bad) + encode_varint_field(3, 1)
                + encode_varint_field(4, 1) + encode_varint_field(5, 1)
                + encode_varint_field(8, 1))), "account.display_name"),
            # CreateContactRequest.contact{account, given_name=bad}
            "CreateContact": (encode_bytes_field(1, (
                encode_bytes_field(2, target.name.encode())
                + encode_bytes_field(3, b"Ay" + bad))), "contact.given_name"),
        }
        # The hand encoding is right: with valid text the same bytes work.
        raw("SearchContacts", encode_bytes_field(1, "ışık".encode()))
        for method, (payload, field) in requests.items():
            with self.subTest(method):
                with self.assertRaises(grpc.RpcError) as caught:
                    raw(method, payload)
                self.assertEqual(caught.exception.code(), Code.INVALID_ARGUMENT)
                self.assertEqual(violated_fields(caught.exception), [field])
                self.assertIn("not valid UTF-8", caught.exception.details())
        # Bytes that are no protobuf at all name the request type.
        with self.assertRaises(grpc.RpcError) as caught:
            raw("SearchContacts", b"\x0f\xff\xff")
        self.assertEqual(caught.exception.code(), Code.INVALID_ARGUMENT)
        self.assertIn(f"{SERVICE.rsplit('.', 1)[0]}.SearchContactsRequest",
                      caught.exception.details())
        self.assertEqual(self.all_contacts(target.name), [])
        self.assertFalse([a for a in self.client.ListAccounts(pb.ListAccountsRequest(
            page_size=1000)).accounts if a.display_name.startswith("Valid")])
        self.assert_still_serving(target)

    def assert_still_serving(self, target):
        self.assertEqual(contacts_test.server.health().status, health_pb2.HealthCheckResponse.SERVING)
        self.assertEqual(contacts_test.server.health(SERVICE).status,
                         health_pb2.HealthCheckResponse.SERVING)
        got = self.client.GetAccount(pb.GetAccountRequest(name=target.name)).account
        self.assertEqual(got.name, target.name)
        self.assertIsNone(contacts_test.server.process.poll())


if __name__ == "__main__":
    unittest.main()
