"""The engagement service seen from outside: the real `engagement` binary fed by
the real `contacts` binary through a real redis-server, called by a Python
grpcio client generated from our protos and by `buf curl`.

Engagement knows accounts only from contacts' events (its local projection), so
every test creates its accounts in contacts and waits until engagement can
score them. The tests share one stack (redis, contacts, engagement), as do
engagement_hostile_input_test's; the tests that stop or flush Redis, with a
stack each, are engagement_redis_faults_test. Every test makes its own
accounts, so the tests do not depend on order. Only the demo tenant
("demo-token", tenant "demo") writes; the other tenant only reads.
"""

import datetime
import json
import unittest

import grpc
from google.protobuf import timestamp_pb2

import suite
from clientele.contacts.v1 import (account_pb2, contact_pb2, contacts_service_pb2,
                                   contacts_service_pb2_grpc)
from clientele.engagement.v1 import (engagement_service_pb2, engagement_service_pb2_grpc,
                                     follow_up_pb2, interaction_pb2,
                                     relationship_score_pb2, score_change_pb2,
                                     scoring_policy_pb2)
from clientele.type.v1 import account_classification_pb2 as classification
from clientele.type.v1 import money_pb2
from clientele_health import health_pb2
# The wire-format and RESP helpers of the contacts suite (google.rpc details are
# not generated for the suite's Python).
from wire import redis_command, violated_fields

SERVICE = suite.SERVICES["engagement"]
DEMO = "demo-token"
OTHER = "other-token"
TENANT = suite.Workspace.TOKENS[DEMO][0]  # "demo"

Code = grpc.StatusCode
pb = engagement_service_pb2
cpb = contacts_service_pb2
I = interaction_pb2  # enums: I.INTERACTION_KIND_CALL, ...


# --- a stack of real processes ---------------------------------------------------

Client = suite.Client


def engagement_client(stack, token=DEMO):
    return Client(engagement_service_pb2_grpc.EngagementServiceStub(
        stack.engagement.channel), token)


def contacts_client(stack, token=DEMO):
    return Client(contacts_service_pb2_grpc.ContactsServiceStub(stack.contacts.channel),
                  token)


shared = None


def setUpModule():
    global shared
    shared = suite.Stack(["contacts", "engagement"])


def tearDownModule():
    if shared is not None:
        shared.close()


# --- building requests -------------------------------------------------------------

def timestamp(when):
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(when)
    return ts


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def interaction(account, kind=I.INTERACTION_KIND_CALL, when=None, **fields):
    """A valid interaction: kind, occur_time (default: an hour ago), direction, channel."""
    defaults = {
        I.INTERACTION_KIND_PURCHASE: I.INTERACTION_CHANNEL_POINT_OF_SALE,
        I.INTERACTION_KIND_EMAIL: I.INTERACTION_CHANNEL_EMAIL,
        I.INTERACTION_KIND_MEETING: I.INTERACTION_CHANNEL_IN_PERSON,
    }
    message = I.Interaction(
        account=account, kind=kind,
        occur_time=timestamp(when or now() - datetime.timedelta(hours=1)),
        direction=fields.pop("direction", I.INTERACTION_DIRECTION_OUTBOUND),
        channel=fields.pop("channel", defaults.get(kind, I.INTERACTION_CHANNEL_PHONE)))
    for field, value in fields.items():
        if field in ("amount", "duration"):
            getattr(message, field).CopyFrom(value)
        else:
            setattr(message, field, value)
    return message


def eur(minor_units, currency="EUR"):
    return money_pb2.Money(currency_code=currency, amount_minor_units=minor_units)


def score_name(account):
    return f"{account}/relationshipScore"


def cache_key(account, tenant=TENANT):
    return f"clientele:engagement:{tenant}:score:{account.split('/', 1)[1]}"


def cache_entry(redis, account):
    """The account's cached score hash in Redis ({} when there is none)."""
    flat = redis_command(redis.port, "HGETALL", cache_key(account)) or []
    return {flat[i].decode(): flat[i + 1] for i in range(0, len(flat), 2)}


