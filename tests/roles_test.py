"""Roles, seen from outside: the four services as real processes, one token
per role, and every RPC of every service called under every role.

The expected matrix is written out below, by hand, from the roles' meaning
(viewer reads; agent also records interactions, follow-ups and tickets;
manager also writes accounts and contacts, merges and imports; admin also
changes policies and runs data-subject export and erasure). The RPCs are
discovered from the generated descriptors, so a new RPC fails this test until
it is given a row here and in docs/api.md. The test then checks that the
protos declare the same roles, that docs/api.md shows them, and that the
servers enforce them: below the role PERMISSION_DENIED with a
google.rpc.ErrorInfo naming it; at or above, anything else (the empty
request usually answers INVALID_ARGUMENT, NOT_FOUND or UNIMPLEMENTED).
Health and reflection stay open to every role and to no token at all.
"""

import importlib
import os
import re
import unittest

import grpc

import suite
from clientele.auth.v1 import role_pb2
from clientele_health import health_pb2
from google.rpc import error_details_pb2, status_pb2

ROLES = ("viewer", "agent", "manager", "admin")
V, AG, M, AD = ROLES
# An RPC authenticated by a credential in its own request
# (`credential_in_request`): no token and no role; docs/api.md says "token".
OWN = "token"

EXPECTED = {
    "clientele.contacts.v1.ContactsService": {
        "CreateAccount": M, "GetAccount": V, "BatchGetAccounts": V,
        "UpdateAccount": M, "DeleteAccount": M, "ListAccounts": V,
        "MergeAccounts": M,
        "CreateContact": M,
        # Support intake finds or creates a form's requester on an agent's behalf.
        "FindOrCreateContact": AG,
        "GetContact": V, "UpdateContact": M,
        "DeleteContact": M, "ListContacts": V, "SearchContacts": V,
        "FindDuplicateContacts": V, "MergeContacts": M, "ImportContacts": M,
        "ListMergeRecords": V,
        "ExportDataSubject": AD, "EraseDataSubject": AD,
    },
    "clientele.engagement.v1.EngagementService": {
        "RecordInteraction": AG, "BatchRecordInteractions": AG,
        "GetInteraction": V, "ListInteractions": V, "DeleteInteraction": AG,
        "GetRelationshipScore": V, "BatchGetRelationshipScores": V,
        "ListScoreChanges": V, "ListNextBestActions": V,
        "GetScoringPolicy": V, "UpdateScoringPolicy": AD,
        "CreateFollowUp": AG, "GetFollowUp": V, "UpdateFollowUp": AG,
        "DeleteFollowUp": AG, "ListFollowUps": V, "ListDueFollowUps": V,
        "CompleteFollowUp": AG,
        "CreateDeal": AG, "GetDeal": V, "UpdateDeal": AG, "ListDeals": V,
        "CloseDeal": AG, "GetPipeline": V,
        "CreateOrder": AG, "GetOrder": V, "UpdateOrder": AG, "ListOrders": V,
        # Cadences speak to whole segments in the business's name.
        "CreateCadence": M, "GetCadence": V, "UpdateCadence": M,
        "DeleteCadence": M, "ListCadences": V,
        "ExportDataSubject": AD,
    },
    "clientele.ticketing.v1.TicketingService": {
        "CreateTicket": AG, "SubmitTicketForm": AG, "GetTicket": V,
        "UpdateTicket": AG,
        # Deleting a ticket deletes its CSAT surveys too: the customers'
        # own verdicts, which feed scores and reports.
        "DeleteTicket": M, "ListTickets": V, "ListTicketHistory": V,
        "MergeTickets": AG,
        "CreateTicketComment": AG, "ListTicketComments": V,
        "ChangeTicketStatus": AG, "AssignTicket": AG, "RouteTicket": AG,
        "GetRoutingPolicy": V, "UpdateRoutingPolicy": AD,
        "CreateSlaPolicy": AD, "GetSlaPolicy": V, "UpdateSlaPolicy": AD,
        "DeleteSlaPolicy": AD, "ListSlaPolicies": V, "ListSlaAlerts": V,
        "GetCsatSurvey": V, "ListCsatSurveys": V,
        # The requester answers with the survey's own token, not a tenant's.
        "SubmitCsatResponse": OWN,
        "ExportDataSubject": AD,
    },
    "clientele.reporting.v1.ReportingService": {
        "GetPortfolioReport": V, "GetSupportReport": V, "GetWorkloadReport": V,
        "ListAtRiskAccounts": V, "GetConversionFunnelReport": V,
        "GetRetentionReport": V, "GetPipelineReport": V,
        "ListReportAccounts": V,
    },
}

DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "api.md")


def token(role):
    return f"{role}-token"


class RoleWorkspace(suite.Workspace):
    """One token per role, all in the demo tenant."""

    TOKENS = {token(role): ("demo", role) for role in ROLES}


def service_descriptors():
    """{full service name: ServiceDescriptor} from the generated modules."""
    services = {}
    for name, full_name in suite.SERVICES.items():
        module = importlib.import_module(f"clientele.{name}.v1.{name}_service_pb2")
        services[full_name] = module.DESCRIPTOR.services_by_name[full_name.split(".")[-1]]
    return services


def declared_role(method):
    """The role the proto's `(clientele.auth.v1.required_role)` names, OWN for
    an RPC with `(clientele.auth.v1.credential_in_request)`, or None."""
    options = method.GetOptions()
    if options.Extensions[role_pb2.credential_in_request]:
        return None if options.HasExtension(role_pb2.required_role) else OWN
    if not options.HasExtension(role_pb2.required_role):
        return None
    value = options.Extensions[role_pb2.required_role]
    return role_pb2.Role.Name(value).removeprefix("ROLE_").lower()


