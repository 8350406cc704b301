#!/usr/bin/env python3
"""larchd under abuse: hostile and broken clients all at once, while a
well-behaved client checks every answer and times it.

  abuse.py --unix unix:PATH --tcp HOST:PORT --pid PID --facts FILE
           [--seconds 20] [--idle 1000] [--idle-timeout 5] [--patience 30]
           [--slow 1]

FILE is JSON from the test's corpus generator: {"words": [...], "mids":
[...], "common": WORD (in every message)}.  The daemon must run with
idle_timeout = --idle-timeout and max_connections above --idle + 100.

First a quiet connection records the expected answer (exact bytes) of
every request the clients will send, the daemon's descriptors are
counted, and the well-behaved client runs alone for 2 s (its quiet
latency).  Then, for --seconds, each in its own process:

  good        two connections (unix text, TCP JSON) issue queries, each
              answer compared byte for byte and timed
  idle        --idle connections (half unix, half TCP) that send nothing;
              each one the server closes (idle timeout) is opened again
  stallers    send half a request line and stop; reopened when closed
  tricklers   send a request line a byte every 0.4 s and never end it
  readers     pipeline 300 large searches and never read; reopened
              when the server gives up on them
  bigline     a 10 MB request line, then a query: 506, then the answer
  binary      512 KB of random bytes, then a query: one 5xx per line,
              framing intact, then the answer
  pipeline    10,000 pipelined commands in one write, each answer checked
  vanish      clients that send queries and disappear, half with a RST

Afterwards no new connection is made; the ones left must be closed by the
server (idle and write timeouts), and its descriptor count must come back
to where it was.  The last line of output is JSON with every figure;
progress goes to stderr.
"""

import argparse
import json
import multiprocessing as mp
import os
import random
import resource
import select
import selectors
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import larchc  # noqa: E402


def say(msg):
    print("abuse: " + msg, file=sys.stderr, flush=True)


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100.0 * len(xs)))]


def is_over(args, t_end, now, still_open):
    """Whether a group of abusers stops: the abuse is over and the server
    closed them all, or it had time enough to."""
    return now >= t_end + args.idle_timeout * 2 + 5 * args.slow or (
        now >= t_end and not still_open)


def recv_some(s):
    """What a non-blocking socket has: None when nothing yet, b"" when the
    server closed it (a reset included)."""
    try:
        return s.recv(4096)
    except BlockingIOError:
        return None
    except ConnectionResetError:
        return b""


def raw_connect(addr, timeout=10.0):
    fam, where = larchc.parse_addr(addr)
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(where)
    return s


