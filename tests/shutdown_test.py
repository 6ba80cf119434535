"""Shutdown as a client sees it: engagement gets SIGTERM while clients read scores.

Four clients, each with a connection of its own, read one account's score in a
loop: mostly warm reads (answered from memory on the gRPC thread) and every
third a cold one (a score as of yesterday, computed on the worker pool). Then
engagement gets SIGTERM. Every answer, before, during and after the signal,
must be OK or UNAVAILABLE: UNAVAILABLE tells a client to retry elsewhere,
CANCELLED tells it nothing and is not retried. The process exits 0, and its log
stays one JSON object per line, protobuf's own messages included.
"""

import datetime
import json
import threading
import unittest

import grpc

import suite
from clientele.contacts.v1 import account_pb2, contacts_service_pb2, contacts_service_pb2_grpc
from clientele.engagement.v1 import engagement_service_pb2, engagement_service_pb2_grpc
from clientele.engagement.v1 import interaction_pb2 as I
from clientele.type.v1 import account_classification_pb2 as classification
from engagement_test import interaction, now, score_name, timestamp

Code = grpc.StatusCode
pb = engagement_service_pb2
METADATA = [("authorization", "Bearer demo-token")]
CLIENTS = 4
# Answers each client collects before the signal, so that all four are in
# their loops when it arrives.
WARM_UP_ANSWERS = 20
# Answers each client collects after the process exited (UNAVAILABLE: nobody
# listens), so that every client has run through the whole shutdown.
ANSWERS_AFTER_EXIT = 3
# What the server answers a call it no longer runs.
SHUTTING_DOWN = "server is shutting down; retry"


class ScoreReader(threading.Thread):
    """A client reading one score in a loop until told to stop."""

    def __init__(self, address, account):
        super().__init__(daemon=True)
        # A subchannel pool of its own: one connection per client, as four
        # processes would have.
        self.channel = grpc.insecure_channel(
            address, options=[("grpc.use_local_subchannel_pool", 1)])
        self.stub = engagement_service_pb2_grpc.EngagementServiceStub(self.channel)
        self.warm = pb.GetRelationshipScoreRequest(name=score_name(account))
        self.cold = pb.GetRelationshipScoreRequest(
            name=score_name(account),
            as_of_time=timestamp(now() - datetime.timedelta(days=1)))
        # (code, details, answered before the signal, sent after the exit)
        self.answers = []
        self.signalled = threading.Event()
        self.exited = threading.Event()
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            after_exit = self.exited.is_set()
            request = self.cold if n % 3 == 0 else self.warm
            try:
                self.stub.GetRelationshipScore(request, metadata=METADATA, timeout=30)
                answer = (Code.OK, "")
            except grpc.RpcError as error:
                answer = (error.code(), error.details())
            before_signal = not self.signalled.is_set()
            with self.lock:
                self.answers.append(answer + (before_signal, after_exit))

    def count(self, predicate=lambda answer: True):
        with self.lock:
            return sum(1 for answer in self.answers if predicate(answer))