class EngagementTestCase(unittest.TestCase):
    stack = None  # the module's shared stack unless a class brings its own

    def setUp(self):
        self.stack = self.stack or shared
        self.engagement = engagement_client(self.stack)
        self.contacts = contacts_client(self.stack)

    # -- assertions --

    def assertRpcError(self, code, call, request, **kwargs):
        with self.assertRaises(grpc.RpcError) as caught:
            call(request, **kwargs)
        self.assertEqual(caught.exception.code(), code,
                         f"{type(request).__name__}: {caught.exception.details()}")
        return caught.exception

    def assert_serving(self):
        server = self.stack.engagement
        self.assertIsNone(server.process.poll(), "engagement exited")
        self.assertEqual(server.health().status, health_pb2.HealthCheckResponse.SERVING)
        self.assertEqual(server.health(SERVICE).status,
                         health_pb2.HealthCheckResponse.SERVING)

    # -- accounts --

    def new_account(self, display_name="Kanzlei Weber & Partner", **fields):
        """An account created in contacts and known to engagement."""
        account = account_pb2.Account(
            display_name=display_name,
            kind=fields.pop("kind", classification.ACCOUNT_KIND_ORGANIZATION),
            segment=fields.pop("segment", classification.ACCOUNT_SEGMENT_B2B),
            tier=fields.pop("tier", classification.ACCOUNT_TIER_STANDARD),
            lifecycle_stage=fields.pop("lifecycle_stage",
                                       classification.LIFECYCLE_STAGE_ACTIVE),
            **fields)
        name = self.contacts.CreateAccount(cpb.CreateAccountRequest(account=account)).account.name
        self.wait_until_known(name)
        return name

    def new_contact(self, account, given_name, family_name):
        return self.contacts.CreateContact(cpb.CreateContactRequest(
            contact=contact_pb2.Contact(account=account, given_name=given_name,
                                        family_name=family_name))).contact.name

    def known(self, account):
        return suite.found(self.score, account)

    def wait_until_known(self, account):
        suite.wait_for(lambda: self.known(account), timeout=60, interval=0.1,
                       what=f"engagement to know {account} from contacts' events")

    # -- engagement --

    def score(self, account, client=None, **kw):
        client = client or self.engagement
        return client.GetRelationshipScore(pb.GetRelationshipScoreRequest(
            name=score_name(account), **kw)).relationship_score

    def record(self, message, request_id="", client=None):
        client = client or self.engagement
        return client.RecordInteraction(pb.RecordInteractionRequest(
            interaction=message, request_id=request_id)).interaction

    def record_batch(self, messages, request_id=""):
        return list(self.engagement.BatchRecordInteractions(
            pb.BatchRecordInteractionsRequest(interactions=messages,
                                              request_id=request_id)).interactions)

    def timeline(self, account, page_size=1000, **filters):
        names, token = [], ""
        while True:
            page = self.engagement.ListInteractions(pb.ListInteractionsRequest(
                account=account, page_size=page_size, page_token=token, **filters))
            names += [i.name for i in page.interactions]
            token = page.next_page_token
            if not token:
                return names

    def wait_for_cache_entry(self, account):
        """Reads the score until its Redis entry exists (the cache refills)."""
        def refilled():
            self.score(account)
            return bool(cache_entry(self.stack.redis, account))
        suite.wait_for(refilled, timeout=30, interval=0.2,
                       what=f"Redis key {cache_key(account)} after a score read")


# --- 1. the projection ------------------------------------------------------------

