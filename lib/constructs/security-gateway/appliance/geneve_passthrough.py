#!/usr/bin/env python3
"""Clover security-gateway appliance: a GENEVE pass-through for AWS Gateway Load Balancer.

Receives GENEVE (RFC 8926) on UDP 6081, parses the inner IPv4/IPv6 packet into a flow record and
returns the datagram unchanged to the load balancer (from and to port 6081). Malformed datagrams are
counted and dropped. One JSON line per new inner flow (de-duplicated within --flow-window seconds) is
shipped to CloudWatch Logs with SigV4-signed PutLogEvents and instance-role credentials from IMDSv2;
while shipping fails, lines stay in a bounded buffer and are echoed to stdout. GET /health answers
200 while the forwarder runs, 503 otherwise. SIGTERM/SIGINT stop after a last flush; SIGUSR1 drains
(the forwarder stops and health turns 503, so the load balancer moves flows elsewhere).
With --protected-ipv6 (the enclave VPC's IPv6 blocks) it is also a stateful IPv6 filter: a packet
from outside to a protected address passes only as part of a flow a protected address started (or as
an ICMPv6 error about such a flow); anything else is dropped and logged as a "drop" line. GWLB keeps
both directions of a flow on one appliance, so each appliance's own flow state is enough.
Diagnostics are JSON lines on stderr. Python 3.9+, standard library only.
"""
import argparse
import calendar
import collections
import hashlib
import hmac
import http.server
import ipaddress
import json
import os
import queue
import signal
import socket
import struct
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

