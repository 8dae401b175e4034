"""Support for edge_test.py: the server + nginx pair on loopback, a raw HTTP/1.1 client over TLS that can
lie about framing, slow clients, and process memory. Standard library only."""
import contextlib
import json
import os
import re
import selectors
import socket
import ssl
import subprocess
import sys
import time

_checks = 0


def fail(message):
    print("edge: FAIL: " + message, file=sys.stderr, flush=True)
    sys.exit(1)


def check(condition, message):
    global _checks
    if not condition:
        fail(message)
    _checks += 1


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name.lower(), "")

    def json_code(self):
        try:
            return json.loads(self.body)["error"]["code"]
        except (ValueError, KeyError, TypeError):
            return ""


def read_answer(sock):
    """Reads one HTTP/1.1 answer (Content-Length, chunked or close-delimited)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0] if lines else "")
    if not m:
        return Answer(-1, {}, b"")
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    body = rest
    if "content-length" in headers:
        n = int(headers["content-length"])
        while len(body) < n:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        body = body[:n]
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        out = b""
        while True:
            while b"\r\n" not in body:
                chunk = sock.recv(65536)
                if not chunk:
                    return Answer(int(m.group(1)), headers, out)
                body += chunk
            size_line, _, body = body.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(body) < size + 2:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                body += chunk
            if size == 0:
                break
            out += body[:size]
            body = body[size + 2:]
        body = out
    return Answer(int(m.group(1)), headers, body)


def http_request(edge, method, path, body=b"", headers=None, chunked=None, source=None, tls=True, port=None):
    """One request on a fresh connection. chunked="Chunked" sends the body chunked under that spelling."""
    sock = edge.connect(source=source, tls=tls, port=port)
    try:
        head = f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        for k, v in (headers or {}).items():
            head += f"{k}: {v}\r\n"
        if chunked:
            head += f"Transfer-Encoding: {chunked}\r\n"
        elif body or method in ("POST", "PUT"):
            head += f"Content-Length: {len(body)}\r\n"
        try:
            sock.sendall(head.encode("latin-1") + b"\r\n")
            if chunked:
                step = 1 << 16
                for i in range(0, len(body), step):
                    part = body[i:i + step]
                    sock.sendall(b"%x\r\n" % len(part) + part + b"\r\n")
                sock.sendall(b"0\r\n\r\n")
            else:
                step = 1 << 16
                for i in range(0, len(body), step):
                    sock.sendall(body[i:i + step])
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass  # refused while sending: the answer is already on its way
        return read_answer(sock)
    finally:
        sock.close()


@contextlib.contextmanager
def slow_clients(edge, n):
    """n connections, each from its own loopback address, that complete TLS and then send their request head
    one byte a second from one background thread; closed on exit."""
    import threading

    class Crowd:
        connected = 0

    crowd, socks, stop = Crowd(), [], threading.Event()
    for i in range(n):
        s = edge.connect(source=f"127.0.{10 + i // 200}.{1 + i % 200}")
        s.sendall(b"G")
        socks.append(s)
    crowd.connected = len(socks)
    payload = b"ET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 1000

    def drip():
        k = 0
        while not stop.wait(1.0):
            for s in socks:
                with contextlib.suppress(OSError):
                    s.send(payload[k % len(payload):k % len(payload) + 1])
            k += 1

    t = threading.Thread(target=drip, daemon=True)
    t.start()
    try:
        yield crowd
    finally:
        stop.set()
        t.join()
        for s in socks:
            s.close()


class Edge:
    """mizumori serve (test mode, demo data) + nginx with deploy/nginx/mizumori.conf, on loopback."""

    def __init__(self, binary, root, tmp, dist):
        self.binary, self.root, self.tmp, self.dist = binary, root, tmp, dist
        self.server = self.nginx = None
        self.figures = {}
        self.ctx = ssl.create_default_context()
        self.ctx.check_hostname = False
        self.ctx.verify_mode = ssl.CERT_NONE

    def record(self, name, value):
        self.figures[name] = value

    def checks(self):
        return _checks

    def url(self, path):
        return f"https://127.0.0.1:{self.https_port}{path}"

    def connect(self, source=None, tls=True, port=None):
        raw = socket.create_connection(("127.0.0.1", port or self.https_port), timeout=30,
                                       source_address=(source, 0) if source else None)
        return self.ctx.wrap_socket(raw) if tls else raw

    def paced_post(self, path, body, source, headers=None):
        """POSTs, retrying (after the proxy's own pause) while the proxy's per-client rate limit refuses: the
        shipped limits are 2 POSTs a second on the sign-in routes, so this is pacing, not synchronisation."""
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        for _ in range(20):
            r = http_request(self, "POST", path, body=body, headers=h, source=source)
            if r.status == 429 and not r.json_code():  # nginx's own refusal (HTML), not the server's
                time.sleep(0.5)
                continue
            return r
        fail("the proxy kept refusing a paced client")

    def server_connections(self):
        """Established TCP connections to the server's port (from /proc/net/tcp)."""
        port_hex = "%04X" % self.server_port
        n = 0
        with open("/proc/net/tcp") as f:
            for line in f.readlines()[1:]:
                parts = line.split()
                if parts[1].endswith(":" + port_hex) and parts[3] == "01":
                    n += 1
        return n

    def server_threads_busy(self):
        return self.server_connections()

    def __enter__(self):
        self._start_server()
        self._make_certificate()
        self._start_nginx()
        return self

    def __exit__(self, *exc):
        for p in (self.nginx, self.server):
            if p and p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()

    def _start_server(self):
        data = os.path.join(self.tmp, "data")
        subprocess.run([self.binary, "demo-data", "--data", data], check=True, capture_output=True)
        cfg = {"listen": "127.0.0.1:0", "data_dir": data, "test_mode": True, "secure_cookies": True,
               "auth": {"scrypt_log2_n": 4}}
        if self.dist:
            cfg["web_dir"] = self.dist
        path = os.path.join(self.tmp, "server.json")
        with open(path, "w") as f:
            json.dump(cfg, f)
        self.server = subprocess.Popen([self.binary, "serve", "--config", path], stdout=subprocess.PIPE,
                                       stderr=open(os.path.join(self.tmp, "server.log"), "w"), text=True)
        line = self.server.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            fail("server did not start: " + line)
        self.server_port = int(m.group(1))

    def _make_certificate(self):
        self.cert, self.key = os.path.join(self.tmp, "cert.pem"), os.path.join(self.tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", self.key, "-out", self.cert, "-days", "2", "-subj", "/CN=localhost"],
                       check=True, capture_output=True)

    def _site_config(self, https_port, http_port):
        with open(os.path.join(self.root, "deploy/nginx/mizumori.conf")) as f:
            conf = f.read()
        conf = conf.replace("server 127.0.0.1:8080;", f"server 127.0.0.1:{self.server_port};")
        conf = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", conf)
        conf = conf.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
        conf = conf.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        conf = conf.replace("/etc/ssl/mizumori/fullchain.pem", self.cert)
        conf = conf.replace("/etc/ssl/mizumori/privkey.pem", self.key)
        return conf

    def _start_nginx(self):
        prefix = os.path.join(self.tmp, "nginx")
        os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
        for d in ("body", "proxy"):
            os.makedirs(os.path.join(prefix, d), exist_ok=True)
            os.chmod(os.path.join(prefix, d), 0o777)  # the workers run as nobody when the tests run as root
        os.chmod(self.tmp, 0o755)
        os.chmod(prefix, 0o755)
        for attempt in range(8):
            https_port, http_port = _free_port(), _free_port()
            with open(os.path.join(prefix, "site.conf"), "w") as f:
                f.write(self._site_config(https_port, http_port))
            main = f"""
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    include {prefix}/site.conf;
}}
"""
            with open(os.path.join(prefix, "nginx.conf"), "w") as f:
                f.write(main)
            nginx = "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else "nginx"
            self.nginx = subprocess.Popen([nginx, "-p", prefix, "-c", os.path.join(prefix, "nginx.conf"),
                                           "-e", os.path.join(prefix, "logs", "error.log"),
                                           "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
            if _wait_listening(self.nginx, https_port):
                self.https_port, self.http_port = https_port, http_port
                return
            err = self.nginx.stderr.read() if self.nginx.poll() is not None else ""
            if "Address already in use" not in err:
                fail("nginx did not start: " + err)
        fail("nginx: no free port after 8 attempts")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(proc, port):
    """True once `port` accepts connections; False if the process ended first."""
    while proc.poll() is None:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
        time.sleep(0.05)
    return False