def fd_count(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return None


def status_kb(pid, key):
    try:
        for line in open("/proc/%d/status" % pid):
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


# --- the requests and their expected answers -------------------------------

def good_requests(facts):
    w, m, c = facts["words"], facts["mids"], facts["common"]
    reqs = []
    for i in range(12):
        a, b = w[i % len(w)], w[(i * 7 + 3) % len(w)]
        reqs += ["COUNT -- %s" % a, "SEARCH LIMIT 10 -- %s" % a,
                 "SEARCH LIMIT 5 SORT newest -- %s OR %s" % (a, b),
                 "COUNT THREADS -- %s %s" % (a, b)]
    for mid in m[:12]:
        reqs += ["THREAD %s" % mid, "SHOW %s" % mid, "SUMMARY %s" % mid]
    reqs += ["COUNT -- %s" % c, "LISTS"]
    return reqs


def pipeline_requests(facts):
    w, m = facts["words"], facts["mids"]
    return ["COUNT -- %s" % w[0], "SEARCH LIMIT 3 -- %s" % w[1],
            "THREAD %s" % m[0], "SHOW %s" % m[1], "FROB", "",
            "SEARCH LIMIT 5000 -- x", "COUNT -- %s OR %s" % (w[2], w[3]),
            "SUMMARY %s" % m[2], "CAPABILITIES"]


def record(addr, reqs):
    """Each request's answer, per format, on a quiet connection."""
    c = larchc.Client(addr, timeout=60)
    c.greeting()
    want = {}
    for fmt in ("text", "json"):
        c.command("FORMAT " + fmt)
        for r in reqs:
            want[(fmt, r)] = c.command(r).raw
    c.close()
    return want


# --- the clients --------------------------------------------------------------

def good(args, reqs, want, t_end, out):
    """Queries on two connections, paced, every answer checked."""
    conns = []

    def open_conn(addr, fmt):
        c = larchc.Client(addr, timeout=15 * args.slow)
        c.greeting()
        c.command("FORMAT " + fmt)
        return c

    plan = [(args.unix, "text"), (args.tcp, "json")]
    conns = [open_conn(a, f) for a, f in plan]
    used = [time.monotonic()] * 2
    lat, wrong, errors, n = [], [], [], 0
    rnd = random.Random(11)
    while time.monotonic() < t_end:
        k = n % 2
        r = rnd.choice(reqs)
        fmt = plan[k][1]
        # A client that knows the idle timeout: a connection left alone
        # that long (slow answers on the other one) is opened again.
        if time.monotonic() - used[k] > args.idle_timeout / 2:
            conns[k].close()
            conns[k] = open_conn(*plan[k])
        used[k] = time.monotonic()
        t0 = time.perf_counter()
        try:
            conns[k].send(r + "\r\n")
            got = conns[k].read_reply().raw
        except (larchc.Closed, larchc.ProtocolError, OSError) as e:
            errors.append("%s: %s" % (r, e))
            conns[k] = open_conn(*plan[k])
            continue
        dt = time.perf_counter() - t0
        lat.append(dt)
        if got != want[(fmt, r)]:
            wrong.append("%s %s: %r" % (fmt, r, got[:200]))
        n += 1
        time.sleep(max(0.0, 0.02 - dt))
    for c in conns:
        c.close()
    out.put(("good", {"n": n, "wrong": len(wrong), "wrong_first": wrong[:3],
                      "errors": len(errors), "errors_first": errors[:3],
                      "p50_ms": 1000 * pct(lat, 50), "p99_ms":
                      1000 * pct(lat, 99), "max_ms": 1000 * max(lat),
                      "over_50ms": sum(1 for x in lat if x > 0.05)}))


def idle(args, t_end, out):
    """Connections that never send; reopened while the phase lasts."""
    sel = selectors.DefaultSelector()
    opened = closed = refused = failed = 0
    peak = 0

    def open_one(i):
        nonlocal opened, failed
        try:
            s = raw_connect(args.unix if i % 2 else args.tcp)
        except OSError:
            failed += 1
            return
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, i)
        opened += 1

    for i in range(args.idle):
        open_one(i)
    while True:
        now = time.monotonic()
        if is_over(args, t_end, now, sel.get_map()):
            break
        peak = max(peak, len(sel.get_map()))
        for key, _ in sel.select(0.2):
            s = key.fileobj
            data = recv_some(s)
            if data is None:
                continue
            if data.startswith(b"400"):
                refused += 1
            if data == b"" or data.startswith(b"400"):
                sel.unregister(s)
                s.close()
                closed += 1
                if time.monotonic() < t_end:
                    open_one(key.data)
    left = len(sel.get_map())
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    out.put(("idle", {"opened": opened, "closed_by_server": closed,
                      "refused": refused, "connect_failed": failed,
                      "peak_open": peak, "left_open": left}))