class ProjectionTest(EngagementTestCase):
    def test_an_account_created_in_contacts_becomes_scorable(self):
        account = self.new_account("Steuerberatung Özdemir", tier=classification.ACCOUNT_TIER_PREMIUM)
        got = self.score(account)
        self.assertEqual(got.name, score_name(account))
        self.assertEqual(got.account, account)
        self.assertEqual(got.interaction_count, 0)
        self.assertGreaterEqual(got.score, 0)
        self.assertLessEqual(got.score, 100)
        self.assertNotEqual(got.band, 0)
        self.assertNotEqual(got.mode_assessment.mode, 0)
        self.assertTrue(got.model_version)
        self.assertTrue(got.HasField("compute_time"))
        self.assertEqual(got.silence.status, relationship_score_pb2.SILENCE_STATUS_NO_HISTORY)
        # Components' weights sum to 1 and points add up to the score.
        if got.components:
            self.assertAlmostEqual(sum(c.weight for c in got.components), 1.0, places=3)
            self.assertAlmostEqual(sum(c.points for c in got.components), got.score, delta=1.0)

        # And it takes interactions now.
        recorded = self.record(interaction(account))
        self.assertRegex(recorded.name, r"^interactions/[A-Za-z0-9_-]{1,64}$")
        self.assertEqual(recorded.account, account)
        self.assertEqual(recorded.source, I.INTERACTION_SOURCE_API)
        self.assertEqual(self.score(account).interaction_count, 1)

    def test_an_unknown_account_is_not_found(self):
        for account in ("accounts/doesnotexist", "accounts/Zz9_unknown-1"):
            with self.subTest(account):
                error = self.assertRpcError(Code.NOT_FOUND, self.engagement.RecordInteraction,
                                            pb.RecordInteractionRequest(
                                                interaction=interaction(account)))
                self.assertIn(account, error.details())
                self.assertRpcError(Code.NOT_FOUND, self.engagement.GetRelationshipScore,
                                    pb.GetRelationshipScoreRequest(name=score_name(account)))
                self.assertRpcError(Code.NOT_FOUND, self.engagement.ListInteractions,
                                    pb.ListInteractionsRequest(account=account))


# --- 2. read after write -----------------------------------------------------------

class ReadAfterWriteTest(EngagementTestCase):
    def test_every_acknowledged_write_is_in_the_next_score(self):
        account = self.new_account("Agentur Brandt")
        self.assertEqual(self.score(account).interaction_count, 0)
        kinds = [I.INTERACTION_KIND_MEETING, I.INTERACTION_KIND_EMAIL,
                 I.INTERACTION_KIND_ADVICE_SESSION, I.INTERACTION_KIND_CALL,
                 I.INTERACTION_KIND_CUSTOM_WORK_DELIVERED]
        names = []
        for n, kind in enumerate(kinds, start=1):
            # Warm the cache first, so a stale cached score would show.
            self.score(account)
            names.append(self.record(interaction(
                account, kind, now() - datetime.timedelta(days=10 * n))).name)
            self.assertEqual(self.score(account).interaction_count, n, f"after write {n}")
            self.assertEqual(self.score(account).interaction_count, n, f"re-read {n}")

        batch = [interaction(account, I.INTERACTION_KIND_PURCHASE,
                             now() - datetime.timedelta(days=d), amount=eur(12_40 * d))
                 for d in (1, 2, 3)]
        first = self.record_batch(batch, request_id="batch-rw-1")
        self.assertEqual(len(first), 3)
        self.assertEqual([i.account for i in first], [account] * 3)
        self.assertEqual(len(set(i.name for i in first)), 3)
        self.assertEqual(self.score(account).interaction_count, 8)

        # A retried batch returns the same names and records nothing more.
        again = self.record_batch(batch, request_id="batch-rw-1")
        self.assertEqual([i.name for i in again], [i.name for i in first])
        self.assertEqual(self.score(account).interaction_count, 8)

        # The same for a single interaction.
        single = interaction(account, I.INTERACTION_KIND_VIDEO_CALL,
                             channel=I.INTERACTION_CHANNEL_VIDEO, summary="Q3 review")
        once = self.record(single, request_id="single-rw-1")
        self.assertEqual(self.score(account).interaction_count, 9)
        twice = self.record(single, request_id="single-rw-1")
        self.assertEqual(twice.name, once.name)
        self.assertEqual(self.score(account).interaction_count, 9)

        # The same key with a different request is refused and records nothing.
        changed = interaction(account, I.INTERACTION_KIND_NOTE,
                              direction=I.INTERACTION_DIRECTION_INTERNAL)
        error = self.assertRpcError(Code.INVALID_ARGUMENT, self.engagement.RecordInteraction,
                                    pb.RecordInteractionRequest(interaction=changed,
                                                                request_id="single-rw-1"))
        self.assertEqual(violated_fields(error)[:1], ["request_id"])
        self.assertEqual(self.score(account).interaction_count, 9)
        self.assertEqual(len(self.timeline(account)), 9)

        # What was recorded reads back.
        got = self.engagement.GetInteraction(pb.GetInteractionRequest(name=once.name)).interaction
        self.assertEqual(got.summary, "Q3 review")
        self.assertEqual(got.kind, I.INTERACTION_KIND_VIDEO_CALL)
        self.assertEqual(got.occur_time, single.occur_time)
        self.assertTrue(got.HasField("create_time"))
        self.assertEqual(got.personalization, I.PERSONALIZATION_PERSONALIZED)

    def test_a_deleted_interaction_leaves_the_score_at_once(self):
        account = self.new_account("Bäckerei Schulz", segment=classification.ACCOUNT_SEGMENT_B2C)
        kept = self.record(interaction(account, I.INTERACTION_KIND_PURCHASE, amount=eur(350)))
        mistake = self.record(interaction(account, I.INTERACTION_KIND_PURCHASE, amount=eur(999)))
        self.assertEqual(self.score(account).interaction_count, 2)
        self.engagement.DeleteInteraction(pb.DeleteInteractionRequest(name=mistake.name))
        self.assertEqual(self.score(account).interaction_count, 1)
        self.assertEqual(self.timeline(account), [kept.name])
        self.assertRpcError(Code.NOT_FOUND, self.engagement.GetInteraction,
                            pb.GetInteractionRequest(name=mistake.name))


