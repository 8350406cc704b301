#!/usr/bin/env bash
# larchd under abuse (tests/abuse.py), on a unix socket and a loopback TCP
# port, serving a small generated index: 1,000 idle connections, slow
# writers (half a line and a stall, or a byte at a time), readers that
# never read, 10 MB request lines, random binary, 10,000 pipelined
# commands and clients vanishing mid-answer, all at once for 20 s, while a
# well-behaved client checks every answer.  Then: larchd is alive, every
# abusive connection was closed by the server, the descriptors are back
# where they were, the well-behaved client's p99 is under 50 ms and
# larchd's peak RSS under 300 MB.  Latency and memory are not judged under
# a sanitizer or a wrapper (LARCH_SANITIZER, LARCH_DAEMON_WRAPPER); the
# latency is reported as TODO, not judged, when the machine is overloaded.
# About 35 s.  TAP.
set -u
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/larchd.sh"

tests=$(cd "$(dirname "$0")" && pwd)
LI="$LARCH_BUILD/indexer/larch-index"
LD="$LARCH_BUILD/daemon/larchd"
skip_unless_built "larchd under abuse" "$LD" "$LI"

work=$(mktemp -d)
dpid=
trap '[ -n "$dpid" ] && kill -KILL "$dpid" 2>/dev/null; rm -rf "$work"' EXIT
idx="$work/index"
sock="$work/larchd.sock"
wrapped=${LARCH_DAEMON_WRAPPER:-}
sanitizer=${LARCH_SANITIZER:-}
[ "$sanitizer" = none ] && sanitizer=
# Short, so that idle connections are closed and opened again during the
# run; longer under a wrapper, where a 10 MB line takes seconds to read.
IDLE_TIMEOUT=5
[ -n "$wrapped" ] && IDLE_TIMEOUT=15
SECONDS_OF_ABUSE=${LARCH_ABUSE_SECONDS:-20}

# --- a small generated index: 1,200 messages, 3 lists, threads ----------------
python3 - "$work" <<'EOF'
import json, random, sys
w = sys.argv[1]
rnd = random.Random(2024)
vocab = ["w%03d%s" % (i, "abcdefghij"[i % 10] * 3) for i in range(300)]
mids, out = [], {l: [] for l in ("alpha", "beta", "gamma")}
n = 0
for t in range(300):
    lst = rnd.choice(list(out))
    root = None
    for k in range(rnd.randint(1, 7)):
        n += 1
        mid = "m%05d@abuse.example" % n
        words = rnd.choices(vocab[:60], k=8) + rnd.choices(vocab, k=40)
        lines = [" ".join(words[i:i + 12]) for i in range(0, len(words), 12)]
        body = "\n".join(lines) + "\nabusecommon\n"
        if root is not None and rnd.random() < 0.5:
            body = "> " + rnd.choice(vocab) + " quoted line\n\n" + body
        hdr = ["From: Person %d <p%d@abuse.example>" % (n % 40, n % 40),
               "Date: Mon, %d Jan 2024 %02d:%02d:00 +0000" % (
                   1 + t % 28, k % 24, n % 60),
               "Subject: %sTopic %s %d" % ("Re: " if k else "",
                                             rnd.choice(vocab), t),
               "Message-ID: <%s>" % mid]
        if root is not None:
            hdr += ["In-Reply-To: <%s>" % root, "References: <%s>" % root]
        out[lst].append("From p@abuse.example Mon Jan  1 10:00:00 2024\n" +
                        "\n".join(hdr) + "\n\n" + body + "\n")
        mids.append(mid)
        root = root or mid
for l, msgs in out.items():
    open("%s/%s.mbox" % (w, l), "w").write("".join(msgs))
rnd.shuffle(mids)
json.dump({"words": vocab[5:45], "mids": mids[:40], "common": "abusecommon"},
          open(w + "/facts.json", "w"))
EOF
st=0
for l in alpha beta gamma; do
	"$LI" --index "$idx" --list "$l" --quiet "$work/$l.mbox" || st=1
done
ok $st "a generated index of 1,200 messages in 3 lists"

# --- larchd: short idle timeout, room for every connection --------------------
port=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '[larchd]\nlog = stderr\nidle_timeout = %s\nmax_connections = 2000\n' \
	"$IDLE_TIMEOUT" >"$work/larchd.conf"
$wrapped "$LD" --foreground --config "$work/larchd.conf" --index "$idx" \
	--listen "unix:$sock" --listen "127.0.0.1:$port" 2>"$work/larchd.log" &
dpid=$!
wait_greeting "unix:$sock" "$dpid" "$work/larchd.log"
up=$?
ok $up "larchd starts (unix socket and 127.0.0.1:$port)"
if [ $up != 0 ]; then
	done_testing
	exit
fi
limit=$(awk '/Max open files/ {print $4}' "/proc/$dpid/limits")
echo "# larchd's open-files limit: $limit"

