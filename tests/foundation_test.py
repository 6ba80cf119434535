"""The foundation, seen from outside: the four services and bench_server as
real processes, with a real redis-server, called by real clients (Python
grpcio stubs generated from our protos, and `buf curl`)."""

import importlib
import json
import time
import unittest

import grpc

from clientele.auth.v1 import role_pb2
from clientele_health import health_pb2

import suite
from clientele.bench.v1 import bench_service_pb2, bench_service_pb2_grpc


def service_descriptor(name):
    module = importlib.import_module(f"clientele.{name}.v1.{name}_service_pb2")
    return module.DESCRIPTOR.services_by_name[suite.SERVICES[name].split(".")[-1]]


def raw_call(channel, method, token=None):
    """Calls `method` with an empty request; returns the status code."""
    metadata = [("authorization", f"Bearer {token}")] if token else None
    call = channel.unary_unary(method, request_serializer=None,
                               response_deserializer=None)
    try:
        call(b"", metadata=metadata, timeout=10)
        return grpc.StatusCode.OK
    except grpc.RpcError as error:
        return error.code()


class ServicesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = suite.Stack(suite.SERVICES)
        cls.servers = cls.stack.servers

    @classmethod
    def tearDownClass(cls):
        cls.stack.close()

    def test_health_is_serving_for_the_server_and_its_service(self):
        for name, full_name in suite.SERVICES.items():
            server = self.servers[name]
            self.assertEqual(server.health().status,
                             health_pb2.HealthCheckResponse.SERVING, name)
            self.assertEqual(server.health(full_name).status,
                             health_pb2.HealthCheckResponse.SERVING, name)
            with self.assertRaises(grpc.RpcError) as caught:
                server.health("no.such.Service")
            self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_buf_curl_lists_the_service_and_health_through_reflection(self):
        for name, full_name in suite.SERVICES.items():
            code, out, err = suite.buf_curl(self.servers[name].address, "--list-services")
            self.assertEqual(code, 0, err)
            listed = out.split()
            self.assertIn(full_name, listed)
            self.assertIn("grpc.health.v1.Health", listed)
            # buf curl can only encode this call if reflection describes Health.
            code, out, err = suite.buf_curl(self.servers[name].address,
                                            path="/grpc.health.v1.Health/Check")
            self.assertEqual(code, 0, err)
            self.assertEqual(json.loads(out), {"status": "SERVING"})

    def test_reflection_serves_the_whole_v1_contract(self):
        for name, full_name in suite.SERVICES.items():
            code, out, err = suite.buf_curl(self.servers[name].address,
                                            "--list-methods")
            self.assertEqual(code, 0, err)
            listed = {line.strip() for line in out.splitlines() if line.strip()}
            expected = {f"{full_name}/{m.name}" for m in service_descriptor(name).methods}
            self.assertGreater(len(expected), 3, name)
            self.assertTrue(expected <= listed, expected - listed)

    def test_missing_or_wrong_token_is_unauthenticated_on_every_rpc(self):
        for name, full_name in suite.SERVICES.items():
            channel = self.servers[name].channel
            for method in service_descriptor(name).methods:
                path = f"/{full_name}/{method.name}"
                self.assertEqual(raw_call(channel, path),
                                 grpc.StatusCode.UNAUTHENTICATED, path)
                self.assertEqual(raw_call(channel, path, token="wrong-token"),
                                 grpc.StatusCode.UNAUTHENTICATED, path)
                if method.GetOptions().Extensions[role_pb2.credential_in_request]:
                    # A CSAT answer is authenticated by its survey's token, which
                    # the empty request lacks, not by a tenant's.
                    continue
                self.assertNotEqual(raw_call(channel, path, token="demo-token"),
                                    grpc.StatusCode.UNAUTHENTICATED, path)

    def test_buf_curl_without_token_reports_unauthenticated(self):
        method = service_descriptor("contacts").methods[0].name
        code, out, err = suite.buf_curl(
            self.servers["contacts"].address, data={},
            path=f"/{suite.SERVICES['contacts']}/{method}")
        self.assertNotEqual(code, 0)
        self.assertIn("unauthenticated", (out + err).lower())

    def test_each_rpc_writes_one_json_log_line(self):
        server = self.servers["ticketing"]
        method = service_descriptor("ticketing").methods[0].name
        path = f"/{suite.SERVICES['ticketing']}/{method}"
        channel = server.channel
        call = channel.unary_unary(path, request_serializer=None,
                                   response_deserializer=None)
        with self.assertRaises(grpc.RpcError):
            call(b"", metadata=[("authorization", "Bearer demo-token"),
                                ("x-request-id", "log-test-42")], timeout=10)

        def logged():
            for line in server.log_text().splitlines():
                if "log-test-42" in line:
                    return json.loads(line)
            return None

        suite.wait_for(lambda: logged() is not None, what="the RPC's log line")
        record = logged()
        self.assertEqual(record["method"], path)
        self.assertEqual(record["tenant"], "demo")
        self.assertEqual(record["request_id"], "log-test-42")
        self.assertIn(record["code"], ("UNIMPLEMENTED", "INVALID_ARGUMENT", "NOT_FOUND"))
        self.assertIsInstance(record["latency_ms"], float)


