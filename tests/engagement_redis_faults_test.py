"""Engagement without Redis, and with Redis flushed: each class brings a
stack of its own (contacts, engagement, redis-server) and breaks its Redis.
Writes still succeed, scores stay right, and the score cache refills."""

import datetime
import time
import unittest

import suite
from clientele.contacts.v1 import account_pb2, contacts_service_pb2 as cpb
from clientele.type.v1 import account_classification_pb2 as classification
from engagement_test import I, EngagementTestCase, cache_entry, eur, interaction, now
from wire import redis_command


class OwnStackTestCase(suite.OwnStack, EngagementTestCase):
    SERVICES = ["contacts", "engagement"]


class RedisStoppedTest(OwnStackTestCase):
    def test_without_redis_writes_succeed_scores_stay_right_and_the_cache_refills(self):
        account = self.new_account("Rechtsanwälte Yılmaz")
        self.record(interaction(account, I.INTERACTION_KIND_MEETING))
        self.record(interaction(account, I.INTERACTION_KIND_CALL))
        self.assertEqual(self.score(account).interaction_count, 2)
        self.wait_for_cache_entry(account)

        self.stack.redis.stop()
        self.assertFalse(self.stack.redis.ping())
        self.record(interaction(account, I.INTERACTION_KIND_EMAIL))
        self.assertEqual(self.score(account).interaction_count, 3)
        self.record_batch([interaction(account, I.INTERACTION_KIND_ADVICE_SESSION),
                           interaction(account, I.INTERACTION_KIND_CUSTOM_WORK_DELIVERED)])
        self.assertEqual(self.score(account).interaction_count, 5)
        self.assertEqual(self.score(account).interaction_count, 5)
        self.assertEqual(len(self.timeline(account)), 5)
        self.assert_serving()
        # An account created in contacts meanwhile reaches engagement once Redis is back
        # (events are delayed, never lost).
        created_meanwhile = self.contacts.CreateAccount(cpb.CreateAccountRequest(
            account=account_pb2.Account(
                display_name="Created while Redis was down",
                kind=classification.ACCOUNT_KIND_ORGANIZATION,
                segment=classification.ACCOUNT_SEGMENT_B2B,
                tier=classification.ACCOUNT_TIER_STANDARD,
                lifecycle_stage=classification.LIFECYCLE_STAGE_ACTIVE))).account.name

        self.stack.redis.start()  # the same port and directory (AOF)
        self.assertEqual(self.score(account).interaction_count, 5)
        self.wait_for_cache_entry(account)
        self.assertTrue(cache_entry(self.stack.redis, account))
        self.record(interaction(account, I.INTERACTION_KIND_GREETING))
        self.assertEqual(self.score(account).interaction_count, 6)
        self.assert_serving()

        self.wait_until_known(created_meanwhile)
        self.assertEqual(self.score(created_meanwhile).interaction_count, 0)


class RedisFlushedTest(OwnStackTestCase):
    def flushed_account(self, display_name):
        """An account with 3 purchases whose score is cached, then FLUSHALL."""
        account = self.new_account(display_name, segment=classification.ACCOUNT_SEGMENT_B2C)
        self.record_batch([interaction(account, I.INTERACTION_KIND_PURCHASE,
                                       now() - datetime.timedelta(days=d), amount=eur(4_000))
                           for d in (2, 9, 16)])
        self.assertEqual(self.score(account).interaction_count, 3)
        self.wait_for_cache_entry(account)
        self.assertEqual(set(cache_entry(self.stack.redis, account)), {"r", "p", "s"})
        # The rescorer may still be writing the score the batch marked dirty; flush again
        # until the entry stays gone, so the read below is the one that refills it.
        for _ in range(20):
            self.assertEqual(redis_command(self.stack.redis.port, "FLUSHALL"), b"OK")
            time.sleep(0.2)
            if cache_entry(self.stack.redis, account) == {}:
                break
        self.assertEqual(cache_entry(self.stack.redis, account), {})
        return account

    def test_after_flushall_a_read_is_right_and_refills_the_cache(self):
        account = self.flushed_account("Tankstelle Kaya")
        self.assertEqual(self.score(account).interaction_count, 3)
        self.wait_for_cache_entry(account)
        self.assert_serving()

    def test_after_flushall_writes_and_new_accounts_still_work(self):
        account = self.flushed_account("Bäckerei Aydın")
        self.record(interaction(account, I.INTERACTION_KIND_PURCHASE, amount=eur(5_500)))
        self.assertEqual(self.score(account).interaction_count, 4)
        self.wait_for_cache_entry(account)
        self.assertEqual(self.score(account).interaction_count, 4)
        self.assert_serving()
        # The contacts stream and its consumer group went with FLUSHALL; accounts created
        # afterwards still reach engagement.
        later = self.new_account("Created after FLUSHALL")
        self.assertEqual(self.score(later).interaction_count, 0)


if __name__ == "__main__":
    unittest.main()
