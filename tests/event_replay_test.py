"""Events survive Redis losing them: the real `contacts` and `engagement`
binaries and a real redis-server (AOF on), with Redis losing events that
contacts had published before engagement read them.

Engagement is stopped, accounts are created, updated and deleted in contacts,
contacts' relay publishes the events, and then Redis loses them: FLUSHALL in
one test, a restart from an AOF cut back to before them (as when Redis dies
with its last second unsynced) in the other. Engagement is started again and
must end up with every change applied, in order, once: every account known
and writable, the deleted one gone, the declared mode in the score, and one
processed mark per event contacts wrote. The marks and positions are read
from the two services' SQLite files (read-only), since no RPC shows how often
an event was applied.
"""

import glob
import os
import sqlite3
import unittest

import grpc

import suite
from clientele.contacts.v1 import account_pb2, contacts_service_pb2 as cpb
from clientele.engagement.v1 import engagement_service_pb2 as pb
from clientele.type.v1 import account_classification_pb2 as classification
from clientele.type.v1 import relationship_pb2
from wire import redis_command
from engagement_test import contacts_client, engagement_client, interaction, score_name

STREAM = "clientele.events.contacts"
GROUP = "engagement"


def query(stack, service, sql, *params):
    """Rows of `sql` on the service's database, opened read-only."""
    path = os.path.join(stack.workspace.data_dir, f"{service}.db")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def contacts_head(stack):
    """The last position contacts appended to its stream."""
    return query(stack, "contacts", "SELECT last_seq FROM outbox_streams WHERE stream = ?",
                 STREAM)[0][0]


def waiting_in_contacts(stack):
    """Events contacts has not published yet."""
    return query(stack, "contacts",
                 "SELECT count(*) FROM outbox JOIN outbox_streams USING (stream) "
                 "WHERE stream_seq > published_seq")[0][0]


def engagement_position(stack):
    """(last position applied, events lost) of engagement's group; (0, 0) before any."""
    rows = query(stack, "engagement", "SELECT last_seq, lost_events FROM consumer_positions "
                 "WHERE consumer_group = ? AND stream = ?", GROUP, STREAM)
    return tuple(rows[0]) if rows else (0, 0)


def stream_positions(stack):
    """The `seq` of every entry in contacts' stream, oldest first."""
    positions = []
    for _entry_id, flat in redis_command(stack.redis.port, "XRANGE", STREAM, "-", "+") or []:
        fields = {flat[i]: flat[i + 1] for i in range(0, len(flat), 2)}
        positions.append(int(fields[b"seq"]))
    return positions


