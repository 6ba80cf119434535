"""What the suite's Python has no library for, by hand: the protobuf wire
format (google.rpc.Status and its details are not generated for the suite,
and invalid UTF-8 must be sent by hand anyway) and Redis' RESP over a socket
(stream payloads are binary)."""

import socket


# --- protobuf wire format, by hand -------------------------------------------
# google.rpc.Status and its details are not generated here (no googleapis
# protos in the suite's Python), and invalid UTF-8 must be sent by hand anyway.

def _varint(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def wire_fields(data):
    """Decodes one message level: {field number: [int or bytes, ...]}."""
    fields, pos = {}, 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, pos = _varint(data, pos)
        elif wire_type == 2:
            length, pos = _varint(data, pos)
            value, pos = data[pos:pos + length], pos + length
        elif wire_type == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire_type == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"wire type {wire_type}")
        fields.setdefault(number, []).append(value)
    return fields


def encode_varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode_bytes_field(number, payload):
    return encode_varint(number << 3 | 2) + encode_varint(len(payload)) + payload


def encode_varint_field(number, value):
    return encode_varint(number << 3) + encode_varint(value)


def status_details(error):
    """The google.rpc.Status details of a failed call: [(type name, bytes)]."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            details = []
            for any_bytes in wire_fields(value).get(3, []):
                any_fields = wire_fields(any_bytes)
                type_url = any_fields.get(1, [b""])[0].decode()
                details.append((type_url.rsplit("/", 1)[-1], any_fields.get(2, [b""])[0]))
            return details
    return []


def violated_fields(error):
    """Field paths of the google.rpc.BadRequest detail, in order."""
    fields = []
    for type_name, value in status_details(error):
        if type_name == "google.rpc.BadRequest":
            for violation in wire_fields(value).get(1, []):
                fields.append(wire_fields(violation).get(1, [b""])[0].decode())
    return fields


def resource_names(error):
    """resource_name of every google.rpc.ResourceInfo detail."""
    return [wire_fields(value).get(2, [b""])[0].decode()
            for type_name, value in status_details(error)
            if type_name == "google.rpc.ResourceInfo"]


# --- Redis, by hand (RESP over a socket: payloads are binary) -----------------

def _resp_read(stream):
    line = stream.readline()
    kind, rest = line[:1], line[1:-2]
    if kind in (b"+", b":"):
        return rest
    if kind == b"-":
        raise AssertionError(f"redis error: {rest!r}")
    if kind == b"$":
        length = int(rest)
        if length < 0:
            return None
        data = stream.read(length + 2)
        return data[:-2]
    if kind == b"*":
        count = int(rest)
        return None if count < 0 else [_resp_read(stream) for _ in range(count)]
    raise AssertionError(f"unexpected redis reply {line!r}")


def redis_command(port, *args):
    request = b"*%d\r\n" % len(args)
    for arg in args:
        arg = arg if isinstance(arg, bytes) else str(arg).encode()
        request += b"$%d\r\n%s\r\n" % (len(arg), arg)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        with s.makefile("rb") as stream:
            return _resp_read(stream)
