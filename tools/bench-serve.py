#!/usr/bin/env python3
"""Latency of `zirkel serve` (and `zola serve` beside it): from saving an entry to the
reload message reaching a client.

   python3 tools/bench-serve.py [--zola PATH] [--rounds R] [N ...]   (default N: 1000 10000)

For each N: generates N entries with ../shared/tools/gen-corpus.py (seed 1), starts
`target/release/zirkel serve` on a free port, opens the Server-Sent-Events stream like
a browser, then saves one entry 20 times and measures the time until the `reload`
event arrives. Two kinds of save:

  text  appends a sentence to the entry's text (what a contributor does while writing)
  tags  rewrites the entry's `tags:` line (changes listings and related entries)

Saves are 0.3 s apart; messages that arrive between saves are dropped before the next
save. Also reported: the server's CPU time (user+sys, from /proc)
over the 20 saves, divided by 20, which includes the background work (search index,
feeds, exports) that follows each reload.

With --zola PATH, the same N entries are converted to a Zola site (one section per
field, a `tags` taxonomy, minimal templates) and `zola serve` is measured the same way
over its live-reload WebSocket, alternating with zirkel round by round; once with
Zola's default debounce (1000 ms) and once with `--debounce 10`, like zirkel's 10 ms.
"""
import argparse, base64, os, pathlib, re, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

ROOT = pathlib.Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "tools" / "gen-corpus.py"
BIN = ROOT / "target" / "release" / "zirkel"
EDITS = 20


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Stream:
    """A socket read line by line or by bytes; `drain` drops whatever has arrived, so a
    late message of an earlier save is never taken for the reload of the next one."""

    def __init__(self, sock):
        self.sock, self.buf = sock, bytearray()

    def fill(self, timeout):
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except (socket.timeout, BlockingIOError):
            return False
        if not data:
            raise EOFError
        self.buf += data
        return True

    def readline(self):
        while b"\n" not in self.buf:
            self.fill(None)
        i = self.buf.index(b"\n") + 1
        line, self.buf = bytes(self.buf[:i]), self.buf[i:]
        return line

    def read(self, n):
        while len(self.buf) < n:
            self.fill(None)
        data, self.buf = bytes(self.buf[:n]), self.buf[n:]
        return data

    def drain(self):
        while self.fill(0.0):
            pass
        self.buf.clear()