def writers(args, t_end, out):
    """Stallers (half a line, then nothing) and tricklers (a byte every
    0.4 s, never a line end); the server must close both."""
    sel = selectors.DefaultSelector()
    stall_life, trickle_life = [], []
    trickling = {}		# socket -> when its next byte is due
    n = 0

    def open_one(kind):
        nonlocal n
        n += 1
        s = raw_connect(args.unix if n % 2 else args.tcp)
        s.setblocking(False)
        if kind == "stall":
            s.send(b"SEARCH LIMIT 5 -- comm")
        else:
            s.send(b"COUNT -- ")
            trickling[s] = time.monotonic() + 0.4
        sel.register(s, selectors.EVENT_READ, (kind, time.monotonic()))

    for i in range(10):
        open_one("stall")
        open_one("trickle")
    while True:
        now = time.monotonic()
        if is_over(args, t_end, now, sel.get_map()):
            break
        for s, due in list(trickling.items()):
            if now < t_end and now >= due:
                trickling[s] = due + 0.4
                try:
                    s.send(b"x")
                except OSError:
                    pass
        for key, _ in sel.select(0.1):
            s = key.fileobj
            data = recv_some(s)
            if data is None:
                continue
            if data != b"":
                continue	# the greeting
            kind, start = key.data
            life = time.monotonic() - start
            sel.unregister(s)
            trickling.pop(s, None)
            s.close()
            (stall_life if kind == "stall" else trickle_life).append(
                (life, time.monotonic() < t_end))
            if time.monotonic() < t_end:
                open_one(kind)
    left = len(sel.get_map())
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    out.put(("writers", {
        "stallers_closed": len(stall_life),
        "staller_max_life_s": max([x for x, _ in stall_life] or [0]),
        "tricklers_closed_while_trickling":
            sum(1 for _, during in trickle_life if during),
        "trickler_max_life_s": max([x for x, during in trickle_life
                                    if during] or [0]),
        "tricklers_closed": len(trickle_life), "left_open": left}))


def readers(args, facts, t_end, out):
    """Connections that ask for large answers and never read them."""
    poll = select.poll()
    socks, lives = {}, []
    ask = (b"FORMAT json\r\n" + ("SEARCH LIMIT 200 -- %s\r\n" %
                                  facts["common"]).encode() * 300)

    def open_one(i):
        s = raw_connect(args.unix if i % 2 else args.tcp)
        s.setblocking(False)
        try:
            s.send(ask)
        except BlockingIOError:
            pass
        # Told when the server closes, without reading a byte.
        poll.register(s, select.POLLRDHUP)
        socks[s.fileno()] = (s, time.monotonic(), i)

    for i in range(20):
        open_one(i)
    while True:
        now = time.monotonic()
        if is_over(args, t_end, now, socks):
            break
        for fd, ev in poll.poll(200):
            s, start, i = socks.pop(fd)
            poll.unregister(fd)
            s.close()
            lives.append(time.monotonic() - start)
            if time.monotonic() < t_end:
                open_one(i)
    left = len(socks)
    for s, _, _ in socks.values():
        s.close()
    out.put(("readers", {"closed_by_server": len(lives), "max_life_s":
                         max(lives or [0]), "left_open": left}))


def sender(sock, data):
    """Sends data from a thread, so the caller can read meanwhile."""
    def run():
        try:
            sock.sendall(data)
        except OSError:
            pass
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def bigline(args, facts, want, t_end, out):
    """A 10 MB request line, then a query on the same connection."""
    rounds, good_rounds, notes = 0, 0, []
    q = "COUNT -- %s" % facts["common"]
    while time.monotonic() < t_end - 3 and rounds < 4:
        addr = args.unix if rounds % 2 else args.tcp
        c = larchc.Client(addr, timeout=30)
        c.greeting()
        t = sender(c.sock, b"A" * (10 << 20) + b"\r\n" + q.encode() +
                   b"\r\n")
        try:
            a, b = c.read_reply(), c.read_reply()
            ok = a.code == 506 and b.raw == want[("text", q)]
            if not ok:
                notes.append("%s / %s" % (a.status, b.status))
        except (larchc.Closed, larchc.ProtocolError, OSError) as e:
            ok = False
            notes.append(str(e))
        t.join(10)
        c.close()
        rounds += 1
        good_rounds += ok
    # And one that never ends its line: dropped as it comes.
    s = raw_connect(args.tcp)
    try:
        s.sendall(b"B" * (10 << 20))
    except OSError:
        pass
    s.close()
    out.put(("bigline", {"rounds": rounds, "ok": good_rounds,
                         "notes": notes[:3]}))