# --- the abuse ---------------------------------------------------------------------
# Under a wrapper (valgrind: 10,000 pipelined commands take minutes) the
# abusers' reports are waited for longer.
patience=30 slow=1
[ -n "$wrapped" ] && patience=400 slow=10
timeout $((SECONDS_OF_ABUSE + patience + 60)) python3 "$tests/abuse.py" \
	--unix "unix:$sock" --tcp "127.0.0.1:$port" --pid "$dpid" \
	--facts "$work/facts.json" --seconds "$SECONDS_OF_ABUSE" --idle 1000 \
	--idle-timeout "$IDLE_TIMEOUT" --patience "$patience" --slow "$slow" \
	>"$work/res" 2>"$work/err"
st=$?
sed 's/^/# /' "$work/err"
ok $st "the abuse ran to its end"
res=$(tail -1 "$work/res")
f() {	# a field of the result, by a Python expression on r
	python3 -c 'import json, sys; r = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' \
		"$res" "$1" 2>/dev/null
}
echo "# $res"
if [ -z "$(f 'r["alive"]')" ]; then
	ok 1 "abuse.py reported its figures"
	kill -TERM "$dpid"
	done_testing
	exit
fi

is "$(f 'r["alive"]')" True "larchd is alive after the abuse"
kill -0 "$dpid" 2>/dev/null
ok $? "and its process is there"

# The well-behaved client.
is "$(f 'r["good"]["wrong"], r["good"]["errors"]')" "(0, 0)" \
	"the well-behaved client: every answer correct, no error ($(f 'r["good"]["n"]') queries)"
is "$(f 'r["quiet"]["wrong"], r["quiet"]["errors"]')" "(0, 0)" \
	"and before the abuse too"

# The abusers, each as intended.
is "$(f 'r["idle"]["peak_open"] >= 1000, r["idle"]["connect_failed"], r["idle"]["refused"]')" \
	"(True, 0, 0)" "1,000 idle connections were open at once, none refused ($(f 'r["idle"]["peak_open"]') at the peak)"
is "$(f 'r["idle"]["left_open"], r["writers"]["left_open"], r["readers"]["left_open"]')" \
	"(0, 0, 0)" "every idle, slow-writing and non-reading connection was closed by the server"
is "$(f 'r["writers"]["staller_max_life_s"] < '$IDLE_TIMEOUT' + 3')" True \
	"a writer that stalls mid-line is closed after the idle timeout ($(f 'round(r["writers"]["staller_max_life_s"], 1)') s at most)"
is "$(f 'r["writers"]["tricklers_closed_while_trickling"] > 0 and r["writers"]["trickler_max_life_s"] < '$IDLE_TIMEOUT' + 3')" True \
	"a writer sending its line a byte at a time is closed once the line took longer than the idle timeout ($(f 'round(r["writers"]["trickler_max_life_s"], 1)') s at most)"
is "$(f 'r["readers"]["closed_by_server"] >= 20')" True \
	"readers that never read are closed once their answers cannot be sent ($(f 'r["readers"]["closed_by_server"]') closed)"
is "$(f 'r["bigline"]["rounds"] > 0 and r["bigline"]["ok"] == r["bigline"]["rounds"]')" True \
	"10 MB request lines: 506, then the next request answered ($(f 'r["bigline"]["rounds"]') rounds)"
is "$(f 'r["binary"]["rounds"] > 0 and r["binary"]["ok"] == r["binary"]["rounds"]')" True \
	"random binary: one 5xx per line, well framed, then served ($(f 'r["binary"]["replies"]') error replies)"
is "$(f '[(p["answered"], p["wrong"]) for p in r["pipeline"]]')" "[(10000, 0), (10000, 0)]" \
	"10,000 pipelined commands, twice: every answer, in its place"
is "$(f 'r["vanish"]["clients"] > 20')" True \
	"clients vanishing mid-answer ($(f 'r["vanish"]["clients"]'), half with a RST)"

# Descriptors: back to the count before the abuse.
is "$(f 'r["fds_after"] == r["fds_before"]')" True \
	"no descriptor leak: $(f 'r["fds_before"]') before, $(f 'r["fds_peak"]') at the peak, $(f 'r["fds_after"]') after"

# Latency and memory, where they mean something.
p99=$(f 'round(r["good"]["p99_ms"], 1)')
quiet99=$(f 'round(r["quiet"]["p99_ms"], 1)')
load="load $(f 'r["load_before"]') before, $(f 'r["load_during_max"]') during, $(f 'r["cpus"]') CPUs"
echo "# well-behaved client: p50 $(f 'round(r["good"]["p50_ms"], 1)') ms, p99 $p99 ms, max $(f 'round(r["good"]["max_ms"], 1)') ms under abuse; p99 $quiet99 ms quiet; $load"
echo "# larchd: VmHWM $(f 'r["vmhwm_mb"]') MB, RSS $(f 'r["vmrss_after_mb"]') MB after"
if [ -n "$sanitizer$wrapped" ]; then
	skip "p99 under abuse below 50 ms ($p99 ms)" "larchd runs under ${sanitizer:-$wrapped}"
	skip "larchd's peak RSS below 300 MB ($(f 'r["vmhwm_mb"]') MB)" \
		"larchd runs under ${sanitizer:-$wrapped}"
