#!/usr/bin/env python3
"""A bounded load test of larchd: many connections issuing mixed queries
while another client runs a slow query, every answer checked.

  load.py ADDR [--conns 64] [--requests 40] [--seed 1] [--budget 60]

First, on one quiet connection, it finds words the index knows, messages,
threads, senders and lists, builds a fixed set of requests (SEARCH with
LIMIT/OFFSET/SORT/THREADS, field queries, COUNT, THREAD, SHOW, SUMMARY, in
text and in JSON) and records each one's whole answer, byte for byte, as
the expected answer.  It also picks the slowest query it can find (broad
wildcards OR'd together, LIMIT 1000).

Then --conns connections (threads, blocking sockets) each send
--requests requests drawn from the set, one at a time, half of them under
FORMAT json, while one more connection repeats the slow query until they
are done.  An answer is correct when it is byte-identical to the quiet
one; a connection that is refused, closed or times out counts as
dropped.  It prints latency percentiles and a last line of JSON with the
figures, and exits 0 only when every answer was correct, none was
dropped and the run stayed within --budget seconds.

While a slow query is in flight, other answers must keep arriving (the
daemon runs queries on a pool of workers); the number that did is
reported as "answered_during_slow".
"""

import argparse
import json
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import larchc  # noqa: E402

CANDIDATES = ("meeting proposal draft review thanks agenda please report "
              "policy security release support question update patch "
              "regards budget travel forum workshop group discussion "
              "comments document session time list").split()


def percentile(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(p / 100.0 * (len(xs) - 1)))))
    return xs[k]


def first_diff(want, got):
    """The first line where two answers differ, for the report."""
    w, g = want.split(b"\r\n"), got.split(b"\r\n")
    for i, (x, y) in enumerate(zip(w, g)):
        if x != y:
            return f"line {i}: want {x[:160]!r}, got {y[:160]!r}"
    return f"{len(w)} lines wanted, {len(g)} got"


def say(msg):
    print("load: " + msg, file=sys.stderr, flush=True)