# --- 3. the timeline ----------------------------------------------------------------

class TimelineTest(EngagementTestCase):
    def test_newest_first_filters_and_pages(self):
        account = self.new_account("PR-Beratung Nowak")
        anna = self.new_contact(account, "Анна", "Иванова")
        li = self.new_contact(account, "小明", "王")
        base = now() - datetime.timedelta(days=30)
        plan = [  # (days after base, kind, contact)
            (1, I.INTERACTION_KIND_MEETING, anna),
            (3, I.INTERACTION_KIND_EMAIL, li),
            (5, I.INTERACTION_KIND_MEETING, li),
            (7, I.INTERACTION_KIND_CALL, anna),
            (9, I.INTERACTION_KIND_EMAIL, anna),
            (11, I.INTERACTION_KIND_MEETING, anna),
            (13, I.INTERACTION_KIND_NOTE, ""),
        ]
        # Recorded out of time order, part one by one and part in a batch.
        recorded = {}
        order = [3, 0, 6, 1]
        for index in order:
            days, kind, contact = plan[index]
            recorded[index] = self.record(interaction(
                account, kind, base + datetime.timedelta(days=days), contact=contact,
                direction=(I.INTERACTION_DIRECTION_INTERNAL
                           if kind == I.INTERACTION_KIND_NOTE else
                           I.INTERACTION_DIRECTION_INBOUND))).name
        rest = [2, 4, 5]
        batch = self.record_batch([interaction(
            account, plan[i][1], base + datetime.timedelta(days=plan[i][0]),
            contact=plan[i][2]) for i in rest])
        for index, got in zip(rest, batch):
            recorded[index] = got.name
        newest_first = [recorded[i] for i in reversed(range(len(plan)))]

        page = self.engagement.ListInteractions(pb.ListInteractionsRequest(account=account))
        self.assertEqual([i.name for i in page.interactions], newest_first)
        self.assertEqual(page.next_page_token, "")
        times = [i.occur_time.ToDatetime() for i in page.interactions]
        self.assertEqual(times, sorted(times, reverse=True))

        def expected(keep):
            return [recorded[i] for i in reversed(range(len(plan))) if keep(*plan[i])]

        self.assertEqual(self.timeline(account, kinds=[I.INTERACTION_KIND_MEETING]),
                         expected(lambda d, k, c: k == I.INTERACTION_KIND_MEETING))
        self.assertEqual(self.timeline(account, kinds=[I.INTERACTION_KIND_EMAIL,
                                                       I.INTERACTION_KIND_CALL]),
                         expected(lambda d, k, c: k in (I.INTERACTION_KIND_EMAIL,
                                                        I.INTERACTION_KIND_CALL)))
        self.assertEqual(self.timeline(account, contact=anna),
                         expected(lambda d, k, c: c == anna))
        self.assertEqual(self.timeline(account, contact=li, kinds=[I.INTERACTION_KIND_MEETING]),
                         expected(lambda d, k, c: c == li and k == I.INTERACTION_KIND_MEETING))
        self.assertEqual(self.timeline(account, kinds=[I.INTERACTION_KIND_PURCHASE]), [])

        # Pages of 3: 3 + 3 + 1, in the same order, each token leading on.
        pages, token = [], ""
        while True:
            page = self.engagement.ListInteractions(pb.ListInteractionsRequest(
                account=account, page_size=3, page_token=token))
            pages.append([i.name for i in page.interactions])
            token = page.next_page_token
            if not token:
                break
        self.assertEqual([len(p) for p in pages], [3, 3, 1])
        self.assertEqual(sum(pages, []), newest_first)

        # Filtered paging: anna's 4 interactions in pages of 2.
        self.assertEqual(self.timeline(account, page_size=2, contact=anna),
                         expected(lambda d, k, c: c == anna))
        # A token is only valid with the same filters.
        first = self.engagement.ListInteractions(pb.ListInteractionsRequest(
            account=account, page_size=2, contact=anna))
        self.assertTrue(first.next_page_token)
        self.assertRpcError(Code.INVALID_ARGUMENT, self.engagement.ListInteractions,
                            pb.ListInteractionsRequest(account=account, page_size=2,
                                                       contact=li,
                                                       page_token=first.next_page_token))