class SSE:
    """zirkel's event stream: waits for `event: reload`."""

    def __init__(self, port):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /__zirkel/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        self.f = Stream(s)

    def next(self):
        name = None
        while True:
            line = self.f.readline().decode().rstrip("\r\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line == "" and name:
                return name


class WS:
    """Zola's live-reload WebSocket: waits for a text frame with `"reload"`."""

    def __init__(self, port):
        s = socket.create_connection(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall((f"GET /livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        self.f = Stream(s)
        status = self.f.readline()
        assert b" 101 " in status, status
        while self.f.readline() not in (b"\r\n", b""):
            pass

    def frame(self):
        b0, b1 = self.f.read(2)
        n = b1 & 0x7F
        if n == 126:
            n = int.from_bytes(self.f.read(2), "big")
        elif n == 127:
            n = int.from_bytes(self.f.read(8), "big")
        return b0 & 0x0F, self.f.read(n)

    def next(self):
        while True:
            op, data = self.frame()
            if op == 1 and b'"reload"' in data:
                return "reload"


def save(entry, kind, i):
    if kind == "text":
        with open(entry, "a", encoding="utf-8") as fh:
            fh.write(f"\nNeuer Satz {i}.\n")
    else:
        text = entry.read_text(encoding="utf-8")
        key = "tags = " if entry.suffix == ".md" and text.startswith("+++") else "tags: "
        new = f"[Bench{i % 2}, Sprache]" if key == "tags: " else f'["Bench{i % 2}", "Sprache"]'
        text = re.sub(rf"^{re.escape(key)}.*$", key + new, text, count=1, flags=re.M)
        entry.write_text(text, encoding="utf-8")


def measure(cmd, cwd, port, client, entry, kind):
    proc = subprocess.Popen(cmd, cwd=cwd, stderr=subprocess.STDOUT, stdout=subprocess.PIPE)
    try:
        while True:  # wait until the server is announced
            line = proc.stdout.readline().decode()
            if "http://" in line or not line:
                break
        # Keep the pipe drained so the server never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
        time.sleep(0.5)
        c = client(port)
        if isinstance(c, SSE):
            assert c.next() == "hello"
        time.sleep(1.0)
        times = []
        cpu0 = cpu_seconds(proc.pid)
        for i in range(EDITS):
            time.sleep(0.3)
            c.f.drain()
            t0 = time.perf_counter()
            save(entry, kind, i)
            ev = c.next()
            times.append((time.perf_counter() - t0) * 1000)
            assert ev == "reload", ev
        cpu = (cpu_seconds(proc.pid) - cpu0) / EDITS * 1000
        return times, cpu
    finally:
        proc.kill()
        proc.wait()


def zola_site(corpus, dest):
    """The corpus as a Zola site: sections by field, a tags taxonomy, same bodies."""
    (dest / "templates").mkdir(parents=True)
    (dest / "config.toml").write_text('base_url = "http://127.0.0.1"\ntitle = "Bench"\n'
                                      'taxonomies = [{ name = "tags" }]\n', encoding="utf-8")
    t = dest / "templates"
    t.joinpath("index.html").write_text(
        "<html><body><ul>{% for s in section.subsections %}{% set sec = get_section(path=s) %}"
        "<li><a href=\"{{ sec.permalink }}\">{{ sec.title }}</a></li>{% endfor %}</ul></body></html>")
    t.joinpath("section.html").write_text(
        "<html><body><h1>{{ section.title }}</h1><ul>{% for p in section.pages %}"
        "<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a> {{ p.description }}</li>{% endfor %}</ul></body></html>")
    t.joinpath("page.html").write_text(
        "<html><body><h1>{{ page.title }}</h1><p>{{ page.description }}</p>{{ page.content | safe }}"
        "{% for tag in page.taxonomies.tags | default(value=[]) %}<a href=\"{{ get_taxonomy_url(kind='tags', name=tag) }}\">{{ tag }}</a>{% endfor %}"
        "</body></html>")
    t.joinpath("taxonomy_list.html").write_text(
        "<html><body>{% for term in terms %}<a href=\"{{ term.permalink }}\">{{ term.name }}</a>{% endfor %}</body></html>")
    t.joinpath("taxonomy_single.html").write_text(
        "<html><body><h1>{{ term.name }}</h1>{% for p in term.pages %}<a href=\"{{ p.permalink }}\">{{ p.title }}</a> {{ p.description }}{% endfor %}</body></html>")
    content = dest / "content"
    content.mkdir()
    (content / "_index.md").write_text("+++\ntitle = \"Start\"\n+++\n")
    for md in sorted((corpus / "content").rglob("*.md")):
        text = md.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        field = re.search(r"^field: (.*)$", front, re.M).group(1).strip()
        title = re.search(r"^title: (.*)$", front, re.M).group(1).strip().strip('"')
        summary = re.search(r"^summary: (.*)$", front, re.M).group(1).strip().strip('"')
        tags = re.search(r"^tags: \[(.*)\]$", front, re.M)
        tags = [x.strip() for x in tags.group(1).split(",")] if tags else []
        sec = content / field
        if not sec.exists():
            sec.mkdir()
            (sec / "_index.md").write_text(f"+++\ntitle = \"{field}\"\n+++\n")
        esc = lambda s: s.replace("\\", "\\\\").replace('"', '\\"')
        (sec / md.name).write_text(
            f"+++\ntitle = \"{esc(title)}\"\ndescription = \"{esc(summary)}\"\n[taxonomies]\n"
            f"tags = [{', '.join(chr(34) + esc(x) + chr(34) for x in tags)}]\n+++\n{body}", encoding="utf-8")


def report(label, runs):
    times = [t for r in runs for t in r[0]]
    cpus = [r[1] for r in runs]
    meds = [statistics.median(r[0]) for r in runs]
    print(f"{label}: save → reload, {len(runs)}×{EDITS} saves: median {statistics.median(times):.0f} ms "
          f"(round medians {', '.join(f'{m:.0f}' for m in meds)}; min {min(times):.0f}, max {max(times):.0f}); "
          f"CPU per save {statistics.median(cpus):.0f} ms", flush=True)


def run(n, rounds, zola):
    work = pathlib.Path(tempfile.mkdtemp(prefix="zirkel-serve-bench-"))
    try:
        corpus = work / "zirkel"
        subprocess.run([sys.executable, str(GEN), str(n), str(corpus)], check=True, stdout=subprocess.DEVNULL)
        entry = sorted((corpus / "content").rglob("*.md"))[0]
        if zola:
            zsite = work / "zola"
            zola_site(corpus, zsite)
            zentry = sorted(p for p in (zsite / "content").rglob("*.md") if p.name != "_index.md")[0]
        for kind in ("text", "tags"):
            results = {}
            for r in range(rounds):
                port = free_port()
                results.setdefault("zirkel", []).append(measure(
                    [str(BIN), "serve", "--port", str(port)], corpus, port, SSE, entry, kind))
                if zola:
                    for deb in ("1000", "10"):
                        port = free_port()
                        results.setdefault(f"zola serve --debounce {deb}", []).append(measure(
                            [zola, "serve", "--port", str(port), "--debounce", deb], zsite, port, WS,
                            zentry, kind))
            for label, runs in results.items():
                report(f"{n} entries, {kind} save, {label}", runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="*", default=["1000", "10000"])
    ap.add_argument("--zola")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    if not os.environ.get("NO_BUILD"):
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    for n in a.sizes:
        run(int(n), a.rounds, a.zola)