else
	# Overloaded: other work had every CPU before we started, or the
	# client is slow even with larchd quiet.
	if [ "$(f 'r["load_before"] >= r["cpus"] or r["quiet"]["p99_ms"] > 25')" = True ]; then
		todo_is "$(f 'r["good"]["p99_ms"] < 50')" True \
			"p99 under abuse below 50 ms ($p99 ms)" \
			"machine overloaded ($load, quiet p99 $quiet99 ms)"
	else
		is "$(f 'r["good"]["p99_ms"] < 50')" True \
			"p99 under abuse below 50 ms ($p99 ms; $load)"
	fi
	is "$(f 'r["vmhwm_mb"] < 300')" True \
		"larchd's peak RSS below 300 MB ($(f 'r["vmhwm_mb"]') MB)"
fi

# --- a stalled larchd closes nobody who spoke meanwhile -------------------------
# larchd stopped (SIGSTOP) for longer than the idle timeout while 200
# clients send a request: once it runs again each is answered, none is
# taken for idle (libevent reports the timeouts of sockets it has not yet
# seen readable).
is "$(PYTHONPATH="$tests" python3 - "unix:$sock" "$dpid" "$IDLE_TIMEOUT" <<'PY'
import os, signal, sys, time, larchc
addr, pid, idle = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
ref = larchc.Client(addr, timeout=60)
ref.greeting()
want = ref.command("COUNT -- abusecommon").raw
ref.close()
cs = []
for i in range(200):
    c = larchc.Client(addr, timeout=60)
    c.greeting()
    cs.append(c)
os.kill(pid, signal.SIGSTOP)
try:
    for c in cs:
        c.send(b"COUNT -- abusecommon\r\n")
    time.sleep(idle + 1)
finally:
    os.kill(pid, signal.SIGCONT)
answered = closed = 0
for c in cs:
    try:
        answered += c.read_reply().raw == want
    except larchc.Closed:
        closed += 1
    c.close()
print(answered, closed)
PY
)" "200 0" "200 clients that sent a request while larchd was stopped past the idle timeout are all answered"

# --- clients that hang up at once leave no work behind -------------------------
# 600 clients each send a slow query and close at once, unread greeting
# and all (a reset): their answers can go nowhere, so the queries not
# started yet are not run and a client still there is served at once
# (every one was run, 4-8 s of work for the two workers, before).
res=$(PYTHONPATH="$tests" python3 - "unix:$sock" <<'PY'
import socket, sys, time, larchc
addr = sys.argv[1]
q = (b"SEARCH THREADS EXACT SORT newest -- w0* OR w1* OR w2* OR w3* "
     b"OR w4* OR w5* OR w6* OR w7* OR w8* OR w9*\r\n")
for i in range(600):
    s = socket.socket(socket.AF_UNIX)
    s.connect(addr[5:])
    s.sendall(q)
    s.close()
c = larchc.Client(addr, timeout=60)
c.greeting()
t0 = time.monotonic()
r = c.command("COUNT -- abusecommon")
print(r.status.split()[0], "%.2f" % (time.monotonic() - t0))
PY
)
echo "# a client after 600 that hung up: $res s"
if [ -n "$sanitizer$wrapped" ]; then
	skip "600 clients that send a slow query and hang up hold up nobody" \
		"larchd runs under ${sanitizer:-$wrapped}"
else
	is "$(awk '{print $1, ($2 < 1.5)}' <<<"$res")" "210 1" \
		"600 clients that send a slow query and hang up hold up nobody (${res#* } s)"
fi

# --- a clean stop --------------------------------------------------------------------
kill -TERM "$dpid"
wait_exit "$dpid" "$(larchd_tries)"
is "$exited" 0 "larchd exits 0 on SIGTERM afterwards"
dpid=
if grep -q -E 'Sanitizer|runtime error|CRITICAL|ERROR SUMMARY: [1-9]' "$work/larchd.log"; then
	ok 1 "no sanitizer, valgrind or GLib critical report in larchd's log"
	grep -E -A20 'Sanitizer|runtime error|CRITICAL|ERROR SUMMARY: [1-9]' \
		"$work/larchd.log" | head -60 | sed 's/^/#   /'
else
	ok 0 "no sanitizer, valgrind or GLib critical report in larchd's log"
fi
echo "# $(grep -c 'idle timeout, closing' "$work/larchd.log") idle timeouts logged"

done_testing