# --- 6. tenants ------------------------------------------------------------------------

class CrossTenantTest(EngagementTestCase):
    def test_another_tenant_gets_not_found(self):
        account = self.new_account("Globex secret client")
        recorded = self.record(interaction(account, I.INTERACTION_KIND_ADVICE_SESSION,
                                           summary="Globex merger advice"))
        before = self.score(account)
        other = engagement_client(self.stack, OTHER)
        cases = [
            (other.GetRelationshipScore, pb.GetRelationshipScoreRequest(name=score_name(account))),
            (other.BatchGetRelationshipScores,
             pb.BatchGetRelationshipScoresRequest(names=[score_name(account)])),
            (other.GetInteraction, pb.GetInteractionRequest(name=recorded.name)),
            (other.DeleteInteraction, pb.DeleteInteractionRequest(name=recorded.name)),
            (other.ListInteractions, pb.ListInteractionsRequest(account=account)),
            (other.ListScoreChanges, pb.ListScoreChangesRequest(parent=score_name(account))),
            (other.RecordInteraction, pb.RecordInteractionRequest(
                interaction=interaction(account, summary="intruder"))),
            (other.BatchRecordInteractions, pb.BatchRecordInteractionsRequest(
                interactions=[interaction(account, summary="intruder")])),
            (other.CreateFollowUp, pb.CreateFollowUpRequest(follow_up=follow_up_pb2.FollowUp(
                account=account, title="Intrude", assignee="u-thief",
                due_time=timestamp(now() + datetime.timedelta(days=1))))),
            (other.ExportDataSubject, pb.ExportDataSubjectRequest(subject=account)),
        ]
        for call, request in cases:
            with self.subTest(type(request).__name__):
                error = self.assertRpcError(Code.NOT_FOUND, call, request)
                self.assertNotIn("Globex", error.details())
        self.assertEqual(list(other.ListFollowUps(pb.ListFollowUpsRequest()).follow_ups), [])
        self.assertEqual(list(other.ListNextBestActions(
            pb.ListNextBestActionsRequest()).next_best_actions), [])
        # The owner's data is untouched.
        self.assertEqual(self.timeline(account), [recorded.name])
        self.assertEqual(self.score(account).interaction_count, before.interaction_count)
        self.assertEqual(redis_command(self.stack.redis.port, "EXISTS",
                                       cache_key(account, "other")), b"0")


