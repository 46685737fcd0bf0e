#!/usr/bin/env python3
"""Latency of `zirkel serve`: from saving an entry to the reload event reaching a client.

   python3 tools/bench-serve.py [N ...]      (default: 1000 10000)

For each N: generates N entries with ../shared/tools/gen-corpus.py (seed 1), starts
`target/release/zirkel serve` on a free port, opens the Server-Sent-Events stream like
a browser, then 20 times appends a sentence to one entry and measures the time until
the `reload` event arrives. Prints the median and the spread.
"""
import os, pathlib, shutil, socket, statistics, subprocess, sys, tempfile, time

ROOT = pathlib.Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "tools" / "gen-corpus.py"
BIN = ROOT / "target" / "release" / "zirkel"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def events(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__zirkel/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
    return s.makefile("rb")


def next_event(f):
    name = None
    while True:
        line = f.readline()
        if not line:
            return None
        line = line.decode().rstrip("\r\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line == "" and name:
            return name


def run(n):
    work = pathlib.Path(tempfile.mkdtemp(prefix="zirkel-serve-bench-"))
    try:
        subprocess.run([sys.executable, str(GEN), str(n), str(work)], check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        proc = subprocess.Popen([str(BIN), "serve", "--port", str(port)], cwd=work,
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        while True:  # wait until the preview is announced
            line = proc.stderr.readline().decode()
            if "http://" in line or not line:
                break
        f = events(port)
        assert next_event(f) == "hello"
        entry = sorted((work / "content").rglob("*.md"))[0]
        times = []
        for i in range(20):
            time.sleep(0.3)
            t0 = time.perf_counter()
            with open(entry, "a", encoding="utf-8") as fh:
                fh.write(f"\nNeuer Satz {i}.\n")
            ev = next_event(f)
            times.append((time.perf_counter() - t0) * 1000)
            assert ev == "reload", ev
        proc.kill()
        proc.wait()
        print(f"{n} entries: save → reload event, 20 edits: median {statistics.median(times):.0f} ms, "
              f"min {min(times):.0f} ms, max {max(times):.0f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if not os.environ.get("NO_BUILD"): subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    for n in (sys.argv[1:] or ["1000", "10000"]):
        run(int(n))