class ShutdownTest(unittest.TestCase):
    def setUp(self):
        self.workspace = suite.Workspace()

    def tearDown(self):
        self.workspace.close()

    def stub(self, server):
        return bench_service_pb2_grpc.BenchServiceStub(server.channel)

    def test_sigterm_lets_a_call_in_flight_finish_then_exits_zero(self):
        server = suite.Server(self.workspace, "bench_server")
        try:
            stub = self.stub(server)
            request = bench_service_pb2.SleepRequest()
            request.duration.FromSeconds(2)
            metadata = [("authorization", "Bearer demo-token")]
            in_flight = stub.Sleep.future(request, metadata=metadata, timeout=30)
            # Let the call reach the server before the signal.
            suite.wait_for(lambda: in_flight.running(), what="the call to start")
            time.sleep(0.5)
            server.process.send_signal(suite.signal.SIGTERM)
            response = in_flight.result(timeout=30)
            self.assertGreaterEqual(response.slept.ToNanoseconds(), 2_000_000_000)
            self.assertEqual(server.process.wait(timeout=30), 0, server.log_text()[-3000:])
            with self.assertRaises(grpc.RpcError) as caught:
                stub.Noop(bench_service_pb2.NoopRequest(), metadata=metadata, timeout=2)
            self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAVAILABLE)
        finally:
            server.stop()

    def test_health_turns_not_serving_before_the_server_stops(self):
        server = suite.Server(self.workspace, "bench_server",
                              extra_flags=["--drain_delay=2s"])
        try:
            server.process.send_signal(suite.signal.SIGTERM)
            suite.wait_for(
                lambda: server.health().status == health_pb2.HealthCheckResponse.NOT_SERVING,
                what="NOT_SERVING while draining")
            # Still answering calls while draining.
            reply = self.stub(server).Noop(
                bench_service_pb2.NoopRequest(payload=b"x"),
                metadata=[("authorization", "Bearer demo-token")], timeout=5)
            self.assertEqual(reply.payload, b"x")
            self.assertEqual(server.process.wait(timeout=30), 0)
        finally:
            server.stop()

    def test_noop_echoes_and_bad_argument_names_the_field(self):
        server = suite.Server(self.workspace, "bench_server")
        try:
            stub = self.stub(server)
            metadata = [("authorization", "Bearer other-token")]
            self.assertEqual(stub.Noop(bench_service_pb2.NoopRequest(payload=b"\x00hi"),
                                       metadata=metadata, timeout=5).payload, b"\x00hi")
            request = bench_service_pb2.SleepRequest()
            request.duration.FromSeconds(3600)
            with self.assertRaises(grpc.RpcError) as caught:
                stub.Sleep(request, metadata=metadata, timeout=5)
            self.assertEqual(caught.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
            self.assertIn("duration", caught.exception.details())
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