class ErasureTest(EngagementTestCase):
    def test_erasing_an_account_in_contacts_erases_it_in_engagement(self):
        account = self.new_account("Therapiepraxis Müller", kind=classification.ACCOUNT_KIND_INDIVIDUAL,
                                   segment=classification.ACCOUNT_SEGMENT_B2C)
        contact = self.new_contact(account, "Zeynep", "Erasable")
        recorded = [self.record(interaction(account, kind, contact=contact,
                                            summary="Session about Zeynep's burnout"))
                    for kind in (I.INTERACTION_KIND_ADVICE_SESSION, I.INTERACTION_KIND_MEETING,
                                 I.INTERACTION_KIND_PROPOSAL)]
        self.assertEqual(self.score(account).interaction_count, 3)
        self.wait_for_cache_entry(account)
        # A bystander account keeps everything.
        bystander = self.new_account("Bystander")
        kept = self.record(interaction(bystander))

        self.contacts.EraseDataSubject(cpb.EraseDataSubjectRequest(
            subject=account, reason="GDPR art. 17 request #4711"))

        suite.wait_for(lambda: not self.known(account), timeout=60, interval=0.2,
                       what="engagement to erase the account's score")
        self.assertRpcError(Code.NOT_FOUND, self.engagement.ListInteractions,
                            pb.ListInteractionsRequest(account=account))
        for item in recorded:
            self.assertRpcError(Code.NOT_FOUND, self.engagement.GetInteraction,
                                pb.GetInteractionRequest(name=item.name))
        self.assertRpcError(Code.NOT_FOUND, self.engagement.RecordInteraction,
                            pb.RecordInteractionRequest(interaction=interaction(account)))
        self.assertRpcError(Code.NOT_FOUND, self.engagement.ExportDataSubject,
                            pb.ExportDataSubjectRequest(subject=account))
        self.assertRpcError(Code.NOT_FOUND, self.engagement.ListScoreChanges,
                            pb.ListScoreChangesRequest(parent=score_name(account)))
        self.assertEqual(list(self.engagement.ListFollowUps(
            pb.ListFollowUpsRequest(account=account)).follow_ups), [])
        try:
            suite.wait_for(lambda: not cache_entry(self.stack.redis, account), timeout=30,
                           what=f"Redis key {cache_key(account)} to be deleted")
        except AssertionError:
            entry = cache_entry(self.stack.redis, account)
            left = relationship_score_pb2.RelationshipScore.FromString(entry.get("s", b""))
            ttl = redis_command(self.stack.redis.port, "PTTL", cache_key(account))
            self.fail(f"the erased account's score is still cached in Redis "
                      f"{cache_key(account)}: revision {entry.get('r')}, "
                      f"interaction_count {left.interaction_count}, compute_time "
                      f"{left.compute_time.ToJsonString()}, expires in {ttl} ms")
        # Nothing comes back afterwards (the rescorer does not recreate a score).
        self.assertFalse(self.known(account))
        self.assertEqual(cache_entry(self.stack.redis, account), {})

        self.assertEqual(self.timeline(bystander), [kept.name])
        self.assertEqual(self.score(bystander).interaction_count, 1)


# --- 9. score changes -------------------------------------------------------------------

class ScoreChangesTest(EngagementTestCase):
    def test_recorded_interactions_show_up_as_causes_of_score_changes(self):
        account = self.new_account("Werbeagentur Smith")
        recorded = [self.record(interaction(account, I.INTERACTION_KIND_RETAINER_INVOICE,
                                            now() - datetime.timedelta(days=d),
                                            amount=eur(250_000))).name
                    for d in (60, 30)]
        recorded += [i.name for i in self.record_batch([
            interaction(account, I.INTERACTION_KIND_ADVICE_SESSION,
                        now() - datetime.timedelta(days=20)),
            interaction(account, I.INTERACTION_KIND_MEETING, now() - datetime.timedelta(days=2))])]
        changes = []

        def all_causes():
            changes[:] = self.engagement.ListScoreChanges(pb.ListScoreChangesRequest(
                parent=score_name(account), page_size=1000)).score_changes
            return {cause.resource for change in changes for cause in change.causes}

        # A change is recorded when score, band or mode moved; an interaction
        # that moved nothing is not a cause of any change.
        suite.wait_for(lambda: all_causes() & set(recorded), timeout=60, interval=0.2,
                       what=f"score changes naming one of {recorded}")
        self.assertTrue(changes)
        self.assertLessEqual(all_causes() - {""}, set(recorded) | {account})
        times = [c.change_time.ToDatetime() for c in changes]
        self.assertEqual(times, sorted(times, reverse=True))
        for change in changes:
            self.assertEqual(change.account, account)
            self.assertGreaterEqual(change.new_score, 0)
            self.assertLessEqual(change.new_score, 100)
            if change.HasField("previous_score"):
                self.assertEqual(change.delta, change.new_score - change.previous_score)
            else:
                self.assertEqual(change.delta, change.new_score)
            self.assertTrue(change.summary)
            self.assertLessEqual(len(change.causes), 20)
        for change in changes:
            for cause in change.causes:
                if cause.resource in recorded:
                    self.assertEqual(cause.kind,
                                     score_change_pb2.SCORE_CHANGE_CAUSE_KIND_INTERACTION_RECORDED)
        # The oldest change is the account's first score.
        self.assertFalse(changes[-1].HasField("previous_score"))
        # ScoreChange.name is "accounts/{account}/relationshipScore/changes/{change}".
        for change in changes:
            self.assertRegex(change.name, "^" + score_name(account)
                             + r"/changes/[A-Za-z0-9_-]{1,64}$")


