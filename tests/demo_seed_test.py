"""The demo seed (scripts/seed_demo.py, which scripts/up.sh runs on every start)
against the real contacts, engagement and ticketing binaries: a first run creates
the demo tenant, a rerun finds everything, even after the idempotency window.
"""

import os
import sqlite3
import subprocess
import sys
import unittest

import suite
from engagement_test import (DEMO, I, EngagementTestCase, contacts_client, cpb,
                             engagement_client, pb)


# --- 11. the demo seed (scripts/up.sh runs it on every start) ----------------------

SEED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts",
                    "seed_demo.py")


class DemoSeedTest(suite.OwnStack, EngagementTestCase):
    SERVICES = ["contacts", "engagement", "ticketing"]

    def seed(self):
        result = subprocess.run(
            [sys.executable, SEED, self.stack.contacts.address,
             self.stack.engagement.address, self.stack.ticketing.address, DEMO],
            capture_output=True, text=True, timeout=600)
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        return result.stdout.strip()

    def counts(self):
        """(accounts, contacts, interactions recorded by the seed) of the demo
        tenant; the tickets' interactions arrive later, from ticketing's events."""
        accounts = self.contacts.ListAccounts(
            cpb.ListAccountsRequest(page_size=1000)).accounts
        contacts = self.contacts.ListContacts(
            cpb.ListContactsRequest(page_size=1000)).contacts
        interactions = 0
        for account in accounts:
            token = ""
            while True:
                page = self.engagement.ListInteractions(pb.ListInteractionsRequest(
                    account=account.name, page_size=1000, page_token=token))
                interactions += sum(1 for i in page.interactions
                                    if i.source != I.INTERACTION_SOURCE_TICKETING)
                token = page.next_page_token
                if not token:
                    break
        return len(accounts), len(contacts), interactions

    def restart_after_the_idempotency_window(self):
        """Stops both services, ages every stored response past its 24 hours (as a
        re-run a day later finds them, or finds them purged), and starts them again."""
        self.stack.stop("ticketing", "engagement", "contacts")
        for name in ("contacts", "engagement", "ticketing"):
            path = os.path.join(self.stack.workspace.data_dir, f"{name}.db")
            with sqlite3.connect(path) as db:
                aged = db.execute("UPDATE idempotency_keys SET created_at_us = "
                                  "created_at_us - 25 * 3600 * 1000000").rowcount
                self.assertGreater(aged, 0, name)
            db.close()
        self.stack.start("contacts")
        self.stack.start("engagement")
        self.stack.start("ticketing")
        self.engagement = engagement_client(self.stack)
        self.contacts = contacts_client(self.stack)

    def test_a_rerun_finds_everything_even_after_the_idempotency_window(self):
        first = self.seed()
        self.assertIn("15 accounts (15 created), 20 contacts (20 created)", first)
        self.assertIn("4 tickets (4 created), 6 deals (6 created), 3 orders (3 created), "
                      "4 cadences (4 created)", first)
        accounts, contacts, interactions = self.counts()
        self.assertEqual((accounts, contacts), (15, 20))
        self.assertGreater(interactions, 1000)

        self.assertIn("(0 created)", self.seed())
        self.assertEqual(self.counts(), (15, 20, interactions))

        self.restart_after_the_idempotency_window()
        again = self.seed()
        self.assertIn("15 accounts (0 created), 20 contacts (0 created), "
                      "0 interactions recorded, 4 tickets (0 created), "
                      "6 deals (0 created), 3 orders (0 created), 4 cadences (0 created)",
                      again)
        self.assertEqual(self.counts(), (15, 20, interactions))


if __name__ == "__main__":
    unittest.main()
