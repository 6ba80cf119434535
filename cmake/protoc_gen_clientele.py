#!/usr/bin/python3
"""protoc plugin: writes <file>.clientele.h for every proto file with a service.

The header declares `<Service>Base`, a gRPC callback service whose every RPC
is registered raw (`WithRawCallbackMethod_<Rpc>`: bytes in, bytes out) and
goes through clientele::server::ServeUnary, which parses the request itself
(so a request protobuf refuses answers INVALID_ARGUMENT naming the field, not
gRPC's bare UNIMPLEMENTED), authenticates, uses the worker pool, logs one line
per RPC and maps absl::Status -> grpc::Status. A service implements an
RPC by overriding the generated

    absl::Status Rpc(const RequestContext&, const RpcRequest&, RpcResponse*)

and may also override

    std::optional<absl::Status> RpcInline(const RequestContext&,
                                          const RpcRequest&, RpcResponse*)

to answer on the gRPC callback thread when it can without blocking (from
memory); std::nullopt hands the call to Rpc on the worker pool.

and every RPC it does not override answers UNIMPLEMENTED, after the caller
has been authenticated like any other. Only unary RPCs are supported.

Every RPC must declare the least role that may call it with the method option
`(clientele.auth.v1.required_role)` (protos/clientele/auth/v1/role.proto);
the generated method hands it to ServeUnary, which answers PERMISSION_DENIED
to a caller below it. An RPC without the option (or with ROLE_UNSPECIFIED) is
a generator error, so no RPC can be served without a declared role. The one
exception is an RPC that sets `(clientele.auth.v1.credential_in_request)`
instead (a CSAT answer carries its survey's token): it is served without a
bearer token and its handler checks the credential.
"""

import sys

from google.protobuf.compiler import plugin_pb2


def _cpp_names(files):
    """Maps '.pkg.Msg.Nested' to '::pkg::Msg_Nested' for every message."""
    names = {}

    def walk(prefix_proto, prefix_cpp, messages):
        for message in messages:
            proto = f"{prefix_proto}.{message.name}"
            cpp = f"{prefix_cpp}{message.name}"
            names[proto] = message, cpp
            walk(proto, cpp + "_", message.nested_type)

    for f in files:
        package = f.package
        ns = "::" + "::".join(package.split(".")) + "::" if package else "::"
        walk("." + package if package else "", ns, f.message_type)
    return names


_ROLE_OPTION = "clientele.auth.v1.required_role"
_CREDENTIAL_OPTION = "clientele.auth.v1.credential_in_request"


class _RoleOption:
    """The `required_role` method option: its field number and enum names."""

    def __init__(self, files):
        self.credential_number = None
        for f in files:
            for extension in f.extension:
                if f"{f.package}.{extension.name}" == _CREDENTIAL_OPTION:
                    self.credential_number = extension.number
        for f in files:
            for extension in f.extension:
                if f"{f.package}.{extension.name}" != _ROLE_OPTION:
                    continue
                enum_name = extension.type_name.lstrip(".")
                package = enum_name.rsplit(".", 1)[0]
                enum = next(e for e in f.enum_type if f"{f.package}.{e.name}" == enum_name)
                self.number = extension.number
                self.cpp_prefix = "::" + "::".join(package.split(".")) + "::"
                self.values = {v.number: v.name for v in enum.value}
                return
        self.number = None

    def of(self, full_method, options):
        """The C++ enumerator of the method's required role."""
        if self.number is None:
            raise ValueError(f"{full_method}: import clientele/auth/v1/role.proto "
                             f"and set ({_ROLE_OPTION})")
        # The extension is unknown to this plugin's own descriptor pool, so
        # MethodOptions keeps it as an unknown field: read it off the wire.
        wire = options.SerializeToString()
        value = _varint_field(wire, self.number)
        own_credential = (self.credential_number is not None
                          and _varint_field(wire, self.credential_number))
        if own_credential:
            if value:
                raise ValueError(f"{full_method}: set either ({_ROLE_OPTION}) or "
                                 f"({_CREDENTIAL_OPTION}), not both")
            # No bearer token and no role: the handler checks the request's own
            # credential (ServeUnary reads ROLE_UNSPECIFIED so).
            return self.cpp_prefix + "ROLE_UNSPECIFIED"
        if not value:
            raise ValueError(f"{full_method}: every RPC needs "
                             f"`option ({_ROLE_OPTION}) = ROLE_...;`")
        if value not in self.values:
            raise ValueError(f"{full_method}: unknown role {value}")
        return self.cpp_prefix + self.values[value]


def _varint(data, pos):
    result, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def _varint_field(data, number):
    """The last value of varint field `number` in serialized `data`, or None."""
    found, pos = None, 0
    while pos < len(data):
        tag, pos = _varint(data, pos)
        wire_type = tag & 7
        if wire_type == 0:
            value, pos = _varint(data, pos)
            if tag >> 3 == number:
                found = value
        elif wire_type == 1:
            pos += 8
        elif wire_type == 2:
            length, pos = _varint(data, pos)
            pos += length
        elif wire_type == 5:
            pos += 4
        else:
            raise ValueError(f"unsupported wire type {wire_type} in method options")
    return found


