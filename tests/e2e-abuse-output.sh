#!/usr/bin/env bash
# larchd's server-wide output budget: clients that ask for a large message
# (RAW of 3 MB) and never read must not make larchd hold one such answer
# per connection.  With output_budget = 4 MiB, once slow clients hold the
# budget a large answer is refused with 403 (small ones still pass), and
# once they are gone the same request is answered whole.  Also a client
# that sends pipelined requests and half-closes its socket gets every
# answer, and hostile queries get a clear status line each.  About 10 s.
# TAP.
set -u
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/larchd.sh"

tests=$(cd "$(dirname "$0")" && pwd)
LI="$LARCH_BUILD/indexer/larch-index"
LD="$LARCH_BUILD/daemon/larchd"
skip_unless_built "larchd output budget" "$LD" "$LI"

work=$(mktemp -d)
dpid=
trap '[ -n "$dpid" ] && kill -KILL "$dpid" 2>/dev/null; rm -rf "$work"' EXIT
sock="$work/larchd.sock"

python3 - "$work/list.mbox" <<'EOF'
import base64, random, sys
rnd = random.Random(7)
blob = base64.encodebytes(bytes(rnd.getrandbits(8) for _ in range(2300000)))
with open(sys.argv[1], "wb") as f:
    f.write(b"From a@x Thu May 26 19:05:00 2016\nFrom: a@x\nSubject: big\n"
            b"Message-ID: <big@x>\nMIME-Version: 1.0\n"
            b"Content-Type: multipart/mixed; boundary=B\n\n--B\n"
            b"Content-Type: text/plain\n\nhello big\n--B\n"
            b"Content-Type: application/octet-stream\n"
            b"Content-Disposition: attachment; filename=\"blob.bin\"\n"
            b"Content-Transfer-Encoding: base64\n\n" + blob + b"--B--\n\n")
    f.write(b"From a@x Thu May 26 19:06:00 2016\nFrom: a@x\nSubject: small\n"
            b"Message-ID: <small@x>\n\nhello small\n\n")
EOF
"$LI" --index "$work/index" --list t --quiet "$work/list.mbox"

printf '[larchd]\nlog = stderr\nidle_timeout = 30\noutput_budget = 4194304\n' \
	>"$work/larchd.conf"
${LARCH_DAEMON_WRAPPER:-} "$LD" --foreground --config "$work/larchd.conf" \
	--index "$work/index" --listen "unix:$sock" 2>"$work/larchd.log" &
dpid=$!
wait_greeting "unix:$sock" "$dpid" "$work/larchd.log"
ok $? "larchd starts"
shown=$(python3 "$tests/larchc.py" "unix:$sock" 'SHOW big@x')
like "$shown" $'\nAttachment: blob.bin (application/octet-stream, 2300000 bytes)\n' \
	"SHOW text names each attachment, with its type and decoded size"

PYTHONPATH="$tests" python3 - "$sock" "$dpid" >"$work/out" <<'EOF'
import socket, sys, time
from larchc import Client

path, pid = sys.argv[1], sys.argv[2]

def rss_mb():
    for l in open("/proc/%s/status" % pid):
        if l.startswith("VmRSS:"):
            return int(l.split()[1]) / 1024

def ask(line):
    """One request on a new connection: its reply, framing checked."""
    with Client("unix:" + path, timeout=60) as c:
        c.greeting()
        return c.command(line)

def ask_until(line, code, seconds=60):
    """Asks again until the reply has code: how long the server takes to
    queue or drop the slow clients' answers depends on the machine."""
    deadline = time.monotonic() + seconds
    while True:
        r = ask(line)
        if r.code == code or time.monotonic() > deadline:
            return r
        time.sleep(0.2)

def size(r):
    return sum(len(l) + 2 for l in r.lines or [])

# Ten clients ask for the large message and never read.
slow = []
for _ in range(10):
    s = socket.socket(socket.AF_UNIX)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(path)
    s.sendall(b"RAW big@x\r\n")
    slow.append(s)
r = ask_until(b"RAW big@x", 403)
print("busy", r.status[:3], r.status)
r = ask(b"RAW small@x")
print("small", r.status[:3], size(r) > 0)
print("count", ask(b"COUNT -- hello").status[:3])
for s in slow:
    s.close()
r = ask_until(b"RAW big@x", 220)
print("after", r.status[:3], size(r))

