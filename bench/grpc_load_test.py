"""grpc_load against a real bench_server: it counts a non-OK grpc-status as a
failure (h2load would count those HTTP 200 responses as successes), and says
so in its exit code. No timing assertions: this checks counting only."""

import json
import os
import subprocess
import unittest

import suite

NOOP = "clientele.bench.v1.BenchService/Noop"


def grpc_load(*flags):
    """Runs grpc_load; returns (exit code, parsed stdout or None, stderr)."""
    command = [os.path.join(suite.BUILD_DIR, "bench", "grpc_load")] + list(flags)
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    try:
        report = json.loads(result.stdout) if result.stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    return result.returncode, report, result.stderr


class GrpcLoadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workspace = suite.Workspace()
        cls.server = suite.Server(cls.workspace, "bench_server",
                                  extra_flags=["--log_rpcs=false"])

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.workspace.close()

    def load(self, *flags):
        return grpc_load(f"--target={self.server.address}", f"--method={NOOP}",
                         "--warmup=0s", "--duration=1s", "--connections=2",
                         "--concurrency=2", *flags)

    def test_a_wrong_token_fails_every_call_and_the_run(self):
        code, report, err = self.load("--token=wrong-token")
        self.assertNotEqual(code, 0)
        self.assertIsNotNone(report, err)
        self.assertEqual(report["ok"], 0)
        self.assertGreater(report["failed"], 0)
        self.assertEqual(report["failures_by_code"],
                         {"UNAUTHENTICATED": report["failed"]})
        self.assertIn("UNAUTHENTICATED", err)

    def test_a_tolerated_failure_ratio_keeps_the_exit_code_zero(self):
        code, report, err = self.load("--token=wrong-token",
                                      "--max_failure_ratio=1")
        self.assertEqual(code, 0, err)
        self.assertGreater(report["failed"], 0)

    def test_the_right_token_succeeds(self):
        code, report, err = self.load("--token=demo-token",
                                      '--request={"payload": "aGVsbG8="}')
        self.assertEqual(code, 0, err)
        self.assertEqual(report["method"], NOOP)
        self.assertEqual(report["connections"], 2)
        self.assertEqual(report["concurrency"], 2)
        self.assertGreater(report["ok"], 0)
        self.assertEqual(report["failed"], 0)
        self.assertEqual(report["failures_by_code"], {})
        for key in ("qps", "p50_us", "p90_us", "p99_us", "max_us"):
            self.assertGreater(report[key], 0, key)
        self.assertLessEqual(report["p50_us"], report["p99_us"])

    def test_calls_makes_exactly_that_many_calls_and_counts_them_all(self):
        code, report, err = self.load("--token=demo-token", "--calls=37",
                                      "--duration=60s")
        self.assertEqual(code, 0, err)
        self.assertEqual(report["ok"], 37)
        self.assertEqual(report["failed"], 0)

    def test_calls_that_fail_fail_the_run(self):
        code, report, err = self.load("--token=wrong-token", "--calls=5",
                                      "--duration=60s")
        self.assertEqual(code, 1)
        self.assertEqual(report["ok"], 0)
        self.assertEqual(report["failed"], 5)

    def test_once_prints_the_response_as_json(self):
        code, out, err = grpc_load(f"--target={self.server.address}",
                                   f"--method=/{NOOP}", "--once",
                                   "--token=demo-token",
                                   '--request={"payload": "aGVsbG8="}')
        self.assertEqual(code, 0, err)
        self.assertEqual(out, {"payload": "aGVsbG8="})

    def test_once_fails_on_a_non_ok_status(self):
        code, _, err = grpc_load(f"--target={self.server.address}",
                                 f"--method={NOOP}", "--once",
                                 "--token=wrong-token")
        self.assertEqual(code, 1)
        self.assertIn("UNAUTHENTICATED", err)

    def test_an_unknown_method_or_bad_request_is_a_usage_error(self):
        code, _, err = self.load("--method=clientele.nope.v1.Nope/Nothing")
        self.assertEqual(code, 2)
        self.assertIn("unknown method", err)
        code, _, err = self.load('--request={"no_such_field": 1}')
        self.assertEqual(code, 2)
        self.assertIn("NoopRequest", err)


if __name__ == "__main__":
    unittest.main()