def discover(addr):
    """The request set, each with its expected answer per format."""
    c = larchc.Client(addr, timeout=30)
    c.greeting()
    words = []
    for w in CANDIDATES:
        r = c.command(f"COUNT -- {w}")
        if r.code == 210 and int(r.fields[0]) > 0:
            words.append((w, int(r.fields[0])))
    if len(words) < 3:
        raise SystemExit("load: fewer than 3 known words in this index")
    words.sort(key=lambda x: -x[1])
    common = [w for w, _ in words]
    mids, senders, lists = [], set(), []
    c.command("FORMAT json")
    for w in common[:6]:
        for o in c.command(f"SEARCH LIMIT 20 SORT oldest -- {w}").json():
            mids.append(o["mid"])
            if o["from"]:
                senders.add(o["from"])
    for o in c.command("LISTS").json():
        name = o.get("name") or o.get("list")
        if name:
            lists.append(name)
    c.command("FORMAT text")
    rnd = random.Random(7)
    mids = sorted(set(mids))
    rnd.shuffle(mids)
    mids = mids[:30]
    senders = sorted(senders)[:8]

    reqs = []
    for i, w in enumerate(common):
        w2 = common[(i + 1) % len(common)]
        reqs += [f"SEARCH -- {w}",
                 f"SEARCH LIMIT 10 SORT newest -- {w}",
                 f"SEARCH OFFSET 5 LIMIT 5 SORT oldest -- {w} OR {w2}",
                 f"SEARCH THREADS LIMIT 5 -- {w} {w2}",
                 f'SEARCH LIMIT 5 -- "{w} {w2}" OR {w2}',
                 f"COUNT -- {w}",
                 f"COUNT THREADS -- {w} OR {w2}"]
    for s in senders:
        reqs += [f"SEARCH LIMIT 5 SORT newest -- from:{s}", f"COUNT -- from:{s}"]
    for name in lists:
        reqs += [f"SEARCH LIMIT 5 -- list:{name} {common[0]}",
                 f"COUNT -- list:{name}"]
    for m in mids:
        reqs += [f"THREAD {m}", f"SHOW {m}", f"SUMMARY {m}"]

    expected = {}
    for fmt in ("text", "json"):
        c.command(f"FORMAT {fmt}")
        for r in reqs:
            expected[(fmt, r)] = c.command(r).raw
    bad = [k for k, v in expected.items() if not v[:1] == b"2"]
    if bad:
        raise SystemExit(f"load: quiet answers that are not 2xx: {bad[:5]}")

    # The slowest query we can make: wildcards first, then many words.
    slow_cands = [
        "SEARCH LIMIT 1000 SORT newest -- " +
        " OR ".join(f"{ch}*" for ch in "abcdefghilmnoprstw"),
        "SEARCH LIMIT 1000 -- " + " OR ".join(common),
    ]
    slow, slow_want, slow_t = None, None, 0.0
    c.command("FORMAT text")		# as the slow client asks
    for cand in slow_cands:
        t0 = time.monotonic()
        r = c.command(cand)
        t = time.monotonic() - t0
        if r.code == 211:
            slow, slow_want, slow_t = cand, r.raw, t
            break
        say(f"slow candidate refused ({r.status}): {cand[:60]}")
    # Is the quiet answer stable?  Ask again.
    if slow and c.command(slow).raw != slow_want:
        raise SystemExit("load: the slow query's answer changes between runs")
    c.command("QUIT")
    c.close()
    return reqs, expected, slow, slow_want, slow_t, len(words), len(mids)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("addr")
    ap.add_argument("--conns", type=int, default=64)
    ap.add_argument("--requests", type=int, default=40,
                    help="requests per connection")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--budget", type=float, default=60.0,
                    help="seconds the whole run may take")
    a = ap.parse_args()
    start = time.monotonic()

    reqs, expected, slow, slow_want, slow_t, nwords, nmids = discover(a.addr)
    say(f"{len(reqs)} distinct requests ({nwords} words, {nmids} messages), "
        f"in text and JSON; slow query {slow_t * 1000:.0f} ms quiet: "
        f"{(slow or 'none')[:70]}")

    lock = threading.Lock()
    lat, wrong, dropped, done_at = [], [], [], []
    slow_iv, slow_wrong = [], []
    stop = threading.Event()
    barrier = threading.Barrier(a.conns + (1 if slow else 0))

    def worker(i):
        rnd = random.Random(a.seed * 1000 + i)
        fmt = "json" if i % 2 else "text"
        mine = [rnd.choice(reqs) for _ in range(a.requests)]
        my_lat, my_done = [], []
        try:
            c = larchc.Client(a.addr, timeout=30)
            g = c.greeting()
            if g.code != 200:
                raise larchc.Closed(f"greeted {g.status!r}")
            if c.command(f"FORMAT {fmt}").code != 206:
                raise larchc.Closed("FORMAT refused")
        except Exception as e:
            with lock:
                dropped.append((i, "connect", repr(e)))
            barrier.wait()
            return
        barrier.wait()
        try:
            for r in mine:
                t0 = time.monotonic()
                c.send(r + "\r\n")
                got = c.read_reply()
                t1 = time.monotonic()
                my_lat.append(t1 - t0)
                my_done.append(t1)
                if got.raw != expected[(fmt, r)]:
                    with lock:
                        wrong.append((i, fmt, r, first_diff(
                            expected[(fmt, r)], got.raw)))
            c.command("QUIT")
        except Exception as e:
            with lock:
                dropped.append((i, "mid-run", repr(e)))
        finally:
            c.close()
            with lock:
                lat.extend(my_lat)
                done_at.extend(my_done)

    def slow_client():
        try:
            c = larchc.Client(a.addr, timeout=60)
            c.greeting()
        except Exception as e:
            with lock:
                dropped.append(("slow", "connect", repr(e)))
            barrier.wait()
            return
        barrier.wait()
        try:
            while not stop.is_set():
                t0 = time.monotonic()
                c.send(slow + "\r\n")
                got = c.read_reply()
                t1 = time.monotonic()
                slow_iv.append((t0, t1))
                if got.raw != slow_want:
                    slow_wrong.append(first_diff(slow_want, got.raw))
        except Exception as e:
            with lock:
                dropped.append(("slow", "mid-run", repr(e)))
        finally:
            c.close()

    threads = [threading.Thread(target=worker, args=(i,))
               for i in range(a.conns)]
    st = threading.Thread(target=slow_client) if slow else None
    if st:
        st.start()
    t_load = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(1.0, a.budget - (time.monotonic() - start)))
    stop.set()
    if st:
        st.join(30)
    wall = time.monotonic() - t_load
    hung = sum(t.is_alive() for t in threads) + (1 if st and st.is_alive()
                                                 else 0)

    during = sum(1 for d in done_at
                 if any(s0 < d < s1 for s0, s1 in slow_iv))
    total = time.monotonic() - start
    n = len(lat)
    want = a.conns * a.requests
    res = {
        "connections": a.conns, "requests": want, "answered": n,
        "wrong": len(wrong), "dropped": len(dropped), "hung": hung,
        "slow_queries": len(slow_iv), "slow_wrong": len(slow_wrong),
        "slow_quiet_ms": round(slow_t * 1000, 1),
        "slow_loaded_ms_max": round(max((b - a_ for a_, b in slow_iv),
                                        default=0) * 1000, 1),
        "answered_during_slow": during,
        "p50_ms": round(percentile(lat, 50) * 1000, 2),
        "p99_ms": round(percentile(lat, 99) * 1000, 2),
        "max_ms": round(max(lat, default=0) * 1000, 2),
        "qps": round(n / wall, 1) if wall > 0 else 0,
        "load_seconds": round(wall, 2), "total_seconds": round(total, 2),
        "within_budget": total < a.budget,
    }
    for w in wrong[:10]:
        say(f"wrong answer: conn {w[0]} ({w[1]}) {w[2]!r} -> {w[3]!r}")
    for d in dropped[:10]:
        say(f"dropped: conn {d[0]} {d[1]}: {d[2]}")
    for s in slow_wrong[:3]:
        say(f"slow query answered differently: {s!r}")
    say(f"{n}/{want} answers in {wall:.2f} s ({res['qps']} req/s): "
        f"p50 {res['p50_ms']} ms, p99 {res['p99_ms']} ms, "
        f"max {res['max_ms']} ms; {len(slow_iv)} slow queries "
        f"(quiet {res['slow_quiet_ms']} ms, loaded max "
        f"{res['slow_loaded_ms_max']} ms), {during} answers arrived "
        "while one was in flight")
    print(json.dumps(res))
    good = (not wrong and not dropped and not hung and not slow_wrong
            and n == want and res["within_budget"])
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