class SigtermWhileReadingTest(unittest.TestCase):
    def setUp(self):
        self.readers = []
        self.stack = suite.Stack(["contacts", "engagement"])
        self.addCleanup(self.stack.close)  # after tearDown has stopped the readers
        self.contacts, self.engagement = self.stack.contacts, self.stack.engagement

    def tearDown(self):
        for reader in self.readers:
            reader.stop.set()
        for reader in self.readers:
            reader.join(timeout=60)
            reader.channel.close()

    def new_account_with_history(self):
        contacts = contacts_service_pb2_grpc.ContactsServiceStub(self.contacts.channel)
        account = contacts.CreateAccount(contacts_service_pb2.CreateAccountRequest(
            account=account_pb2.Account(
                display_name="Kanzlei Weber & Partner",
                kind=classification.ACCOUNT_KIND_ORGANIZATION,
                segment=classification.ACCOUNT_SEGMENT_B2B,
                tier=classification.ACCOUNT_TIER_PREMIUM,
                lifecycle_stage=classification.LIFECYCLE_STAGE_ACTIVE)),
            metadata=METADATA, timeout=30).account.name
        engagement = engagement_service_pb2_grpc.EngagementServiceStub(
            self.engagement.channel)

        def known():
            return suite.found(engagement.GetRelationshipScore,
                               pb.GetRelationshipScoreRequest(name=score_name(account)),
                               metadata=METADATA, timeout=30)

        suite.wait_for(known, timeout=60, interval=0.1,
                       what=f"engagement to know {account} from contacts' events")
        kinds = [I.INTERACTION_KIND_MEETING, I.INTERACTION_KIND_EMAIL,
                 I.INTERACTION_KIND_ADVICE_SESSION, I.INTERACTION_KIND_CALL]
        engagement.BatchRecordInteractions(pb.BatchRecordInteractionsRequest(
            interactions=[interaction(account, kind, now() - datetime.timedelta(days=7 * n))
                          for n, kind in enumerate(kinds, start=1)]),
            metadata=METADATA, timeout=30)
        return account, engagement

    def send_invalid_utf8(self):
        """A score request whose name is invalid UTF-8, as any client can send."""
        call = self.engagement.channel.unary_unary(
            "/clientele.engagement.v1.EngagementService/GetRelationshipScore",
            request_serializer=None, response_deserializer=None)
        with self.assertRaises(grpc.RpcError) as caught:
            call(b"\x0a\x03\xc3\x28\xff", metadata=METADATA, timeout=30)
        self.assertEqual(caught.exception.code(), Code.INVALID_ARGUMENT)

    def test_every_answer_is_ok_or_unavailable_and_the_process_exits_zero(self):
        account, engagement = self.new_account_with_history()
        # Warm: the score is computed once and then answered from memory.
        for _ in range(3):
            engagement.GetRelationshipScore(
                pb.GetRelationshipScoreRequest(name=score_name(account)),
                metadata=METADATA, timeout=30)
        self.send_invalid_utf8()

        self.readers = [ScoreReader(self.engagement.address, account) for _ in range(CLIENTS)]
        for reader in self.readers:
            reader.start()
        suite.wait_for(lambda: all(r.count() >= WARM_UP_ANSWERS for r in self.readers),
                       timeout=120, what=f"{WARM_UP_ANSWERS} answers for every client")

        for reader in self.readers:
            reader.signalled.set()
        exit_code = self.engagement.terminate(timeout=60)
        for reader in self.readers:
            reader.exited.set()
        suite.wait_for(lambda: all(r.count(lambda a: a[3]) >= ANSWERS_AFTER_EXIT
                                   for r in self.readers),
                       timeout=120, what="answers after engagement exited")
        for reader in self.readers:
            reader.stop.set()
        for reader in self.readers:
            reader.join(timeout=60)

        log = self.engagement.log_text()
        self.assertEqual(exit_code, 0, log[-3000:])
        answers = [answer for reader in self.readers for answer in reader.answers]
        wrong = [(code.name, details) for code, details, _, _ in answers
                 if code not in (Code.OK, Code.UNAVAILABLE)]
        summary = {
            "answered before the signal": sum(1 for a in answers if a[2]),
            "OK after": sum(1 for a in answers if not a[2] and a[0] == Code.OK),
            "UNAVAILABLE after": sum(1 for a in answers if not a[2] and a[0] == Code.UNAVAILABLE),
            "of which from the server": sum(1 for a in answers if a[1] == SHUTTING_DOWN),
        }
        self.assertEqual(wrong, [], f"answers other than OK or UNAVAILABLE; {summary}")
        # Before the signal every read was served; once nothing listens, every
        # read is UNAVAILABLE.
        self.assertTrue(all(a[0] == Code.OK for a in answers if a[2]), summary)
        self.assertTrue(all(a[0] == Code.UNAVAILABLE for a in answers if a[3]), summary)
        print(f"\n{summary}", flush=True)

        # The log: one JSON object per line, protobuf's own message included.
        records = []
        for line in log.splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                self.fail(f"not a JSON object: {line!r}")
        self.assertTrue(any(r.get("source") == "protobuf" and "invalid UTF-8" in r.get("msg", "")
                            for r in records), "protobuf's invalid UTF-8 message in the log")
        self.assertTrue(any(r.get("msg") == "engagement stopped cleanly" for r in records))


if __name__ == "__main__":
    unittest.main()
