"""reporting_scale at a thousandth of the issue's size: it fills both read
models through the consumers and answers every report on both, and its
figures are all there. No timing assertions: timing is the benchmark's."""

import json
import os
import subprocess
import tempfile
import unittest

REPORTS = ("portfolio", "support", "workload", "at_risk", "funnel",
           "retention", "pipeline", "report_accounts")


class ReportingScaleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        build_dir = os.environ.get("CLIENTELE_BUILD_DIR", "")
        binary = os.path.join(build_dir, "bench", "reporting_scale")
        cls.dir = tempfile.TemporaryDirectory()
        output = os.path.join(cls.dir.name, "figures.json")
        result = subprocess.run(
            [binary, "--scale=0.001", "--repetitions=2",
             f"--work_dir={cls.dir.name}", f"--output={output}"],
            capture_output=True, text=True, timeout=240)
        cls.result = result
        cls.figures = None
        if result.returncode == 0:
            with open(output) as f:
                cls.figures = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def setUp(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)

    def test_the_last_line_of_stdout_is_the_output_file(self):
        last = self.result.stdout.strip().splitlines()[-1]
        self.assertEqual(json.loads(last), self.figures)

    def test_both_models_have_the_sizes_asked_for(self):
        # A thousandth of 100,000 / 5,000,000 / 200,000, and 1% of that.
        for model, accounts, interactions, tickets in (
                ("full", 100, 5000, 200), ("small", 1, 50, 2)):
            figures = self.figures[model]
            self.assertEqual(figures["accounts"], accounts, model)
            self.assertEqual(figures["interactions"], interactions, model)
            self.assertEqual(figures["tickets"], tickets, model)
            self.assertEqual(
                figures["events"],
                figures["contacts_events"] + figures["engagement_events"] +
                figures["ticketing_events"], model)

    def test_ingestion_figures_are_there(self):
        full = self.figures["full"]
        self.assertGreater(full["events_per_s"], 0)
        self.assertGreater(full["interactions_per_s"], 0)
        self.assertGreater(full["database_bytes"], 0)
        # Most interactions come one per event, as RecordInteraction
        # publishes them.
        self.assertGreater(full["single_interaction_events"],
                           0.9 * full["interaction_events"])
        self.assertGreater(self.figures["peak_rss_mib_after_ingest"], 0)

    def test_every_report_answers_on_both_models(self):
        reports = self.figures["reports"]
        self.assertEqual(sorted(reports), sorted(REPORTS))
        for key in REPORTS:
            report = reports[key]
            self.assertEqual(len(report["small_ms"]), 2, key)
            self.assertEqual(len(report["full_ms"]), 2, key)
            self.assertGreater(report["full_response_bytes"], 0, key)
            self.assertGreater(report["small_response_bytes"], 0, key)
            self.assertIn("ratio", report)


if __name__ == "__main__":
    unittest.main()
