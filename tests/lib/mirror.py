#!/usr/bin/env python3
"""A small HTTP/1.1 file server for the nodus end-to-end tests.

    mirror.py --root DIR --port-file FILE [--log FILE] [--port N]
              [--exit-with-pid PID] [--tls-cert PEM --tls-key PEM]
              [--rate BYTES_PER_SECOND]

Listens on 127.0.0.1 only (port 0: the kernel picks one; it is written to
FILE atomically once the socket listens).  Serves the files under DIR with
Content-Length, a strong ETag (from the SHA-256 of the content) and
Last-Modified; answers If-None-Match / If-Modified-Since with 304, and
Range (bytes=N-, bytes=N-M, bytes=-N; If-Range honoured) with 206 or 416.

--log gets one line per request, flushed at once:
    METHOD PATH STATUS range=<Range or -> inm=<If-None-Match or -> ims=<If-Modified-Since or ->
STATUS is 000 when no response was sent (fault "close").

Faults come from DIR/_faults.json, read again for every request (missing:
no faults).  It holds a list of rules (a single object is taken as a list
of one):
    {"match": "<fnmatch glob on the URL path>", "fault": "<fault>", "count": N}
The first rule whose glob matches the path (query string removed; "*"
matches "/" too) and that has not used up its count applies.  "count" is
optional: the rule applies to the first N matching requests only.  Counts
are kept in memory and start again whenever the file is replaced (a new
inode or mtime).  Faults:
    status:NNN          answer NNN with a short text body
    close               close the connection without answering
    truncate            full Content-Length, half the body, then close
    wrong-length        Content-Length larger than the body, whole body, close
    reset               half the body, then a TCP RST (SO_LINGER 0)
    wrong-bytes         right length, 16 bytes flipped in the middle
    slow:BPS            the body dripped at BPS bytes per second
    drip:SECONDS        the whole answer, status line and headers too, one
                        byte every SECONDS (never a stall, never done)
    stall               headers and 1 KiB of the body, then nothing for 600 s
    delay:SECONDS       wait, then answer normally
    redirect:URL        302 to URL (absolute or a path on this server)
    redirect-loop       302 to the same URL, forever
    html-200            200 with an HTML error page instead of the file
    huge[:BYTES]        200, no Content-Length, zeros until the client goes
                        away or BYTES (default 10 GiB) are sent, then close
    huge-chunked[:BYTES] the same with chunked transfer encoding
Body faults apply to GET of existing files (HEAD gets the normal headers).

--tls-cert/--tls-key serve HTTPS instead (the certificate file may hold the
chain after the leaf). The TLS handshake runs in the connection's own
thread, so a client that never finishes it holds up nobody else; a client
that refuses the certificate shows up in the log as nothing at all (it
never sends a request).

--rate drips every GET body that no fault rule changes at that many bytes
per second (a slow link, for the benchmarks), like the fault slow:BPS.

SIGTERM and SIGINT stop the server with status 0.  --exit-with-pid makes it
exit by itself once that process is gone (so a test run that dies does not
leave it behind).
"""

import argparse
import email.utils
import fnmatch
import hashlib
import json
import os
import posixpath
import select
import signal
import socket
import ssl
import socketserver
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

QUIET_ERRORS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError,
                TimeoutError, socket.timeout)
TYPES = {".json": "application/json", ".tab": "text/tab-separated-values",
         ".txt": "text/plain; charset=utf-8", ".asc": "text/plain; charset=utf-8",
         ".xz": "application/x-xz", ".gz": "application/gzip",
         ".html": "text/html; charset=utf-8"}
HTML_ERROR = (b"<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title>"
              b"</head>\n<body><h1>Service Unavailable</h1><p>The mirror is down "
              b"for maintenance. Please try again later.</p></body></html>\n")


def warn(msg):
    sys.stderr.write("mirror.py: %s\n" % msg)
    sys.stderr.flush()