# Forty clients pipeline 3,000 small answers each (HELP) and never read:
# each would hold its 1 MiB high-water mark, 40 MiB in all, but once the
# answers waiting hold the budget a connection with answers waiting is
# served no more until it reads.
before = rss_mb()
hogs = []
for _ in range(40):
    s = socket.socket(socket.AF_UNIX)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(path)
    s.sendall(b"HELP\r\n" * 3000)
    hogs.append(s)
time.sleep(2)
grown = rss_mb() - before
print("hogs", ask(b"COUNT -- hello").status[:3], "%.0f" % grown)
# One of them reads again: every answer comes.
h = hogs[0]
h.settimeout(60)
data = b""
while data.count(b"\r\n.\r\n") < 3000:
    x = h.recv(1 << 20)
    if not x:
        break
    data += x
print("hogread", data.count(b"\r\n100 "))
for s in hogs:
    s.close()

# Hostile queries get a clear status line each, on one connection.
c = Client("unix:" + path, timeout=60)
c.greeting()
hostile = [
    (b"SEARCH -- " + b" ".join(b"w%d" % i for i in range(10000)), "506"),
    (b"SEARCH -- " + b" OR ".join(b"a%d" % i for i in range(600)), "505"),
    (b"SEARCH -- " + b"(" * 2000 + b"hello" + b")" * 2000, "211"),
    (b"SEARCH -- " + b"(" * 4000 + b"hello", "505"),
    (b"SEARCH -- h*", "211"),
    (b"SEARCH LIMIT 99999999999999999999999 -- hello", "504"),
    (b"SEARCH OFFSET -5 -- hello", "504"),
    (b"SEARCH OFFSET 1000000 LIMIT 1000 -- hello", "211"),
    (b"SEARCH -- date:99999999..0", "505"),
    (b"SEARCH -- date:-2147483648..2147483647", "505"),
    (b"SEARCH -- hello NEAR/999999999999 big", "211"),
    (b"SEARCH -- hello\x00big", "507"),
]
got = []
for line, want in hostile:
    code = c.command(line).status
    got.append("ok" if code[:3] == want else "%s!=%s" % (code[:40], want))
c.close()
print("hostile", ",".join(got))

# Pipelined requests, then a half-close: every answer still comes (an
# unterminated last line and a RAW among them; e2e-daemon.sh has the
# rest).
s = socket.socket(socket.AF_UNIX)
s.settimeout(60)
s.connect(path)
s.sendall(b"COUNT -- hello\r\nRAW small@x\r\nCOUNT -- big")
s.shutdown(socket.SHUT_WR)
data = b""
while True:
    x = s.recv(65536)
    if not x:
        break
    data += x
codes = [l[:3] for l in data.split(b"\r\n")
         if l[:3].isdigit() and l[3:4] == b" "]
print("halfclose", b",".join(codes).decode())
EOF
cat "$work/out" | sed 's/^/# /'
field() { awk -v k="$1" '$1 == k { print $'"$2"' }' "$work/out"; }
is "$(field busy 2)" 403 "a large answer is refused (403) while slow clients hold the budget"
is "$(field small 2)" 220 "a small answer still passes"
is "$(field count 2)" 210 "a count still passes"
is "$(field after 2)" 220 "the large answer is sent once the slow clients are gone"
ok "$([ "$(field after 3)" -gt 3000000 ]; echo $?)" "it is sent whole ($(field after 3) bytes)"
is "$(field hogs 2)" 210 "forty clients pipelining small answers and never reading: others are served"
if [ -n "${LARCH_SANITIZER:-}" ] && [ "$LARCH_SANITIZER" != none ] ||
	[ -n "${LARCH_DAEMON_WRAPPER:-}" ]; then
	skip "and they hold about the budget, not 40 high-water marks" \
		"larchd runs under a sanitizer or a wrapper"
else
	ok "$([ "$(field hogs 3)" -lt 20 ]; echo $?)" \
		"and they hold about the budget, not 40 high-water marks (larchd grew $(field hogs 3) MB)"
fi
is "$(field hogread 2)" 3000 "one that reads again gets every answer"
is "$(field halfclose 2)" 200,210,220,210 "a half-closed client gets every pipelined answer"
is "$(field hostile 2)" ok,ok,ok,ok,ok,ok,ok,ok,ok,ok,ok,ok \
	"hostile queries (10,000 words, 600 ORs, 2,000 parentheses, h*, huge or negative LIMIT/OFFSET, absurd dates, a NUL) get their codes"
grep -q 'refused: answers waiting for slow clients' "$work/larchd.log"
ok $? "the refusal is logged"

kill -TERM "$dpid"
wait_exit "$dpid" 300
is "$exited" 0 "larchd exits 0 on SIGTERM"
dpid=
done_testing
