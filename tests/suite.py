"""Helpers for the suite tests: real processes on loopback, real clients.

Every helper starts the real thing (a redis-server, a service binary) on a
free loopback port in a fresh temporary directory and stops it afterwards.
"""

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import grpc

from clientele_health import health_pb2, health_pb2_grpc

BUILD_DIR = os.environ.get("CLIENTELE_BUILD_DIR", "")
BUF = os.environ.get("CLIENTELE_BUF", "")

SERVICES = {
    "contacts": "clientele.contacts.v1.ContactsService",
    "engagement": "clientele.engagement.v1.EngagementService",
    "ticketing": "clientele.ticketing.v1.TicketingService",
    "reporting": "clientele.reporting.v1.ReportingService",
}


def binary(name):
    """Path of a built server binary (services/<name>/<name> or bench/)."""
    for relative in (f"services/{name}/{name}", f"bench/{name}"):
        path = os.path.join(BUILD_DIR, relative)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"no binary {name} under {BUILD_DIR}")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout=30.0, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


class Client:
    """A generated grpcio stub that sends a bearer token (None: no
    authorization header) and a deadline (60 s unless timeout= says)."""

    def __init__(self, stub, token):
        self.stub = stub
        self.metadata = [("authorization", f"Bearer {token}")] if token else []

    def __getattr__(self, method):
        rpc = getattr(self.stub, method)
        return lambda request, **kw: rpc(request, metadata=self.metadata,
                                         timeout=kw.pop("timeout", 60), **kw)


class Workspace:
    """A temporary directory with a token file for two tenants."""

    TOKENS = {"demo-token": ("demo", "admin"), "other-token": ("other", "admin")}

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="clientele-suite-")
        # Where the services keep their SQLite files (<service>.db).
        self.data_dir = os.path.join(self.dir, "data")
        self.token_file = os.path.join(self.dir, "tokens.txt")
        with open(self.token_file, "w") as f:
            for token, (tenant, role) in self.TOKENS.items():
                f.write(f"{hashlib.sha256(token.encode()).hexdigest()} {tenant} {role}\n")
        # The secret reporting signs client portal links with.
        self.portal_secret_file = os.path.join(self.dir, "portal-secret")
        with open(self.portal_secret_file, "w") as f:
            f.write(os.urandom(32).hex() + "\n")

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class RedisServer:
    """A real redis-server with AOF on, on a free loopback port."""

    def __init__(self, workspace):
        self.port = free_port()
        self.dir = os.path.join(workspace.dir, f"redis-{self.port}")
        os.makedirs(self.dir, exist_ok=True)
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
             "--dir", self.dir, "--appendonly", "yes", "--save", "",
             "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.ping, what="redis-server to answer PING")

    def ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


