#!/usr/bin/python3
"""The shipped edge (deploy/nginx/mizumori.conf) in front of a real `mizumori serve`, attacked as a hostile
laptop would: slow clients, header floods, oversized and disguised bodies, many clients behind one proxy.

Usage: edge_test.py MIZUMORI_BINARY REPO_ROOT [WEB_DIST]
Starts everything on loopback in a temporary folder and stops it again; exits non-zero on the first failed
check. Python's standard library only (Debian's /usr/bin/python3), plus nginx, openssl and curl from Debian.
Clients that must be told apart by the proxy connect from distinct loopback addresses (127.0.x.y).
"""
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

from edge_support import Edge, fail, check, rss_kib, http_request, read_answer, slow_clients

BIN, ROOT = sys.argv[1], sys.argv[2]
DIST = sys.argv[3] if len(sys.argv) > 3 and os.path.isdir(sys.argv[3]) else ""


def test_http2_and_hsts(edge):
    out = subprocess.run(["curl", "-sk", "--http2", "-o", "/dev/null", "-D", "-", "-w", "%{http_version}",
                          edge.url("/healthz")], capture_output=True, text=True, check=True).stdout
    check(out.rstrip().endswith("2"), "HTTP/2 over TLS: curl reports version " + out[-3:])
    check(re.search(r"(?im)^strict-transport-security: max-age=\d+", out) is not None, "HSTS header on answers")
    plain = http_request(edge, "GET", "/healthz", tls=False, port=edge.http_port)
    check(plain.status == 301 and plain.header("location").startswith("https://"), "http:// redirects to https")


def test_slow_clients(edge):
    """200 clients (each from its own address) send their request head one byte a second; normal clients
    are still served within a second, and the server never sees the slow ones."""
    before = edge.server_threads_busy()
    with slow_clients(edge, 200) as crowd:
        check(crowd.connected >= 200, f"200 slow clients connected ({crowd.connected})")
        worst = 0.0
        for i in range(10):
            t0 = time.monotonic()
            r = http_request(edge, "GET", "/api/v1/calendar/2026", source=f"127.0.9.{i + 1}")
            worst = max(worst, time.monotonic() - t0)
            check(r.status == 200, f"normal client served while 200 slow clients hang on ({r.status})")
        check(worst < 1.0, f"normal client latency under 200 slow clients: worst {worst:.3f} s (< 1 s)")
        check(edge.server_threads_busy() <= before + 1, "the slow clients never reached the server")
    edge.record("slow_clients_worst_latency_s", round(worst, 3))