def binary(args, facts, want, t_end, out):
    """Random bytes, then a query; every reply well framed."""
    rnd = random.Random(6)
    rounds, good_rounds, notes, replies = 0, 0, [], 0
    q = "COUNT -- %s" % facts["common"]
    while time.monotonic() < t_end - 3 and rounds < 6:
        junk = bytes(rnd.getrandbits(8) for _ in range(1 << 19)) + b"\n"
        c = larchc.Client(args.unix if rounds % 2 else args.tcp, timeout=30)
        c.greeting()
        t = sender(c.sock, junk + q.encode() + b"\r\n")
        try:
            codes = [c.read_reply().code for _ in range(junk.count(b"\n"))]
            last = c.read_reply()
            bad = [x for x in codes if not 500 <= x <= 507]
            ok = not bad and last.raw == want[("text", q)]
            replies += len(codes)
            if not ok:
                notes.append("codes %s, last %s" % (bad[:5], last.status))
        except (larchc.Closed, larchc.ProtocolError, OSError) as e:
            ok = False
            notes.append(str(e))
        t.join(10)
        c.close()
        rounds += 1
        good_rounds += ok
    out.put(("binary", {"rounds": rounds, "ok": good_rounds,
                        "replies": replies, "notes": notes[:3]}))


def pipeline(args, facts, want, t_end, out):
    """10,000 commands in one write; every answer in its place."""
    reqs = pipeline_requests(facts)
    res = []
    for addr, fmt in ((args.unix, "text"), (args.tcp, "json")):
        c = larchc.Client(addr, timeout=60)
        c.greeting()
        c.command("FORMAT " + fmt)
        seq = [reqs[i % len(reqs)] for i in range(10000)]
        t0 = time.monotonic()
        t = sender(c.sock, "".join(r + "\r\n" for r in seq).encode())
        wrong = 0
        try:
            for r in seq:
                wrong += c.read_reply().raw != want[(fmt, r)]
            answered = len(seq)
        except (larchc.Closed, larchc.ProtocolError, OSError) as e:
            answered = -1
            say("pipeline: %s" % e)
        t.join(10)
        c.close()
        res.append({"answered": answered, "wrong": wrong,
                    "seconds": round(time.monotonic() - t0, 2)})
    out.put(("pipeline", res))


def vanish(args, facts, t_end, out):
    """Clients that send queries and go away mid-answer."""
    n = resets = 0
    rnd = random.Random(3)
    ask = ("FORMAT json\r\n" + "SEARCH LIMIT 200 -- %s\r\n" %
           facts["common"] * 10 + "THREAD %s\r\nRAW %s\r\n" %
           (facts["mids"][0], facts["mids"][1])).encode()
    while time.monotonic() < t_end:
        try:
            s = raw_connect(args.unix if n % 2 else args.tcp)
            s.sendall(ask)
            time.sleep(rnd.random() * 0.05)
            if rnd.random() < 0.5:
                s.recv(rnd.randint(1, 20000))
            if n % 2:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
                resets += 1
            s.close()
            n += 1
        except OSError:
            pass
        time.sleep(0.1)
    out.put(("vanish", {"clients": n, "resets": resets}))