class Server:
    """A real server process (one of the services, or bench_server)."""

    def __init__(self, workspace, name, redis=None, extra_flags=(), port=None):
        self.name = name
        self.port = port or free_port()
        self.log_path = os.path.join(workspace.dir, f"{name}-{self.port}.log")
        flags = [
            f"--port={self.port}", "--host=127.0.0.1",
            f"--data_dir={workspace.data_dir}",
            f"--token_file={workspace.token_file}",
            "--readiness_interval=100ms",
        ]
        if redis is not None:
            flags.append(f"--redis_address=127.0.0.1:{redis.port}")
        flags.extend(extra_flags)
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen([binary(name)] + flags,
                                        stdout=self.log, stderr=self.log)
        # Reconnects soon after a refused connect: the first tries come
        # before the server listens, and gRPC's defaults (a re-resolution
        # cooldown, then a 1 s backoff growing 1.6x) kept every start waiting
        # about 5 s after the server was ready.
        self.channel = grpc.insecure_channel(
            f"127.0.0.1:{self.port}",
            options=[("grpc.dns_min_time_between_resolutions_ms", 100),
                     ("grpc.initial_reconnect_backoff_ms", 100),
                     ("grpc.max_reconnect_backoff_ms", 500)])
        wait_for(self.serving, what=f"{name} to be SERVING (log: {self.log_path})")

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def health(self, service=""):
        stub = health_pb2_grpc.HealthStub(self.channel)
        return stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=2)

    def serving(self):
        if self.process.poll() is not None:
            raise AssertionError(f"{self.name} exited with {self.process.returncode}; "
                                 f"log: {open(self.log_path).read()[-3000:]}")
        try:
            return self.health().status == health_pb2.HealthCheckResponse.SERVING
        except grpc.RpcError:
            return False

    def terminate(self, timeout=60):
        """SIGTERM, then the exit code."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def stop(self):
        self.channel.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def log_text(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()


class Stack:
    """A redis-server and the named services on it, in one workspace.

    Each running service is in `servers` by name and is also an attribute
    (`stack.engagement`). If one fails to start, what did start is stopped and
    the workspace removed before the error is raised. The stack owns its
    workspace: close() removes it.
    """

    def __init__(self, services, workspace=None, flags=None):
        self.workspace = workspace or Workspace()
        self.redis = None
        self.servers = {}
        # More flags per service name, kept across stop() and start().
        self.flags = flags or {}
        # Each service keeps its port across stop() and start().
        self.ports = {}
        try:
            self.redis = RedisServer(self.workspace)
            for name in services:
                self.start(name)
        except BaseException:
            self.close()
            raise

    def __getattr__(self, name):
        servers = self.__dict__.get("servers", {})
        if name in servers:
            return servers[name]
        raise AttributeError(name)

    def start(self, name):
        """Starts the service (again, after stop(), on the same port) on the
        stack's Redis and data. Ticketing is pointed at the stack's contacts
        (started before it, or to be started later on its reserved port),
        reporting at the stack's engagement and contacts the same way;
        engagement looks for due cadences every 200 ms."""
        port = self.ports.setdefault(name, free_port())
        flags = []
        if name == "ticketing":
            contacts_port = self.ports.setdefault("contacts", free_port())
            flags = [f"--contacts_address=127.0.0.1:{contacts_port}",
                     "--requester_link_interval=200ms", "--sla_check_interval=200ms"]
        elif name == "engagement":
            flags = ["--cadence_interval=200ms"]
        elif name == "reporting":
            # Its web dashboard on a port of its own (not the default 7104),
            # with the client portal on; the at-risk list's live scores from
            # the stack's engagement, account names from its contacts.
            dashboard_port = self.ports.setdefault("reporting-dashboard", free_port())
            engagement_port = self.ports.setdefault("engagement", free_port())
            contacts_port = self.ports.setdefault("contacts", free_port())
            flags = [f"--dashboard_port={dashboard_port}",
                     f"--engagement_address=127.0.0.1:{engagement_port}",
                     f"--contacts_address=127.0.0.1:{contacts_port}",
                     f"--portal_secret_file={self.workspace.portal_secret_file}"]
        flags += self.flags.get(name, [])
        self.servers[name] = Server(self.workspace, name, redis=self.redis,
                                    extra_flags=flags, port=port)
        return self.servers[name]

    def stop(self, *names):
        """SIGTERM to the named services, or to all of them, last started first;
        each checkpoints its database as it exits."""
        for name in names or reversed(list(self.servers)):
            self.servers.pop(name).stop()

    def close(self):
        self.stop()
        if self.redis is not None:
            self.redis.stop()
        self.workspace.close()


class OwnStack:
    """A test-case mixin: the class's own Stack of `SERVICES`, started once
    before its tests and closed after them, as `cls.stack`."""

    SERVICES = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stack = Stack(list(cls.SERVICES))

    @classmethod
    def tearDownClass(cls):
        cls.stack.close()
        super().tearDownClass()


def found(call, *args, **kwargs):
    """True when `call(*args, **kwargs)` answers, False when it fails with
    NOT_FOUND; any other error is raised. For waiting until a resource exists."""
    try:
        call(*args, **kwargs)
        return True
    except grpc.RpcError as error:
        if error.code() == grpc.StatusCode.NOT_FOUND:
            return False
        raise


def buf_curl(address, *args, token=None, data=None, path=""):
    """Runs `buf curl` against a server; returns (exit code, stdout, stderr)."""
    command = [BUF, "curl", "--protocol", "grpc", "--http2-prior-knowledge",
               "--timeout", "10s"]
    if token is not None:
        command += ["-H", f"authorization: Bearer {token}"]
    if data is not None:
        command += ["-d", json.dumps(data)]
    command += list(args)
    command.append(f"http://{address}{path}")
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout, result.stderr