def test_header_flood(edge):
    """A request with 1,000,000 header lines (and 4 in parallel) is refused by the proxy; neither the proxy
    nor the server grows."""
    rss_before = rss_kib(edge.server.pid)
    results = []

    def flood(n):
        s = edge.connect(source=f"127.0.8.{n + 1}")
        status = 0
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
            chunk = b"X-A: b\r\n" * 10000
            for _ in range(100):
                s.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass
        try:
            head = s.recv(4096).decode("latin-1", "replace")
            m = re.match(r"HTTP/1\.[01] (\d{3})", head)
            status = int(m.group(1)) if m else -1
        except (ConnectionResetError, ssl.SSLError, OSError):
            status = -1  # reset before an answer: refused too
        s.close()
        results.append(status)

    threads = [threading.Thread(target=flood, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(all(s in (400, 431, -1) for s in results), f"header floods refused at the edge: {results}")
    grown = rss_kib(edge.server.pid) - rss_before
    check(grown < 20 * 1024, f"server memory after 4 header floods grew {grown} KiB (< 20 MiB)")
    edge.record("header_flood_server_growth_kib", grown)
    # A normal request with a few large headers still passes.
    r = http_request(edge, "GET", "/healthz", headers={"X-Big": "a" * 6000})
    check(r.status == 200, "a 6 KB header is still served")


def test_body_limits(edge):
    """Bodies over the route's limit are refused while being read, in every framing."""
    big = b"x" * (2 << 20)
    r = http_request(edge, "POST", "/api/v1/signup/start", body=big, headers={"Content-Type": "application/json"})
    check(r.status == 413, f"2 MiB sign-up body (Content-Length) → 413 ({r.status})")
    for te in ("chunked", "Chunked", "CHUNKED"):
        r = http_request(edge, "POST", "/api/v1/signup/start", body=big, chunked=te,
                         headers={"Content-Type": "application/json"})
        check(r.status == 413, f"2 MiB sign-up body (Transfer-Encoding: {te}) → 413 ({r.status})")
    r = http_request(edge, "POST", "/api/v1/ingest/readings", body=b"[]" + b" " * (4 << 20),
                     headers={"Content-Type": "application/json"})
    check(r.status == 401, f"4 MiB ingest body passes the edge and meets the token check ({r.status})")
    r = http_request(edge, "POST", "/api/v1/ingest/readings", body=b" " * (33 << 20), chunked="chunked",
                     headers={"Content-Type": "application/json", "Authorization": "Bearer x"})
    check(r.status == 413, f"33 MiB chunked ingest body → 413 ({r.status})")


def test_forwarded_client(edge):
    """Per-client limits key on the client behind the proxy: one client's failed logins lock out that client
    only, and a client cannot choose its address by sending X-Forwarded-For itself."""
    a, b = "127.0.5.1", "127.0.5.2"
    body = lambda n: json.dumps({"email": f"nobody{n}@example.jp", "password": "wrong-password-1"}).encode()
    server_refusals = 0
    for n in range(40):
        r = edge.paced_post("/api/v1/login", body(n), source=a, headers={"X-Forwarded-For": f"10.9.{n}.1"})
        if r.status == 429 and r.json_code() == "rate_limited":
            server_refusals += 1
            break
        check(r.status == 401, f"failed login from A → 401 until the per-client limit ({r.status})")
    check(server_refusals == 1, "the server's per-client login limit reached client A despite forged X-Forwarded-For")
    r = edge.paced_post("/api/v1/login", body(99), source=b)
    check(r.status == 401 and r.json_code() == "login_failed",
          f"client B is not locked out by A's failures ({r.status} {r.json_code()})")


def test_range_and_api(edge):
    r = http_request(edge, "GET", "/api/v1/calendar/2026", headers={"Range": "bytes=0-," * 900 + "0-9"})
    check(r.status == 200 and r.header("content-range") == "", f"Range ignored on API answers ({r.status})")
    json.loads(r.body)
    if not DIST:
        return
    full = http_request(edge, "GET", "/", headers={"Accept-Encoding": "identity"})
    r = http_request(edge, "GET", "/", headers={"Range": "bytes=0-9", "Accept-Encoding": "identity"})
    check(r.status == 206 and r.body == full.body[:10], f"one range of a static file → 206 ({r.status})")
    check(r.header("content-range") == f"bytes 0-9/{len(full.body)}", "Content-Range carries the true length")
    for shape in ("items=0-5", "bytes=abc", "bytes=-", "bytes=0-1,3-4"):
        r = http_request(edge, "GET", "/", headers={"Range": shape, "Accept-Encoding": "identity"})
        check(r.status == 200 and r.body == full.body, f"Range {shape!r} on a static file → the whole file ({r.status})")


def test_framing_shapes(edge):
    """Head shapes a front and a back end may frame differently (request smuggling) never pass the edge: a
    Transfer-Encoding that is empty, folded onto the next line, or not exactly chunked, next to Content-Length."""
    shapes = {
        "empty Transfer-Encoding": "Transfer-Encoding: \r\nContent-Length: 2\r\n",
        "blank Transfer-Encoding": "Transfer-Encoding:   \r\nContent-Length: 2\r\n",
        "folded Transfer-Encoding": "Transfer-Encoding:\r\n chunked\r\nContent-Length: 2\r\n",
        "folded other header": "X-Note: a\r\n chunked\r\nContent-Length: 2\r\n",
        "tab before chunked": "Transfer-Encoding:\tchunked\r\nContent-Length: 2\r\n",
        "identity, chunked": "Transfer-Encoding: identity, chunked\r\n",
    }
    for name, lines in shapes.items():
        sock = edge.connect()
        try:
            sock.sendall(("POST /api/v1/login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                          "Content-Type: application/json\r\n" + lines + "\r\n{}").encode())
            r = read_answer(sock)
        finally:
            sock.close()
        check(r.status in (400, 501) and r.json_code() == "",
              f"{name} next to a body is refused by the proxy itself ({r.status} {r.json_code()!r})")


def main():
    for tool in ("nginx", "openssl", "curl"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            fail(f"{tool} is not installed (scripts/setup installs it)")
    with tempfile.TemporaryDirectory(prefix="mizu-edge-") as tmp:
        with Edge(BIN, ROOT, tmp, DIST) as edge:
            tests = [test_http2_and_hsts, test_range_and_api, test_framing_shapes, test_body_limits, test_header_flood,
                     test_slow_clients, test_forwarded_client]
            for t in tests:
                print(f"edge: {t.__name__} …", flush=True)
                t(edge)
            print("edge: all %d checks passed; %s" % (edge.checks(), json.dumps(edge.figures)), flush=True)


if __name__ == "__main__":
    main()