# --- follow-ups and the policy ----------------------------------------------------------

class FollowUpTest(EngagementTestCase):
    def test_a_proposal_creates_a_follow_up_due_three_days_later(self):
        account = self.new_account("Strategieberatung Chen")
        sent = now() - datetime.timedelta(hours=2)
        proposal = self.record(interaction(account, I.INTERACTION_KIND_PROPOSAL, sent,
                                           channel=I.INTERACTION_CHANNEL_EMAIL,
                                           staff_user="u-anna", amount=eur(1_200_000)))
        found = []

        def rule_follow_up():
            found[:] = [f for f in self.engagement.ListFollowUps(pb.ListFollowUpsRequest(
                account=account)).follow_ups
                if f.origin == follow_up_pb2.FOLLOW_UP_ORIGIN_RULE]
            return bool(found)
        suite.wait_for(rule_follow_up, timeout=30, interval=0.2,
                       what="the proposal's follow-up")
        self.assertEqual(len(found), 1)
        follow_up = found[0]
        self.assertEqual(follow_up.rule, follow_up_pb2.FOLLOW_UP_RULE_PROPOSAL_SENT)
        self.assertEqual(follow_up.due_time.ToDatetime(),
                         (sent + datetime.timedelta(days=3)).replace(tzinfo=None))
        self.assertEqual(follow_up.assignee, "u-anna")
        self.assertEqual(follow_up.source, proposal.name)
        self.assertEqual(follow_up.state, follow_up_pb2.FOLLOW_UP_STATE_OPEN)

    def test_an_overdue_follow_up_is_listed_until_completed(self):
        account = self.new_account("Buchhaltung Iwanowa")
        assignee = f"u-due-{account.split('/')[1]}"
        created = self.engagement.CreateFollowUp(pb.CreateFollowUpRequest(
            follow_up=follow_up_pb2.FollowUp(
                account=account, title="Send the engagement letter", assignee=assignee,
                kind=follow_up_pb2.FOLLOW_UP_KIND_EMAIL,
                due_time=timestamp(now() - datetime.timedelta(days=2))),
            request_id=f"fu-{account.split('/')[1]}")).follow_up
        self.assertEqual(created.state, follow_up_pb2.FOLLOW_UP_STATE_OPEN)
        self.assertEqual(created.origin, follow_up_pb2.FOLLOW_UP_ORIGIN_MANUAL)
        due = self.engagement.ListDueFollowUps(pb.ListDueFollowUpsRequest(assignee=assignee))
        self.assertEqual([d.follow_up.name for d in due.due_follow_ups], [created.name])
        self.assertTrue(due.due_follow_ups[0].overdue)
        self.assertEqual(due.overdue_count, 1)

        done = self.engagement.CompleteFollowUp(pb.CompleteFollowUpRequest(
            name=created.name, etag=created.etag)).follow_up
        self.assertEqual(done.state, follow_up_pb2.FOLLOW_UP_STATE_DONE)
        self.assertTrue(done.HasField("complete_time"))
        again = self.engagement.CompleteFollowUp(pb.CompleteFollowUpRequest(
            name=created.name)).follow_up
        self.assertEqual(again, done)
        due = self.engagement.ListDueFollowUps(pb.ListDueFollowUpsRequest(assignee=assignee))
        self.assertEqual(list(due.due_follow_ups), [])
        self.assertEqual(due.overdue_count, 0)
        # The old etag is stale now.
        self.assertRpcError(Code.ABORTED, self.engagement.DeleteFollowUp,
                            pb.DeleteFollowUpRequest(name=created.name, etag=created.etag))