AWS_OPTION_CLASS = 0x0108
ETHERTYPE_IPV4 = 0x0800
ETHERTYPE_IPV6 = 0x86DD
PROTOCOL_NAMES = {1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6"}
ICMPV6_ECHO_REQUEST, ICMPV6_ECHO_REPLY = 128, 129
ICMPV6_ERRORS = (1, 2, 3, 4)  # destination unreachable, packet too big, time exceeded, parameter problem
# GWLB's idle timeouts: 350 s for TCP flows, 120 s for others; state lives as long as the flow can.
FLOW_IDLE_SECONDS = {6: 350.0}
OTHER_IDLE_SECONDS = 120.0
IPV6_EXTENSION_HEADERS = (0, 43, 44, 51, 60)
MALFORMED_REASONS = (
    "geneve-too-short", "geneve-bad-version", "geneve-bad-options", "geneve-unsupported-protocol",
    "inner-truncated", "inner-bad-version", "inner-bad-length", "inner-extensions", "transport-truncated",
)
# PutLogEvents limits: 10,000 events, 1,048,576 bytes (message bytes + 26 each), 24 hours per batch.
BATCH_EVENTS = 10000
BATCH_BYTES = 1000000
BATCH_SPAN_MS = 23 * 3600 * 1000
_output_lock = threading.Lock()


class Malformed(Exception):
    """A datagram that is not well-formed GENEVE carrying IPv4/IPv6; args[0] is one of MALFORMED_REASONS."""


def emit(stream, line):
    with _output_lock:
        stream.write(line + "\n")
        stream.flush()


def diag(event, **fields):
    fields = dict(event=event, **fields)
    emit(sys.stderr, json.dumps(fields, separators=(",", ":"), default=str))


def parse_geneve(data):
    """Returns (protocol type, VNI, {AWS option type: value bytes}, inner packet)."""
    if len(data) < 8:
        raise Malformed("geneve-too-short")
    if data[0] >> 6 != 0:
        raise Malformed("geneve-bad-version")
    header_length = 8 + (data[0] & 0x3F) * 4
    if header_length > len(data):
        raise Malformed("geneve-bad-options")
    protocol_type, vni = struct.unpack_from("!HI", data, 2)
    aws_options = {}
    offset = 8
    while offset < header_length:
        if offset + 4 > header_length:
            raise Malformed("geneve-bad-options")
        option_class, option_type, length_field = struct.unpack_from("!HBB", data, offset)
        end = offset + 4 + (length_field & 0x1F) * 4
        if end > header_length:
            raise Malformed("geneve-bad-options")
        if option_class == AWS_OPTION_CLASS:
            aws_options[option_type & 0x7F] = bytes(data[offset + 4:end])
        offset = end
    if protocol_type not in (ETHERTYPE_IPV4, ETHERTYPE_IPV6):
        raise Malformed("geneve-unsupported-protocol")
    return protocol_type, vni >> 8, aws_options, memoryview(data)[header_length:]


def gwlb_fields(options):
    """AWS GWLB TLVs (class 0x0108): 1 = endpoint id (8 bytes), 2 = attachment id (8), 3 = flow cookie (4)."""
    def number(option_type, size):
        value = options.get(option_type)
        return int.from_bytes(value, "big") if value is not None and len(value) == size else None

    endpoint, attachment, cookie = number(1, 8), number(2, 8), number(3, 4)
    return {
        "gwlbEndpointId": None if endpoint is None else "vpce-%017x" % endpoint,
        "attachmentId": None if attachment is None else "%016x" % attachment,
        "flowCookie": None if cookie is None else "%08x" % cookie,
    }


def parse_inner(protocol_type, packet):
    """Flow fields of an inner IPv4/IPv6 packet: addresses, protocol, ports or ICMP type/code."""
    if protocol_type == ETHERTYPE_IPV4:
        if len(packet) < 20:
            raise Malformed("inner-truncated")
        if packet[0] >> 4 != 4:
            raise Malformed("inner-bad-version")
        header_length = (packet[0] & 0x0F) * 4
        total_length, fragment = struct.unpack_from("!H2xH", packet, 2)
        if header_length < 20 or not header_length <= total_length <= len(packet):
            raise Malformed("inner-bad-length")
        protocol = packet[9]
        family, source, destination = socket.AF_INET, packet[12:16], packet[16:20]
        transport = None if fragment & 0x1FFF else packet[header_length:total_length]
    else:
        if len(packet) < 40:
            raise Malformed("inner-truncated")
        if packet[0] >> 4 != 6:
            raise Malformed("inner-bad-version")
        end = 40 + struct.unpack_from("!H", packet, 4)[0]
        if end > len(packet):
            raise Malformed("inner-bad-length")
        protocol, offset, first_fragment = packet[6], 40, True
        family, source, destination = socket.AF_INET6, packet[8:24], packet[24:40]
        for _ in range(8):
            if protocol not in IPV6_EXTENSION_HEADERS:
                break
            if offset + 8 > end:
                raise Malformed("inner-extensions")
            if protocol == 44:
                first_fragment = first_fragment and not struct.unpack_from("!H", packet, offset + 2)[0] & 0xFFF8
                length = 8
            elif protocol == 51:
                length = (packet[offset + 1] + 2) * 4
            else:
                length = (packet[offset + 1] + 1) * 8
            protocol, offset = packet[offset], offset + length
        if protocol in IPV6_EXTENSION_HEADERS or offset > end:
            raise Malformed("inner-extensions")
        transport = packet[offset:end] if first_fragment else None
    flow = {
        "ipVersion": 4 if family == socket.AF_INET else 6,
        "protocol": PROTOCOL_NAMES.get(protocol, str(protocol)),
        "protocolNumber": protocol,
        "srcAddr": socket.inet_ntop(family, bytes(source)),
        "srcPort": None,
        "dstAddr": socket.inet_ntop(family, bytes(destination)),
        "dstPort": None,
    }
    if transport is not None and protocol in (6, 17):
        if len(transport) < (20 if protocol == 6 else 8):
            raise Malformed("transport-truncated")
        flow["srcPort"], flow["dstPort"] = struct.unpack_from("!HH", transport)
    elif transport is not None and protocol in (1, 58):
        if len(transport) < 4:
            raise Malformed("transport-truncated")
        flow["icmpType"], flow["icmpCode"] = transport[0], transport[1]
    return flow


def embedded_ipv6_flow(inner):
    """The flow an ICMPv6 error is about: (protocol, source, source port, destination, destination port)
    of the original packet it quotes (RFC 4443 section 2.4), or None when it quotes too little."""
    offset = 40
    if len(inner) < offset + 8 + 40:
        return None
    quoted = inner[offset + 8:]
    if quoted[0] >> 4 != 6:
        return None
    protocol = quoted[6]
    source = socket.inet_ntop(socket.AF_INET6, bytes(quoted[8:24]))
    destination = socket.inet_ntop(socket.AF_INET6, bytes(quoted[24:40]))
    ports = (None, None)
    if protocol in (6, 17) and len(quoted) >= 44:
        ports = struct.unpack_from("!HH", quoted, 40)
    elif protocol in (6, 17):
        return None
    return protocol, source, ports[0], destination, ports[1]


class Ipv6Firewall:
    """Stateful filter of unsolicited inbound IPv6: flows that protected addresses start are
    remembered (until GWLB's idle timeout); a packet from outside to a protected address must
    belong to one of them. IPv4, and traffic that is not between inside and outside, pass."""

    def __init__(self, prefixes, capacity=262144):
        self.networks = [ipaddress.IPv6Network(prefix.strip(), strict=False) for prefix in prefixes if prefix.strip()]
        self.capacity = capacity
        self.state = collections.OrderedDict()  # (protocol, local, local port, remote, remote port) -> expiry

    def protects(self, address):
        ip = ipaddress.IPv6Address(address)
        return any(ip in network for network in self.networks)

    def _remember(self, key, protocol, now):
        self.state[key] = now + FLOW_IDLE_SECONDS.get(protocol, OTHER_IDLE_SECONDS)
        self.state.move_to_end(key)
        while self.state and (len(self.state) > self.capacity or next(iter(self.state.values())) < now):
            self.state.popitem(last=False)

    def _known(self, key, now):
        expiry = self.state.get(key)
        return expiry is not None and expiry >= now

    def allows(self, flow, inner, now):
        """True when the packet may pass; False for unsolicited inbound IPv6."""
        if not self.networks or flow["ipVersion"] != 6:
            return True
        inside_source, inside_destination = self.protects(flow["srcAddr"]), self.protects(flow["dstAddr"])
        protocol = flow["protocolNumber"]
        if inside_source and not inside_destination:
            # Outbound: the flow's replies may come in. Echo requests are keyed without ports.
            key = (protocol, flow["srcAddr"], flow["srcPort"], flow["dstAddr"], flow["dstPort"])
            self._remember(key, protocol, now)
            return True
        if not inside_destination or inside_source:
            return True
        key = (protocol, flow["dstAddr"], flow["dstPort"], flow["srcAddr"], flow["srcPort"])
        if protocol == 58:
            icmp_type = flow.get("icmpType")
            if icmp_type == ICMPV6_ECHO_REPLY:
                allowed = self._known(key, now)
            elif icmp_type in ICMPV6_ERRORS:
                quoted = embedded_ipv6_flow(inner)
                allowed = quoted is not None and self.protects(quoted[1]) and self._known(quoted, now)
            else:
                allowed = False
        else:
            allowed = self._known(key, now)
        if allowed and protocol != 58:
            self._remember(key, protocol, now)
        return allowed


class FlowTable:
    """Flows logged recently, so a busy flow yields one line per window instead of one per packet."""

    def __init__(self, window_seconds, capacity=65536):
        self.window = window_seconds
        self.capacity = capacity
        self.logged = collections.OrderedDict()

    def is_new(self, key, now):
        logged_at = self.logged.get(key)
        if logged_at is not None and now - logged_at < self.window:
            return False
        self.logged[key] = now
        self.logged.move_to_end(key)
        while self.logged and (len(self.logged) > self.capacity or now - next(iter(self.logged.values())) >= self.window):
            self.logged.popitem(last=False)
        return True


def sign_request(method, host, path, query, headers, body, credentials, region, service, amz_date):
    """AWS Signature Version 4: returns the headers to send, including x-amz-date and Authorization."""
    signed = {name.lower(): " ".join(str(value).split()) for name, value in headers.items()}
    signed["host"] = host
    signed["x-amz-date"] = amz_date
    if credentials.get("Token"):
        signed["x-amz-security-token"] = credentials["Token"]
    names = sorted(signed)
    canonical_request = "\n".join([
        method, path, query, "".join("%s:%s\n" % (name, signed[name]) for name in names),
        ";".join(names), hashlib.sha256(body).hexdigest(),
    ])
    scope = "%s/%s/%s/aws4_request" % (amz_date[:8], region, service)
    string_to_sign = "\n".join([
        "AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical_request.encode()).hexdigest(),
    ])
    key = ("AWS4" + credentials["SecretAccessKey"]).encode()
    for part in (amz_date[:8], region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    signed["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        credentials["AccessKeyId"], scope, ";".join(names), signature)
    return signed


class AwsError(Exception):
    def __init__(self, status, code, message):
        super().__init__("%s %s: %s" % (status, code, message))
        self.status, self.code = status, code


class InstanceMetadata:
    """IMDSv2: a session token (PUT), then the instance id and the instance role's credentials."""

    def __init__(self, endpoint, opener):
        self.endpoint, self.opener = endpoint.rstrip("/"), opener
        self.token, self.token_expires, self.credentials = None, 0.0, None

    def _request(self, path, method="GET", headers=None):
        request = urllib.request.Request(self.endpoint + path, method=method, headers=headers or {})
        with self.opener.open(request, timeout=3) as response:
            return response.read().decode()

    def get(self, path):
        if self.token is None or time.time() > self.token_expires:
            self.token = self._request("/latest/api/token", "PUT", {"X-aws-ec2-metadata-token-ttl-seconds": "21600"})
            self.token_expires = time.time() + 18000
        return self._request(path, headers={"X-aws-ec2-metadata-token": self.token})

    def role_credentials(self):
        if self.credentials is None or self.credentials["expires"] - time.time() < 300:
            base = "/latest/meta-data/iam/security-credentials/"
            document = json.loads(self.get(base + self.get(base).split()[0]))
            document["expires"] = calendar.timegm(time.strptime(document["Expiration"], "%Y-%m-%dT%H:%M:%SZ"))
            self.credentials = document
        return self.credentials


class CloudWatchLogs:
    """The two CloudWatch Logs calls the shipper needs, over HTTPS with SigV4."""

    def __init__(self, endpoint, region, metadata, opener):
        self.url = endpoint.rstrip("/") + "/"
        self.host = urllib.parse.urlsplit(self.url).netloc
        self.region, self.metadata, self.opener = region, metadata, opener

    def call(self, action, payload):
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = sign_request(
            "POST", self.host, "/", "",
            {"content-type": "application/x-amz-json-1.1", "x-amz-target": "Logs_20140328." + action},
            body, self.metadata.role_credentials(), self.region, "logs", time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with self.opener.open(request, timeout=10) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            try:
                detail = json.loads(error.read() or b"{}")
            except ValueError:
                detail = {}
            code = str(detail.get("__type", "HTTP%d" % error.code)).split("#")[-1]
            raise AwsError(error.code, code, detail.get("message", detail.get("Message", "")))


class LogShipper(threading.Thread):
    """Batches flow lines to CloudWatch Logs off the forwarding path (stdout only when no log group is set)."""

    def __init__(self, logs, log_group, log_stream, metadata, flush_seconds, buffer_lines, stats):
        super().__init__(name="log-shipper", daemon=True)
        self.logs, self.log_group, self.log_stream, self.metadata = logs, log_group, log_stream, metadata
        self.flush_seconds, self.buffer_lines, self.stats = flush_seconds, buffer_lines, stats
        self.inbox = queue.Queue(maxsize=buffer_lines)
        self.pending = collections.deque()  # [timestamp ms, line, already echoed to stdout]
        self.stream_ready = False
        self.stop_event = threading.Event()

    def submit(self, timestamp_ms, line):
        """Never blocks: when the shipper falls behind, the line is counted as dropped."""
        try:
            self.inbox.put_nowait([timestamp_ms, line, False])
        except queue.Full:
            self.stats["flowLinesDropped"] += 1

    def run(self):
        retry_at, backoff, deadline = 0.0, 0.0, None
        while True:
            self._collect(min(self.flush_seconds, 0.2))
            if self.stop_event.is_set() and deadline is None:
                deadline = time.time() + 5
            now = time.time()
            due = self.pending and (
                deadline is not None or len(self.pending) >= 1000
                or now * 1000 - self.pending[0][0] >= self.flush_seconds * 1000)
            if due and now >= retry_at:
                if self._ship():
                    backoff = 0.0
                else:
                    self._echo_pending()
                    backoff = min(max(1.0, backoff * 2), 60.0)
                    retry_at = now + backoff
            if deadline is not None and (not self.pending or time.time() > deadline):
                self._echo_pending()
                return

    def _collect(self, timeout):
        try:
            item = self.inbox.get(timeout=timeout)
            while True:
                if len(self.pending) >= self.buffer_lines:
                    dropped = self.pending.popleft()
                    if not dropped[2]:
                        emit(sys.stdout, dropped[1])
                    self.stats["flowLinesDropped"] += 1
                self.pending.append(item)
                item = self.inbox.get_nowait()
        except queue.Empty:
            pass

    def _echo_pending(self):
        for item in self.pending:
            if not item[2]:
                emit(sys.stdout, item[1])
                item[2] = True

    def _batch(self):
        batch, size = [], 0
        for item in self.pending:
            size += len(item[1].encode()) + 26
            if batch and (len(batch) >= BATCH_EVENTS or size > BATCH_BYTES or item[0] - batch[0][0] > BATCH_SPAN_MS):
                break
            batch.append(item)
        return batch

    def _ship(self):
        batch = self._batch()
        try:
            if self.logs is None:
                for item in batch:
                    if not item[2]:
                        emit(sys.stdout, item[1])
            else:
                if not self.log_stream:
                    self.log_stream = self.metadata.get("/latest/meta-data/instance-id").strip()
                if not self.stream_ready:
                    try:
                        self.logs.call("CreateLogStream", {"logGroupName": self.log_group, "logStreamName": self.log_stream})
                    except AwsError as error:
                        if error.code != "ResourceAlreadyExistsException":
                            raise
                    self.stream_ready = True
                events = [{"timestamp": item[0], "message": item[1]} for item in batch]
                self.logs.call("PutLogEvents", {
                    "logGroupName": self.log_group, "logStreamName": self.log_stream, "logEvents": events})
            self.stats["flowLinesShipped"] += len(batch)
        except AwsError as error:
            self.stats["shipFailures"] += 1
            if error.code == "ResourceNotFoundException":
                self.stream_ready = False
            if error.code not in ("InvalidParameterException", "SerializationException"):
                diag("ship-failed", error=str(error), pending=len(self.pending))
                return False
            diag("ship-rejected", error=str(error), dropped=len(batch))
            self._echo_pending()
        except Exception as error:  # network, IMDS or response trouble: keep the lines, retry later
            self.stats["shipFailures"] += 1
            diag("ship-failed", error=repr(error), pending=len(self.pending))
            return False
        for _ in batch:
            self.pending.popleft()
        return True


class RateLimit:
    """At most `count` diagnostics per `seconds`, so a flood of bad packets can't flood the journal."""

    def __init__(self, count=20, seconds=60.0):
        self.count, self.seconds, self.window_start, self.used = count, seconds, 0.0, 0

    def allow(self, now):
        if now - self.window_start >= self.seconds:
            self.window_start, self.used = now, 0
        self.used += 1
        return self.used <= self.count


class Forwarder(threading.Thread):
    """Receives GENEVE, sends each well-formed datagram back unchanged, records new flows."""

    def __init__(self, sock, reply_port, flows, shipper, stats, firewall=None):
        super().__init__(name="forwarder", daemon=True)
        self.sock, self.reply_port, self.flows, self.shipper, self.stats = sock, reply_port, flows, shipper, stats
        self.firewall = firewall or Ipv6Firewall([])
        self.stop_event = threading.Event()
        self.rate_limit = RateLimit()

    def run(self):
        while not self.stop_event.is_set():
            try:
                data, sender = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError as error:
                self._problem("receive-error", error=repr(error))
                time.sleep(0.05)
                continue
            try:
                self.handle(data, sender)
            except Exception as error:  # a bug must cost one packet, never the forwarder
                self._problem("packet-error", error=repr(error))

    def handle(self, data, sender):
        self.stats["received"] += 1
        try:
            protocol_type, vni, options, inner = parse_geneve(data)
            flow = parse_inner(protocol_type, inner)
        except Malformed as error:
            reason = error.args[0]
            self.stats["malformed"][reason] += 1
            self._problem("malformed", reason=reason, sender="%s:%d" % sender[:2], length=len(data))
            return
        now = time.time()
        if not self.firewall.allows(flow, inner, now):
            self.stats["ipv6InboundDropped"] += 1
            self._record("drop", flow, options, vni, inner, now, reason="unsolicited-inbound-ipv6")
            return
        try:
            self.sock.sendto(data, (sender[0], self.reply_port or sender[1]) + tuple(sender[2:]))
        except OSError as error:
            self._problem("send-error", error=repr(error), sender="%s:%d" % sender[:2])
            return
        self.stats["forwarded"] += 1
        self._record("flow", flow, options, vni, inner, now)

    def _record(self, event, flow, options, vni, inner, now, **extra):
        """One line per new flow (or dropped flow) and window, shipped to the flow log."""
        flow.update(gwlb_fields(options))
        if self.flows.is_new((event,) + tuple(flow.values()), now):
            record = dict(event=event, time=time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % (now % 1 * 1000))
            record.update(flow, vni=vni, bytes=len(inner), **extra)
            self.stats["flowLines"] += 1
            self.shipper.submit(int(now * 1000), json.dumps(record, separators=(",", ":")))

    def _problem(self, event, **fields):
        self.stats["problems"] += 1
        if self.rate_limit.allow(time.time()):
            diag(event, **fields)


def health_server(address, port, forwarder, stats):
    family = socket.AF_INET6 if ":" in address else socket.AF_INET

    class HealthHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.split("?")[0] != "/health":
                self.send_error(404)
                return
            healthy = forwarder.is_alive() and not forwarder.stop_event.is_set()
            status = "ok" if healthy else "stopped"
            body = json.dumps(dict(stats, status=status, malformed=dict(stats["malformed"]))).encode()
            self.send_response(200 if healthy else 503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # the load balancer checks every few seconds; keep the journal quiet
            pass

    server_class = type("HealthServer", (http.server.ThreadingHTTPServer,), {"address_family": family, "daemon_threads": True})
    return server_class((address, port), HealthHandler)


def parse_args(argv):
    def option(name, env, default, kind=str, help_text=""):
        # argparse converts (and reports errors in) string defaults too, so env values are checked like flags
        parser.add_argument(name, type=kind, default=os.environ.get(env, default), help="%s (env %s)" % (help_text, env))

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    option("--bind-address", "CLOVER_BIND_ADDRESS", "0.0.0.0", str, "address for GENEVE and health")
    option("--geneve-port", "CLOVER_GENEVE_PORT", "6081", int, "UDP port receiving GENEVE")
    option("--reply-port", "CLOVER_REPLY_PORT", "6081", int, "UDP port replies go to; 0 = the sender's port")
    option("--health-port", "CLOVER_HEALTH_PORT", "8080", int, "TCP port serving GET /health")
    option("--log-group", "CLOVER_LOG_GROUP", "", str, "CloudWatch Logs group; empty = stdout only")
    option("--log-stream", "CLOVER_LOG_STREAM", "", str, "log stream; empty = the instance id")
    option("--region", "CLOVER_REGION", "", str, "AWS region of the log group")
    option("--url-suffix", "CLOVER_URL_SUFFIX", "", str, "the partition's URL suffix")
    option("--logs-endpoint", "CLOVER_LOGS_ENDPOINT", "", str, "default https://logs.REGION.URL_SUFFIX")
    option("--imds-endpoint", "CLOVER_IMDS_ENDPOINT", "http://169.254.169.254", str, "instance metadata service")
    option("--flow-window", "CLOVER_FLOW_WINDOW_SECONDS", "60", float, "seconds before a flow is logged again")
    option("--flush-interval", "CLOVER_FLUSH_SECONDS", "5", float, "longest wait before a batch is shipped")
    option("--buffer-lines", "CLOVER_BUFFER_LINES", "10000", int, "flow lines kept while shipping fails")
    option("--protected-ipv6", "CLOVER_PROTECTED_IPV6", "", str,
           "comma-separated IPv6 blocks (the enclave VPC's): unsolicited inbound IPv6 to them is dropped")
    args = parser.parse_args(argv)
    for name in ("geneve_port", "reply_port", "health_port"):
        if not 0 <= getattr(args, name) <= 65535:
            parser.error("--%s %d is not a port; use 0-65535" % (name.replace("_", "-"), getattr(args, name)))
    if args.log_group and not (args.region and (args.url_suffix or args.logs_endpoint)):
        parser.error("--log-group needs --region and --url-suffix (or --logs-endpoint)")
    if args.flow_window < 0 or args.flush_interval <= 0 or args.buffer_lines < 1:
        parser.error("--flow-window must be >= 0, --flush-interval > 0 and --buffer-lines >= 1")
    try:
        args.firewall = Ipv6Firewall(args.protected_ipv6.split(","))
    except ValueError as error:
        parser.error("--protected-ipv6 %r is not a list of IPv6 blocks (%s); write e.g. 2001:db8:10::/56" % (
            args.protected_ipv6, error))
    return args


def main(argv=None):
    args = parse_args(argv)
    stats = collections.Counter()
    stats["malformed"] = collections.Counter({reason: 0 for reason in MALFORMED_REASONS})
    for name in ("received", "forwarded", "problems", "flowLines", "flowLinesDropped", "flowLinesShipped", "shipFailures",
                 "ipv6InboundDropped"):
        stats[name] = 0
    family = socket.AF_INET6 if ":" in args.bind_address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
    sock.bind((args.bind_address, args.geneve_port))
    sock.settimeout(0.5)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    metadata = InstanceMetadata(args.imds_endpoint, opener)
    logs, endpoint = None, None
    if args.log_group:
        endpoint = args.logs_endpoint or "https://logs.%s.%s" % (args.region, args.url_suffix)
        logs = CloudWatchLogs(endpoint, args.region, metadata, opener)
    shipper = LogShipper(logs, args.log_group, args.log_stream, metadata, args.flush_interval, args.buffer_lines, stats)
    forwarder = Forwarder(sock, args.reply_port, FlowTable(args.flow_window), shipper, stats, args.firewall)
    health = health_server(args.bind_address, args.health_port, forwarder, stats)
    shutdown = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: shutdown.set())
    signal.signal(signal.SIGINT, lambda *_: shutdown.set())
    signal.signal(signal.SIGUSR1, lambda *_: forwarder.stop_event.set())
    shipper.start()
    forwarder.start()
    threading.Thread(target=health.serve_forever, name="health", daemon=True).start()
    diag("ready", genevePort=sock.getsockname()[1], healthPort=health.server_address[1],
         logGroup=args.log_group or None, logsEndpoint=endpoint,
         protectedIpv6=[str(network) for network in args.firewall.networks])
    exit_code = 0
    while not shutdown.wait(0.5):
        if not forwarder.is_alive() and not forwarder.stop_event.is_set():
            diag("forwarder-died")  # systemd restarts the service
            exit_code = 1
            break
    forwarder.stop_event.set()
    health.shutdown()
    shipper.stop_event.set()
    shipper.join(timeout=10)
    diag("stopped", **{name: stats[name] for name in ("received", "forwarded", "flowLines", "flowLinesShipped")})
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