def _comment(file_proto, path):
    for location in file_proto.source_code_info.location:
        if list(location.path) == path:
            text = location.leading_comments.strip("\n")
            return [line.rstrip() for line in text.split("\n")] if text else []
    return []


def _generate(file_proto, names, role_option):
    out = []
    stem = file_proto.name[: -len(".proto")]
    guard = stem.upper().replace("/", "_").replace(".", "_") + "_CLIENTELE_H_"
    namespace = "::".join(file_proto.package.split("."))
    out.append(f"// Generated by protoc_gen_clientele.py from {file_proto.name}.")
    out.append("// DO NOT EDIT.")
    out.append(f"#ifndef {guard}")
    out.append(f"#define {guard}")
    out.append("")
    out.append("#include <optional>")
    out.append("")
    out.append('#include "absl/status/status.h"')
    out.append('#include "clientele/auth/v1/role.pb.h"')
    out.append('#include "common/server/unary_call.h"')
    out.append(f'#include "{stem}.grpc.pb.h"')
    out.append("")
    out.append(f"namespace {namespace} {{")
    for s_index, service in enumerate(file_proto.service):
        full_service = f"{file_proto.package}.{service.name}"
        out.append("")
        out.append(f"// Base of every {service.name} implementation; see")
        out.append("// protoc_gen_clientele.py. Override an RPC's absl::Status")
        out.append("// method to implement it.")
        # WithRawCallbackMethod_A<WithRawCallbackMethod_B<...<Service>>>
        out.append(f"class {service.name}Base")
        for i, method in enumerate(service.method):
            lead = "    : public " if i == 0 else "          "
            out.append(f"{lead}{service.name}::WithRawCallbackMethod_{method.name}<")
        closing = ">" * len(service.method)
        lead = "    : public " if not service.method else "          "
        out.append(f"{lead}{service.name}::Service{closing} {{")
        out.append(" public:")
        out.append(f"  explicit {service.name}Base(::clientele::server::RpcRuntime* runtime)")
        out.append("      : runtime_(runtime) {}")
        methods = []
        for m_index, method in enumerate(service.method):
            if method.client_streaming or method.server_streaming:
                raise ValueError(f"{full_service}.{method.name}: only unary RPCs are supported")
            _, request = names[method.input_type]
            _, response = names[method.output_type]
            role = role_option.of(f"{full_service}.{method.name}", method.options)
            methods.append((method.name, role))
            out.append("")
            for line in _comment(file_proto, [6, s_index, 2, m_index]):
                out.append(f"  //{line}" if line.startswith(" ") or not line else f"  // {line}")
            role_name = role.rsplit("::ROLE_", 1)[1].lower()
            if role_name == "unspecified":
                out.append("  // Authenticated by a credential in its request, not a token.")
            else:
                out.append(f"  // Needs role {role_name} or above.")
            out.append(f"  virtual ::absl::Status {method.name}(")
            out.append("      const ::clientele::server::RequestContext& context,")
            out.append(f"      const {request}& request, {response}* response) {{")
            out.append(
                f'    return ::clientele::server::UnimplementedRpc("{full_service}.{method.name}");'
            )
            out.append("  }")
            out.append("  // Answers on the gRPC thread when it can without blocking;")
            out.append(f"  // std::nullopt (the default) runs {method.name} on the worker pool.")
            out.append(f"  virtual ::std::optional<::absl::Status> {method.name}Inline(")
            out.append("      const ::clientele::server::RequestContext& context,")
            out.append(f"      const {request}& request, {response}* response) {{")
            out.append("    return ::std::nullopt;")
            out.append("  }")
        out.append("")
        out.append(" private:")
        for name, role in methods:
            out.append(f"  ::grpc::ServerUnaryReactor* {name}(")
            out.append("      ::grpc::CallbackServerContext* grpc_context,")
            out.append("      const ::grpc::ByteBuffer* request, ::grpc::ByteBuffer* response) final {")
            out.append("    return ::clientele::server::ServeUnary(")
            out.append(f'        runtime_, grpc_context, "/{full_service}/{name}", {role},')
            out.append("        request, response,")
            out.append(f"        this, &{service.name}Base::{name}Inline, &{service.name}Base::{name});")
            out.append("  }")
        out.append("")
        out.append("  ::clientele::server::RpcRuntime* runtime_;")
        out.append("};")
    out.append("")
    out.append(f"}}  // namespace {namespace}")
    out.append("")
    out.append(f"#endif  // {guard}")
    return "\n".join(out) + "\n"


def main():
    request = plugin_pb2.CodeGeneratorRequest.FromString(sys.stdin.buffer.read())
    response = plugin_pb2.CodeGeneratorResponse()
    names = _cpp_names(request.proto_file)
    role_option = _RoleOption(request.proto_file)
    by_name = {f.name: f for f in request.proto_file}
    try:
        for file_name in request.file_to_generate:
            file_proto = by_name[file_name]
            if not file_proto.service:
                continue
            generated = response.file.add()
            generated.name = file_name[: -len(".proto")] + ".clientele.h"
            generated.content = _generate(file_proto, names, role_option)
    except ValueError as error:
        response.error = str(error)
    sys.stdout.buffer.write(response.SerializeToString())


if __name__ == "__main__":
    main()