class ScoringPolicyTest(EngagementTestCase):
    def test_defaults_and_a_bad_weight_sum_is_refused(self):
        policy = self.engagement.GetScoringPolicy(
            pb.GetScoringPolicyRequest(name="scoringPolicy")).scoring_policy
        self.assertEqual(policy.name, "scoringPolicy")
        self.assertAlmostEqual(sum(w.weight for w in policy.customer_weights), 1.0, places=3)
        self.assertAlmostEqual(sum(w.weight for w in policy.client_weights), 1.0, places=3)
        self.assertEqual(policy.min_interactions, 3)
        self.assertEqual(policy.follow_up_rules.proposal_follow_up_delay.seconds, 3 * 86_400)
        self.assertTrue(policy.etag)

        bad = scoring_policy_pb2.ScoringPolicy(name="scoringPolicy", etag=policy.etag)
        bad.customer_weights.add(
            component=relationship_score_pb2.SCORE_COMPONENT_KIND_RECENCY, weight=0.9)
        bad.customer_weights.add(
            component=relationship_score_pb2.SCORE_COMPONENT_KIND_MONETARY, weight=0.6)
        error = self.assertRpcError(
            Code.INVALID_ARGUMENT, self.engagement.UpdateScoringPolicy,
            pb.UpdateScoringPolicyRequest(scoring_policy=bad,
                                          update_mask={"paths": ["customer_weights"]}))
        self.assertEqual(violated_fields(error)[:1], ["scoring_policy.customer_weights"])
        self.assertRpcError(Code.INVALID_ARGUMENT, self.engagement.GetScoringPolicy,
                            pb.GetScoringPolicyRequest(name="policies/1"))
        after = self.engagement.GetScoringPolicy(
            pb.GetScoringPolicyRequest(name="scoringPolicy")).scoring_policy
        self.assertEqual(after, policy)


# --- 10. buf curl ---------------------------------------------------------------------------

@unittest.skipUnless(suite.BUF, "buf CLI not configured (CLIENTELE_BUF)")
class BufCurlTest(EngagementTestCase):
    def curl(self, method, data, token=DEMO):
        return suite.buf_curl(self.stack.engagement.address, token=token, data=data,
                              path=f"/{SERVICE}/{method}")

    def test_get_relationship_score_as_json(self):
        account = self.new_account("Kanzlei Arslan")
        self.record(interaction(account, I.INTERACTION_KIND_MEETING))
        self.record(interaction(account, I.INTERACTION_KIND_ADVICE_SESSION))
        code, out, err = self.curl("GetRelationshipScore", {"name": score_name(account)})
        self.assertEqual(code, 0, err)
        got = json.loads(out)["relationshipScore"]
        self.assertEqual(got["name"], score_name(account))
        self.assertEqual(got["account"], account)
        self.assertEqual(int(got["interactionCount"]), 2)
        self.assertIn("modeAssessment", got)
        self.assertTrue(got["band"].startswith("SCORE_BAND_"))
        self.assertTrue(got["modelVersion"])

        code, out, err = self.curl("GetRelationshipScore", {"name": score_name(account)},
                                   token=OTHER)
        self.assertNotEqual(code, 0)
        self.assertIn("not_found", out + err)
        self.assertNotIn("Kanzlei Arslan", out + err)

        code, out, err = self.curl("RecordInteraction", {"interaction": {
            "account": account, "kind": "INTERACTION_KIND_REFUND",
            "occurTime": "2024-03-01T10:00:00Z", "direction": "INTERACTION_DIRECTION_OUTBOUND",
            "channel": "INTERACTION_CHANNEL_WEB",
            "amount": {"currencyCode": "EUR", "amountMinorUnits": "1999"}}})
        self.assertNotEqual(code, 0)
        self.assertIn("invalid_argument", out + err)
        self.assertIn("interaction.amount.amount_minor_units", out + err)


if __name__ == "__main__":
    unittest.main()