def documented_roles():
    """{full service name: {rpc: role}} from the RPC tables of docs/api.md."""
    with open(DOCS, encoding="utf-8") as f:
        text = f.read()
    documented, service = {}, None
    for line in text.splitlines():
        heading = re.match(r"^## .*`(\w+Service)`", line)
        if heading:
            service = next((full for full in suite.SERVICES.values()
                            if full.endswith("." + heading.group(1))), None)
            continue
        if line.startswith("## "):
            service = None
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if service and len(cells) >= 3 and cells[1] in ROLES + (OWN,):
            documented.setdefault(service, {})[cells[0]] = cells[1]
    return documented


def call(channel, path, token_value):
    """Calls `path` with an empty request; the RpcError, or None on OK."""
    metadata = [("authorization", f"Bearer {token_value}")] if token_value else None
    rpc = channel.unary_unary(path, request_serializer=None, response_deserializer=None)
    try:
        rpc(b"", metadata=metadata, timeout=30)
        return None
    except grpc.RpcError as error:
        return error


def error_info(error):
    """The google.rpc.ErrorInfo in the error's status details, or None."""
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        status = status_pb2.Status.FromString(value)
        for detail in status.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                return info
    return None


class MatrixTest(unittest.TestCase):
    """What the protos and the docs declare, without any server."""

    def test_every_rpc_has_an_expected_role_and_no_row_is_stale(self):
        for full_name, service in service_descriptors().items():
            self.assertEqual(sorted(m.name for m in service.methods),
                             sorted(EXPECTED[full_name]), full_name)

    def test_the_protos_declare_the_expected_roles(self):
        for full_name, service in service_descriptors().items():
            for method in service.methods:
                self.assertEqual(declared_role(method), EXPECTED[full_name][method.name],
                                 f"{full_name}/{method.name}")

    def test_docs_show_the_expected_roles(self):
        self.assertEqual(documented_roles(), EXPECTED)


class EnforcementTest(unittest.TestCase):
    """What the servers do with every RPC under every role."""

    @classmethod
    def setUpClass(cls):
        cls.stack = suite.Stack(suite.SERVICES, workspace=RoleWorkspace())
        # By full service name, as EXPECTED and the descriptors name them.
        cls.servers = {suite.SERVICES[name]: server
                       for name, server in cls.stack.servers.items()}

    @classmethod
    def tearDownClass(cls):
        cls.stack.close()

    def test_every_rpc_answers_every_role_as_the_matrix_says(self):
        checked = 0
        for full_name, service in service_descriptors().items():
            channel = self.servers[full_name].channel
            for method in service.methods:
                path = f"/{full_name}/{method.name}"
                required = EXPECTED[full_name][method.name]
                for role in ROLES:
                    checked += 1
                    with self.subTest(rpc=path, role=role):
                        error = call(channel, path, token(role))
                        code = error.code() if error else grpc.StatusCode.OK
                        if required == OWN:
                            # The empty request carries no survey token: no
                            # tenant token stands in for it.
                            self.assertEqual(code, grpc.StatusCode.UNAUTHENTICATED,
                                             error.details() if error else "")
                        elif ROLES.index(role) < ROLES.index(required):
                            self.assertEqual(code, grpc.StatusCode.PERMISSION_DENIED)
                            self.assertIn(f"needs role {required}", error.details())
                            info = error_info(error)
                            self.assertIsNotNone(info, "no google.rpc.ErrorInfo")
                            self.assertEqual(info.reason, "ROLE_REQUIRED")
                            self.assertEqual(info.domain, "clientele")
                            self.assertEqual(dict(info.metadata),
                                             {"required_role": required, "role": role})
                        else:
                            self.assertNotIn(code, (grpc.StatusCode.PERMISSION_DENIED,
                                                    grpc.StatusCode.UNAUTHENTICATED),
                                             error.details() if error else "")
        self.assertEqual(checked, len(ROLES) * sum(len(rpcs) for rpcs in EXPECTED.values()))

    def test_without_a_token_every_rpc_is_unauthenticated_not_denied(self):
        for full_name, service in service_descriptors().items():
            channel = self.servers[full_name].channel
            for method in service.methods:
                path = f"/{full_name}/{method.name}"
                # An RPC with its own credential is unauthenticated too: the
                # empty request has no survey token.
                self.assertEqual(call(channel, path, None).code(),
                                 grpc.StatusCode.UNAUTHENTICATED, path)

    def test_health_is_open_to_every_role_and_to_no_token(self):
        for full_name, server in self.servers.items():
            stub = suite.health_pb2_grpc.HealthStub(server.channel)
            for role in ROLES + (None,):
                metadata = [("authorization", f"Bearer {token(role)}")] if role else None
                for service in ("", full_name):
                    response = stub.Check(health_pb2.HealthCheckRequest(service=service),
                                          metadata=metadata, timeout=5)
                    self.assertEqual(response.status, health_pb2.HealthCheckResponse.SERVING,
                                     f"{full_name} {service!r} as {role}")

    def test_reflection_is_open_to_every_role_and_to_no_token(self):
        for full_name, server in self.servers.items():
            for role in ROLES + (None,):
                # --reflect-header '*' sends the token with the reflection
                # requests too.
                flags = ["--reflect", "--reflect-header", "*"] if role else []
                code, out, err = suite.buf_curl(server.address, "--list-methods", *flags,
                                                token=token(role) if role else None)
                self.assertEqual(code, 0, f"{full_name} as {role}: {err}")
                listed = {line.strip() for line in out.splitlines()}
                expected = {f"{full_name}/{rpc}" for rpc in EXPECTED[full_name]}
                self.assertEqual(expected - listed, set(), f"{full_name} as {role}")


if __name__ == "__main__":
    unittest.main()