# --- the run ------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--unix", required=True)
    ap.add_argument("--tcp", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--facts", required=True)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--idle", type=int, default=1000)
    ap.add_argument("--idle-timeout", type=float, default=5)
    ap.add_argument("--patience", type=float, default=30,
                    help="seconds to wait for the abusers' reports")
    ap.add_argument("--slow", type=float, default=1,
                    help="larchd is this many times slower (valgrind): "
                    "waits for answers and closes are that much longer")
    args = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < args.idle + 200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft < args.idle + 200:
        args.idle = max(0, soft - 200)
        say("open-files limit %d: %d idle connections" % (soft, args.idle))

    facts = json.load(open(args.facts))
    reqs = good_requests(facts)
    want = record(args.unix, reqs + pipeline_requests(facts) +
                  ["COUNT -- %s" % facts["common"]])
    bad = [k for k, v in want.items() if v[:1] not in b"125"]
    if bad:
        raise SystemExit("abuse: unexpected answers: %s" % bad[:3])

    pid = args.pid
    # Descriptors with no client: wait for the recording connection to go.
    fds = []
    for _ in range(50):
        fds.append(fd_count(pid))
        if len(fds) >= 3 and fds[-1] == fds[-2] == fds[-3]:
            break
        time.sleep(0.1)
    fds_before = fds[-1]
    load_before = os.getloadavg()

    out = mp.Queue()
    say("quiet: the well-behaved client alone for 2 s")
    p = mp.Process(target=good, args=(args, reqs, want,
                                      time.monotonic() + 2, out))
    p.start()
    quiet = out.get()[1]
    p.join()

    say("abuse: %d s, %d idle connections" % (args.seconds, args.idle))
    t_end = time.monotonic() + args.seconds
    procs = [
        mp.Process(target=idle, args=(args, t_end, out)),
        mp.Process(target=writers, args=(args, t_end, out)),
        mp.Process(target=readers, args=(args, facts, t_end, out)),
        mp.Process(target=bigline, args=(args, facts, want, t_end, out)),
        mp.Process(target=binary, args=(args, facts, want, t_end, out)),
        mp.Process(target=pipeline, args=(args, facts, want, t_end, out)),
        mp.Process(target=vanish, args=(args, facts, t_end, out)),
    ]
    for p in procs:
        p.start()
    # The idle connections first: the well-behaved client starts once
    # they are open, and runs to the end.
    time.sleep(1.0)
    procs.append(mp.Process(target=good, args=(args, reqs, want, t_end,
                                               out)))
    procs[-1].start()
    fds_peak, rss_peak, load_during = 0, 0, []
    while time.monotonic() < t_end:
        fds_peak = max(fds_peak, fd_count(pid) or 0)
        rss_peak = max(rss_peak, status_kb(pid, "VmRSS") or 0)
        load_during.append(os.getloadavg()[0])
        time.sleep(0.25)
    results = {}
    deadline = t_end + args.idle_timeout * 2 + args.patience
    while len(results) < len(procs) and time.monotonic() < deadline:
        try:
            k, v = out.get(timeout=1)
            results[k] = v
        except Exception:
            pass
    for p in procs:
        p.join(5)
        if p.is_alive():
            p.kill()

    # Every abuser is gone: the descriptors must come back.
    t0 = time.monotonic()
    fds_after = fd_count(pid)
    while fds_after is not None and fds_after > fds_before and \
            time.monotonic() - t0 < args.idle_timeout * 2 + 5 * args.slow:
        time.sleep(0.2)
        fds_after = fd_count(pid)

    results.update({
        "alive": fd_count(pid) is not None,
        "quiet": quiet, "seconds": args.seconds, "idle_wanted": args.idle,
        "fds_before": fds_before, "fds_peak": fds_peak,
        "fds_after": fds_after,
        "fds_settled_s": round(time.monotonic() - t0, 1),
        "vmhwm_mb": round((status_kb(pid, "VmHWM") or 0) / 1024, 1),
        "vmrss_peak_mb": round(rss_peak / 1024, 1),
        "vmrss_after_mb": round((status_kb(pid, "VmRSS") or 0) / 1024, 1),
        "load_before": round(load_before[0], 2),
        "load_during_max": round(max(load_during or [0]), 2),
        "cpus": os.cpu_count(),
    })
    print(json.dumps(results))


if __name__ == "__main__":
    main()