class RedisLosesEventsTestCase(unittest.TestCase):
    def setUp(self):
        self.stack = suite.Stack(["contacts", "engagement"])
        self.addCleanup(self.stack.close)
        self.contacts = contacts_client(self.stack)
        self.engagement = engagement_client(self.stack)

    def create_account(self, display_name, **fields):
        return self.contacts.CreateAccount(cpb.CreateAccountRequest(
            account=account_pb2.Account(
                display_name=display_name,
                kind=classification.ACCOUNT_KIND_ORGANIZATION,
                segment=classification.ACCOUNT_SEGMENT_B2B,
                tier=classification.ACCOUNT_TIER_STANDARD,
                lifecycle_stage=classification.LIFECYCLE_STAGE_ACTIVE,
                **fields))).account.name

    def score(self, account):
        return self.engagement.GetRelationshipScore(
            pb.GetRelationshipScoreRequest(name=score_name(account)))

    def known(self, account):
        return suite.found(self.score, account)

    def stop_engagement_after_it_caught_up(self):
        """One account known to engagement (its group has a position), then stop it."""
        first = self.create_account("Kanzlei Weber & Partner")
        suite.wait_for(lambda: self.known(first), timeout=60, interval=0.1,
                       what="engagement to know the first account")
        self.assertEqual(engagement_position(self.stack)[0], contacts_head(self.stack))
        self.stack.stop("engagement")
        return first

    def change_accounts_while_engagement_is_away(self):
        """Accounts created, one given a declared mode, one created and deleted;
        returns (kept accounts, the client account, the deleted account) once
        contacts' relay has published every event."""
        kept = [self.create_account(f"Steuerbüro Öztürk {i}") for i in range(5)]
        client = kept[0]
        self.contacts.UpdateAccount(cpb.UpdateAccountRequest(
            account=account_pb2.Account(
                name=client, declared_mode=relationship_pb2.RELATIONSHIP_MODE_CLIENT),
            update_mask={"paths": ["declared_mode"]}))
        deleted = self.create_account("Bäckerei Aydın")
        self.contacts.DeleteAccount(cpb.DeleteAccountRequest(name=deleted, force=True))
        kept.append(self.create_account("Werbeagentur Smith"))
        suite.wait_for(lambda: waiting_in_contacts(self.stack) == 0, timeout=60,
                       what="contacts' relay to publish every event")
        head = contacts_head(self.stack)
        self.assertEqual(stream_positions(self.stack)[-1], head)
        return kept, client, deleted

    def start_engagement_and_check_every_event_applied_once(self, before, kept, client,
                                                            deleted):
        self.stack.start("engagement")
        self.engagement = engagement_client(self.stack)
        head = contacts_head(self.stack)
        suite.wait_for(lambda: engagement_position(self.stack)[0] == head, timeout=90,
                       interval=0.2,
                       what=f"engagement to apply contacts' events through position {head}")

        # In order: the deleted account stays deleted, the update is on top of
        # the creation.
        for account in [before] + kept:
            self.assertTrue(self.known(account), account)
        with self.assertRaises(grpc.RpcError) as caught:
            self.score(deleted)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)
        self.assertEqual(self.score(client).relationship_score.mode_assessment.mode,
                         relationship_pb2.RELATIONSHIP_MODE_CLIENT)
        for account in kept:
            self.engagement.RecordInteraction(pb.RecordInteractionRequest(
                interaction=interaction(account)))
            self.assertEqual(self.score(account).relationship_score.interaction_count, 1)

        # Once: one processed mark per event contacts wrote, nothing lost.
        written = query(self.stack, "contacts", "SELECT event_id FROM outbox")
        processed = query(self.stack, "engagement",
                          "SELECT event_id FROM processed_events WHERE consumer_group = ?",
                          GROUP)
        self.assertEqual(len(written), head)
        self.assertEqual(sorted(processed), sorted(written))
        self.assertEqual(engagement_position(self.stack), (head, 0))


class RedisFlushedTest(RedisLosesEventsTestCase):
    def test_events_flushed_before_engagement_read_them_are_applied_once(self):
        before = self.stop_engagement_after_it_caught_up()
        kept, client, deleted = self.change_accounts_while_engagement_is_away()

        self.assertEqual(redis_command(self.stack.redis.port, "FLUSHALL"), b"OK")

        self.start_engagement_and_check_every_event_applied_once(before, kept, client,
                                                                 deleted)
        # Contacts' relay published its last event again; engagement saw how
        # far behind it was and asked for the rest.
        self.assertIn("Redis lost data", self.stack.contacts.log_text())
        self.assertIn("asking for them to be published again", self.stack.engagement.log_text())


class RedisRestartedFromAShortAofTest(RedisLosesEventsTestCase):
    def test_events_lost_with_the_aof_tail_are_applied_once(self):
        before = self.stop_engagement_after_it_caught_up()
        # The AOF as it stands: what a crash keeps when the events that follow
        # were never synced.
        [aof] = glob.glob(os.path.join(self.stack.redis.dir, "appendonlydir", "*.incr.aof"))
        kept_size = os.path.getsize(aof)
        published_before = stream_positions(self.stack)

        kept, client, deleted = self.change_accounts_while_engagement_is_away()

        self.stack.redis.process.kill()
        self.stack.redis.process.wait()
        os.truncate(aof, kept_size)
        self.stack.redis.start()
        self.assertEqual(stream_positions(self.stack)[:len(published_before)],
                         published_before)

        self.start_engagement_and_check_every_event_applied_once(before, kept, client,
                                                                 deleted)
        # Contacts' relay found the stream ending early and published the rest.
        self.assertIn(f"publishing again from {published_before[-1] + 1}",
                      self.stack.contacts.log_text())


if __name__ == "__main__":
    unittest.main()