class Faults:
    """Rules from DIR/_faults.json, with per-rule use counts."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.generation = None
        self.used = {}

    def pick(self, urlpath):
        try:
            st = os.stat(self.path)
            with open(self.path, encoding="utf-8") as f:
                rules = json.load(f)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            warn("ignoring unreadable %s: %s" % (self.path, e))
            return None
        if isinstance(rules, dict):
            rules = [rules]
        if not isinstance(rules, list):
            warn("%s: expected a list of rules" % self.path)
            return None
        generation = (st.st_ino, st.st_mtime_ns, st.st_size)
        with self.lock:
            if generation != self.generation:
                self.generation = generation
                self.used = {}
            for i, rule in enumerate(rules):
                if not isinstance(rule, dict) or "fault" not in rule:
                    warn("%s: rule %d has no fault" % (self.path, i))
                    continue
                if not fnmatch.fnmatchcase(urlpath, str(rule.get("match", "*"))):
                    continue
                count = rule.get("count")
                if count is not None:
                    if self.used.get(i, 0) >= int(count):
                        continue
                    self.used[i] = self.used.get(i, 0) + 1
                return str(rule["fault"])
        return None


class Digests:
    """SHA-256 ETags, cached by (path, inode, size, mtime)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.cache = {}

    def etag(self, path, st, data):
        key = (path, st.st_ino, st.st_size, st.st_mtime_ns)
        with self.lock:
            tag = self.cache.get(key)
        if tag is None:
            tag = '"%s"' % hashlib.sha256(data).hexdigest()[:40]
            with self.lock:
                self.cache[key] = tag
        return tag


def etag_list_matches(header, etag):
    """If-None-Match uses the weak comparison."""
    want = etag[2:] if etag.startswith("W/") else etag
    for item in header.split(","):
        item = item.strip()
        if item == "*":
            return True
        if item.startswith("W/"):
            item = item[2:]
        if item == want:
            return True
    return False


def parse_range(header, size):
    """(start, end) inclusive, "unsatisfiable", or None to ignore the header."""
    if not header.startswith("bytes=") or "," in header:
        return None
    spec = header[len("bytes="):].strip()
    first, dash, last = spec.partition("-")
    if not dash:
        return None
    first, last = first.strip(), last.strip()
    try:
        if first == "":
            if not last.isdigit():
                return None
            n = int(last)
            if n == 0 or size == 0:
                return "unsatisfiable"
            return (max(0, size - n), size - 1)
        if not first.isdigit() or (last and not last.isdigit()):
            return None
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size:
        return "unsatisfiable"
    if end < start:
        return None
    return (start, min(end, size - 1))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nodus-test-mirror/1"
    sys_version = ""
    timeout = 120

    # -- plumbing

    def log_message(self, format, *args):   # no stderr chatter
        pass

    def version_string(self):
        return self.server_version

    def handle(self):
        try:
            super().handle()
        except QUIET_ERRORS:
            self.close_connection = True

    def record(self, status):
        h = self.headers
        line = "%s %s %s range=%s inm=%s ims=%s\n" % (
            self.command, self.path, status,
            h.get("Range") or "-", h.get("If-None-Match") or "-",
            h.get("If-Modified-Since") or "-")
        self.server.log(line)

    def start(self, status, headers, length=None):
        self.record(status)
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def simple(self, status, body, ctype="text/plain; charset=utf-8", extra=()):
        self.start(status, [("Content-Type", ctype)] + list(extra), len(body))
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        self.serve()

    def do_HEAD(self):
        self.serve()

    # -- files

    def resolve(self, urlpath):
        rel = urllib.parse.unquote(urlpath)
        if "\0" in rel:
            return None
        rel = posixpath.normpath("/" + rel).lstrip("/")
        root = self.server.root
        full = os.path.realpath(os.path.join(root, rel))
        if full != root and not full.startswith(root + os.sep):
            return None
        if not os.path.isfile(full):
            return None
        return full

    def serve(self):
        urlpath = urllib.parse.urlsplit(self.path).path
        fault = self.server.faults.pick(urlpath)
        if fault is None and self.server.rate:
            fault = "slow:%d" % self.server.rate
        head = self.command == "HEAD"

        if fault is not None and fault.startswith("delay:"):
            time.sleep(float(fault.split(":", 1)[1]))
            fault = None
        if fault == "close":
            self.record("000")
            self.close_connection = True
            return
        if fault is not None and fault.startswith("status:"):
            code = int(fault.split(":", 1)[1])
            self.simple(code, ("fault: status %d\n" % code).encode())
            return
        if fault is not None and fault.startswith("redirect:"):
            self.simple(302, b"", extra=[("Location", fault.split(":", 1)[1])])
            return
        if fault == "redirect-loop":
            self.simple(302, b"", extra=[("Location", self.path)])
            return
        if fault == "html-200":
            self.simple(200, HTML_ERROR, "text/html; charset=utf-8")
            return
        if fault is not None and (fault == "huge" or fault.startswith("huge:")
                                  or fault.startswith("huge-chunked")):
            self.huge(fault)
            return

        full = self.resolve(urlpath)
        if full is None:
            self.simple(404, b"404 Not Found\n")
            return
        with open(full, "rb") as f:
            st = os.fstat(f.fileno())
            data = f.read()
        etag = self.server.digests.etag(full, st, data)
        mtime = int(st.st_mtime)
        lastmod = email.utils.formatdate(mtime, usegmt=True)
        ctype = TYPES.get(os.path.splitext(full)[1], "application/octet-stream")
        validators = [("ETag", etag), ("Last-Modified", lastmod)]

        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = False
        if inm is not None:
            not_modified = etag_list_matches(inm, etag)
        elif ims is not None:
            try:
                not_modified = mtime <= int(email.utils.parsedate_to_datetime(ims).timestamp())
            except (TypeError, ValueError, IndexError, OverflowError):
                not_modified = False
        if not_modified:
            self.start(304, validators)
            return

        size = len(data)
        status, body, extra = 200, data, [("Accept-Ranges", "bytes")]
        rng = self.headers.get("Range")
        if rng is not None:
            if_range = self.headers.get("If-Range")
            if if_range is not None:
                if if_range.startswith('"') or if_range.startswith("W/"):
                    use_range = if_range == etag
                else:
                    use_range = if_range.strip() == lastmod
            else:
                use_range = True
            span = parse_range(rng, size) if use_range else None
            if span == "unsatisfiable":
                self.simple(416, b"416 Range Not Satisfiable\n",
                            extra=validators + [("Content-Range", "bytes */%d" % size)])
                return
            if span is not None:
                start, end = span
                status, body = 206, data[start:end + 1]
                extra.append(("Content-Range", "bytes %d-%d/%d" % (start, end, size)))
        headers = [("Content-Type", ctype)] + validators + extra

        if head or fault is None:
            self.start(status, headers, len(body))
            if not head:
                self.wfile.write(body)
            return
        self.body_fault(fault, status, headers, body)

    # -- faults that mangle a body

    def body_fault(self, fault, status, headers, body):
        n = len(body)
        half = n // 2
        if fault == "truncate":
            self.start(status, headers, n)
            self.wfile.write(body[:half])
            self.close_connection = True
        elif fault == "wrong-length":
            self.start(status, headers, n + max(1024, n))
            self.wfile.write(body)
            self.close_connection = True
        elif fault == "reset":
            self.start(status, headers, n)
            self.wfile.write(body[:half])
            self.reset()
        elif fault == "wrong-bytes":
            mid = max(0, half - 8)
            mangled = body[:mid] + bytes(b ^ 0xFF for b in body[mid:mid + 16]) + body[mid + 16:]
            self.start(status, headers, n)
            self.wfile.write(mangled)
        elif fault.startswith("drip:"):
            self.drip_all(float(fault.split(":", 1)[1]), status, headers, body)
        elif fault.startswith("slow:"):
            rate = max(1, int(fault.split(":", 1)[1]))
            self.start(status, headers, n)
            self.drip(body, rate)
        elif fault == "stall":
            self.start(status, headers, n)
            self.wfile.write(body[:1024])
            self.wait_for_hangup(600)
            self.close_connection = True
        else:
            warn("unknown fault %r" % fault)
            self.simple(500, ("unknown fault %r\n" % fault).encode())

    def drip(self, body, rate):
        chunk = max(1, rate // 20)
        began = time.monotonic()
        sent = 0
        while sent < len(body):
            piece = body[sent:sent + chunk]
            self.wfile.write(piece)
            sent += len(piece)
            ahead = sent / rate - (time.monotonic() - began)
            if ahead > 0:
                time.sleep(ahead)

    def drip_all(self, gap, status, headers, body):
        """Status line, headers and body, one byte every `gap` seconds,
        until all is sent, the client goes away or the server stops."""
        self.record(status)
        lines = ["HTTP/1.1 %d %s" % (status, self.responses.get(status, ("",))[0])]
        lines += ["%s: %s" % (k, v) for k, v in headers]
        lines += ["Content-Length: %d" % len(body), "", ""]
        raw = "\r\n".join(lines).encode("latin-1") + body
        self.close_connection = True
        for i in range(len(raw)):
            if self.server.stopping:
                return
            self.wfile.write(raw[i:i + 1])
            time.sleep(gap)

    def wait_for_hangup(self, seconds):
        """Sleep up to `seconds`, but return as soon as the client goes away."""
        deadline = time.monotonic() + seconds
        sock = self.connection
        while time.monotonic() < deadline and not self.server.stopping:
            try:
                readable, _, _ = select.select([sock], [], [], 1.0)
                if readable:
                    if not sock.recv(4096):
                        return
                    time.sleep(0.2)
            except (OSError, ValueError):
                return

    def reset(self):
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            # The socket closes (and sends RST) only when no file object
            # made from it is still open.
            self.rfile.close()
            self.connection.close()
        except OSError:
            pass

    def huge(self, fault):
        name, _, limit = fault.partition(":")
        limit = int(limit) if limit else 10 << 30
        chunked = name == "huge-chunked"
        headers = [("Content-Type", "application/octet-stream")]
        if chunked:
            headers.append(("Transfer-Encoding", "chunked"))
        else:
            headers.append(("Connection", "close"))
        self.start(200, headers)
        self.close_connection = True
        if self.command == "HEAD":
            return
        block = bytes(65536)
        sent = 0
        while sent < limit and not self.server.stopping:
            piece = block[:min(len(block), limit - sent)]
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                self.wfile.write(piece)
            sent += len(piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")


class Server(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, addr, root, logpath, tls=None):
        super().__init__(addr, Handler)
        self.tls = tls
        self.root = os.path.realpath(root)
        self.faults = Faults(os.path.join(self.root, "_faults.json"))
        self.digests = Digests()
        self.rate = 0
        self.stopping = False
        self.log_lock = threading.Lock()
        self.logfile = open(logpath, "a", encoding="utf-8") if logpath else None

    def log(self, line):
        if self.logfile is None:
            return
        with self.log_lock:
            self.logfile.write(line)
            self.logfile.flush()

    def finish_request(self, request, client_address):
        # In the connection's thread: the handshake, then the requests.
        if self.tls is not None:
            request.settimeout(30)
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                request.close()     # e.g. the client refused the certificate
                return
            request.settimeout(None)
            try:
                super().finish_request(request, client_address)
            finally:
                request.close()
            return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, QUIET_ERRORS) or isinstance(exc, OSError):
            return
        super().handle_error(request, client_address)


def write_port(path, port):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def watch_pid(pid):
    while True:
        time.sleep(1)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


def main():
    ap = argparse.ArgumentParser(description="HTTP mirror with fault injection for tests.")
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--exit-with-pid", type=int)
    ap.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    ap.add_argument("--tls-key", help="the certificate's private key (PEM)")
    ap.add_argument("--rate", type=int, default=0, help="drip bodies at this many bytes per second")
    args = ap.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key):
        warn("--tls-cert and --tls-key go together")
        return 2
    tls = None
    if args.tls_cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args.tls_cert, args.tls_key)

    if not os.path.isdir(args.root):
        warn("no such directory: %s" % args.root)
        return 2
    server = Server(("127.0.0.1", args.port), args.root, args.log, tls)
    server.rate = max(0, args.rate)

    def stop(signum, frame):
        server.stopping = True
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.exit_with_pid:
        threading.Thread(target=watch_pid, args=(args.exit_with_pid,), daemon=True).start()
    write_port(args.port_file, server.server_address[1])
    try:
        server.serve_forever(poll_interval=0.2)
    except SystemExit:
        pass
    finally:
        server.stopping = True
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
