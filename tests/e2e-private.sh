#!/usr/bin/env bash
# Private lists end to end (docs/protocol.md, AUTH): larchd serves a
# public list and two private ones, with messages cross-posted between
# them, a thread mixing public and private messages, and public quotes of
# private text.  Every command (SEARCH with each option, COUNT, THREAD,
# SHOW, RAW, SUMMARY, LISTS, STATS, CAPABILITIES, HELP) is sent in text and
# JSON with no token, a wrong token, each list's token and both; the raw
# bytes of every answer are searched for each private message id, subject,
# author, list name and distinctive word.  Without the token none may
# appear (and a request naming a private thing must be answered as if it
# did not exist); with it, all do.  Then: a token dropped by SIGHUP locks
# again, rejected AUTH is slowed, closed, limited server-wide and logged,
# the unix socket is owner-only (and unix_mode is honoured), TCP binds to
# loopback by default.  LARCH_DAEMON_WRAPPER (e.g. valgrind) wraps larchd.
# TAP.
set -u
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/larchd.sh"

tests=$(cd "$(dirname "$0")" && pwd)
LI="$LARCH_BUILD/indexer/larch-index"
LD="$LARCH_BUILD/daemon/larchd"
skip_unless_built "private lists" "$LD" "$LI"

work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
idx="$work/index"
sock="$work/larchd.sock"
addr="unix:$sock"
wrapped=${LARCH_DAEMON_WRAPPER:-}
tries=$(larchd_tries)

VAULT_TOKEN=vault-right-token-7f3a
VAULT_TOKEN2=vault-second-token-91c2
BOARD_TOKEN=board-token-55e0
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }

# --- the fixture -------------------------------------------------------------
# forum-open is public; vault-internal and board-secret are private.
#   b1 <- g1 (a ghost: not in the archive) <- p4 (public)
#   p1 (public) <- s2 (private reply to a public message)
#   s1 (private) <- p2 (public reply quoting s1) <- p3; s1 <- s3 (private)
#   x1 is cross-posted to forum-open and vault-internal: private.
#   b1 is alone in board-secret.
python3 - "$work" <<'EOF'
import sys
w = sys.argv[1]

def msg(mid, date, subject, body, frm, extra=()):
    addr = frm.split("<")[1].rstrip(">")
    out = f"From {addr} Mon Jan  1 10:00:00 2024\n"
    out += f"From: {frm}\nDate: {date}\nSubject: {subject}\n"
    out += f"Message-ID: <{mid}>\n"
    for e in extra:
        out += e + "\n"
    return out + "\n" + body + "\n\n"

ann = "Ann Open <ann@open.example>"
bob = "Bob Public <bob@open.example>"
zed = "Zed Hushauthor <zed@hush.example>"
yan = "Yan Quietwriter <yan@hush.example>"
bea = "Bea Boardmember <bea@board.example>"
cross = msg("x1@cross", "Fri, 5 Jan 2024 10:00:00 +0000",
            "Narwhal crossing memo",
            "The narwhalsecret memo goes to both lists. commonword", zed)
pub = msg("p1@pub", "Mon, 1 Jan 2024 10:00:00 +0000", "Public kickoff",
          "Welcome to the open forum about wombatpublic things. commonword",
          ann)
pub += msg("p2@pub", "Wed, 3 Jan 2024 10:00:00 +0000", "Budget question",
           "Someone wrote:\n"
           "> the quotable line about tapirquoted matters\n\n"
           "I agree about the wombatpublic tapirquoted point. commonword",
           bob, ("In-Reply-To: <s1@sec>", "References: <s1@sec>"))
pub += msg("p3@pub", "Thu, 4 Jan 2024 10:00:00 +0000", "Re: Budget question",
           "Following up in public on wombatpublic. commonword", ann,
           ("In-Reply-To: <p2@pub>", "References: <s1@sec> <p2@pub>"))
# p4 answers a message the archive lacks (g1), itself an answer to b1.
pub += msg("p4@pub", "Fri, 5 Jan 2024 12:00:00 +0000", "Gecko question",
           "Answering a message we never got, about geckopublic.", bob,
           ("In-Reply-To: <g1@ghost>", "References: <b1@board> <g1@ghost>"))
pub += cross
sec = msg("s1@sec", "Tue, 2 Jan 2024 10:00:00 +0000",
          "Okapi roadmap confidential",
          "The okapisecret plans are here.\n\n"
          "the quotable line about tapirquoted matters\n\ncommonword", zed)
sec += msg("s2@sec", "Tue, 2 Jan 2024 12:00:00 +0000", "Llama logistics",
           "Replying privately with llamasecret details. commonword", yan,
           ("In-Reply-To: <p1@pub>", "References: <p1@pub>"))
sec += msg("s3@sec", "Wed, 3 Jan 2024 12:00:00 +0000",
           "Re: Okapi roadmap confidential",
           "Zed Hushauthor wrote:\n> The okapisecret plans are here.\n\n"
           "quaggasecret follows. commonword", yan,
           ("In-Reply-To: <s1@sec>", "References: <s1@sec>"))
sec += cross
board = msg("b1@board", "Sat, 6 Jan 2024 10:00:00 +0000",
            "Ibex board minutes", "The ibexsecret minutes. commonword", bea)
open(f"{w}/forum-open.mbox", "w").write(pub)
open(f"{w}/vault-internal.mbox", "w").write(sec)
open(f"{w}/board-secret.mbox", "w").write(board)
EOF
st=0
for l in forum-open vault-internal board-secret; do
	"$LI" --index "$idx" --list "$l" --quiet "$work/$l.mbox" || st=1
done
ok $st "the fixture (a public list, two private ones) is indexed"

write_conf() {	# vault-token-digests [more [larchd] lines]: to stdout
	printf '[larchd]\nlog = stderr\n%s\n' "${2:-}"
	printf '[list vault-internal]\nprivate = true\ntokens = %s\n' "$1"
	printf '[list board-secret]\nprivate = true\ntokens = %s\n' \
		"$(sha "$BOARD_TOKEN")"
	# larch-index's keys in a list group are left alone by larchd.
	printf '[list forum-open]\nlist_id = forum-open.example\n'
}
write_conf "$(sha "$VAULT_TOKEN");$(sha "$VAULT_TOKEN2")" >"$work/larchd.conf"

# start CONF SOCK LOG [ARG...]: a larchd in the foreground; sets $spid.
# Waits until SOCK greets (when SOCK is not empty).
start() {
	local conf=$1 s=$2 log=$3
	shift 3
	$wrapped "$LD" --foreground --config "$conf" --index "$idx" "$@" \
		2>>"$log" &
	spid=$!
	pids+=("$spid")
	[ -z "$s" ] && return 0
	wait_greeting "unix:$s" "$spid" "$log"
}
# stop PID: SIGTERM; $stopped is its exit status (or "timeout").
stop() {
	kill -TERM "$1" 2>/dev/null
	wait_exit "$1" "$tries"
	stopped=$exited
	[ "$stopped" = timeout ] && kill -KILL "$1" 2>/dev/null
}

if ! start "$work/larchd.conf" "$sock" "$work/larchd.log" \
	--listen "$addr" --listen 127.0.0.1:0; then
	ok 1 "larchd starts"
	done_testing
	exit
fi
dpid=$spid


# --- every command, every session: the raw bytes ------------------------------
# What must not show without its token, and a stand-in for each name a
# request may carry: a request naming a private thing must be answered
# exactly as the same request naming something that does not exist.
cat >"$work/names.py" <<'PY'
import re

VAULT = ["s1@sec", "s2@sec", "s3@sec", "x1@cross", "Okapi roadmap",
         "Llama logistics", "Narwhal crossing", "okapisecret", "llamasecret",
         "quaggasecret", "narwhalsecret", "vault-internal", "Hushauthor",
         "Quietwriter", "hush.example"]
BOARD = ["b1@board", "Ibex board", "ibexsecret", "board-secret",
         "Boardmember", "board.example"]
DECOY = {"s1@sec": "zq1@none", "s2@sec": "zq2@none", "s3@sec": "zq3@none",
         "x1@cross": "zqx1@none", "b1@board": "zqb1@none",
         "vault-internal": "nolist-abcdef", "board-secret": "nolist-ghijk",
         "okapisecret": "zqoxnone1", "llamasecret": "zqlxnone2",
         "quaggasecret": "zqquagganone", "narwhalsecret": "zqnarwhalnone",
         "ibexsecret": "zqibexnone", "hushauthor": "zqhushnone",
         "zed@hush.example": "zq@nowhere.example",
         "bea@board.example": "zqb@nowhere.example",
         "okapi": "zqoqq", "llama": "zqlqq"}


def names_in(q):
    """The private names a request carries (longest first, no overlaps)."""
    found, rest = [], q
    for k in sorted(DECOY, key=len, reverse=True):
        if re.search(re.escape(k), rest, re.I):
            found.append(k)
            rest = re.sub(re.escape(k), " ", rest, flags=re.I)
    return found


def with_decoys(text, keys):
    """text with each of keys (any case) replaced by its stand-in."""
    if not keys:
        return text
    alt = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.sub(alt, lambda m: DECOY[m.group(0).lower()], text, flags=re.I)
PY

# One JSON object per (session, format): the requests and the raw bytes of
# each answer (as latin-1), for check.py.
cat >"$work/probe.py" <<'PY'
import json, os, sys
sys.path.insert(0, os.environ["TESTS"])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import larchc
from names import names_in, with_decoys

addr, out = sys.argv[1], sys.argv[2]
tokens = {
    "none": [], "wrong": ["not-a-token-0000"],
    "vault": [os.environ["VAULT_TOKEN"]], "board": [os.environ["BOARD_TOKEN"]],
    "both": [os.environ["VAULT_TOKEN"], os.environ["BOARD_TOKEN"]],
}
queries = ["commonword", "okapisecret", "narwhalsecret", "llamasecret",
           "quaggasecret", "ibexsecret", "tapirquoted", "wombatpublic",
           "list:vault-internal", "list:board-secret", "list:forum-open",
           "from:zed@hush.example", "from:hushauthor",
           "from:bea@board.example", "subject:okapi", "subject:llama",
           "mid:s1@sec", "mid:x1@cross", "thread:s1@sec", "thread:s2@sec",
           "thread:x1@cross", "thread:b1@board", "thread:p2@pub",
           "thread:p1@pub", "is:reply", "is:root", "commonw*",
           "date:2024-01-02", "NOT wombatpublic", "okapisecret OR tapirquoted",
           '"okapisecret plans"']
options = ["", "LIMIT 1", "LIMIT 2 OFFSET 1", "OFFSET 5", "SORT newest",
           "SORT oldest", "SORT relevance", "THREADS", "QUOTES", "EXACT",
           "THREADS QUOTES EXACT SORT oldest LIMIT 100"]
mids = ["p1@pub", "p2@pub", "p3@pub", "p4@pub", "x1@cross", "s1@sec", "s2@sec",
        "s3@sec", "b1@board", "<s1@sec>"]
reqs = []
for q in queries:
    reqs += ["SEARCH -- " + q, "SEARCH THREADS QUOTES EXACT -- " + q,
             "COUNT -- " + q, "COUNT THREADS -- " + q,
             "COUNT QUOTES -- " + q]
for o in options:
    reqs.append("SEARCH %s -- commonword OR okapisecret" % o)
for m in mids:
    reqs += ["THREAD " + m, "SHOW " + m, "RAW " + m, "SUMMARY " + m]
reqs += ["LISTS", "STATS", "STATS forum-open", "STATS vault-internal",
         "STATS board-secret", "CAPABILITIES", "HELP"]
# Each request naming something private once more, with stand-ins.
reqs += [with_decoys(q, names_in(q)) for q in reqs if names_in(q)]

with open(out, "w") as f:
    for session, toks in tokens.items():
        for fmt in ("text", "json"):
            c = larchc.Client(addr, timeout=120)
            c.greeting()
            auth = [c.command("AUTH " + t).status for t in toks]
            c.command("FORMAT " + fmt)
            # Pipelined: every request in one write, answers in order.
            c.send("".join(r + "\r\n" for r in reqs))
            answers = [c.read_reply().raw.decode("latin-1") for _ in reqs]
            c.close()
            f.write(json.dumps({"session": session, "format": fmt,
                                "auth": auth, "requests": reqs,
                                "answers": answers}) + "\n")
PY
TESTS="$tests" VAULT_TOKEN=$VAULT_TOKEN BOARD_TOKEN=$BOARD_TOKEN \
	python3 "$work/probe.py" "$addr" "$work/probe.jsonl" 2>"$work/probe.err"
ok $? "every request answered in 5 sessions x 2 formats ($(python3 -c '
import json, sys
print(sum(len(json.loads(l)["requests"]) for l in open(sys.argv[1])))' \
	"$work/probe.jsonl" 2>/dev/null) requests)"
sed 's/^/# /' "$work/probe.err"

# check.py prints one "STATUS<TAB>description[<TAB>diagnostic]..." line
# per test point.
cat >"$work/check.py" <<'PY'
import json, os, re, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from names import VAULT, BOARD, names_in, with_decoys

hidden = {"none": VAULT + BOARD, "wrong": VAULT + BOARD, "vault": BOARD,
          "board": VAULT, "both": []}
shown = {"none": [], "wrong": [], "vault": VAULT, "board": BOARD,
         "both": VAULT + BOARD}
sees_vault = {"vault", "both"}
cmds = ["SEARCH", "COUNT", "THREAD", "SHOW", "RAW", "SUMMARY", "LISTS",
        "STATS", "CAPABILITIES", "HELP"]


def tap(good, name, diag=()):
    print("\t".join([("0" if good else "1"), name] +
                    [re.sub(r"[\t\r\n]", " ", d) for d in list(diag)[:6]]))


def is_hidden(name, s):
    return any(name.lower() in h.lower() or h.lower() in name.lower()
               for h in hidden[s])


def strip_refs(answer):
    """RAW sends a visible message's source unchanged: its In-Reply-To
    and References may name a hidden message (docs/protocol.md, AUTH).
    Those header lines, and only those, are left out of the search."""
    out, in_refs = [], False
    for line in answer.split("\r\n"):
        if re.match(r"(?i)(in-reply-to|references):", line):
            in_refs = True
            continue
        if in_refs and line[:1] in (" ", "\t"):
            continue
        in_refs = False
        out.append(line)
    return "\r\n".join(out)


runs = [json.loads(l) for l in open(sys.argv[1])]
for r in runs:
    s, fmt = r["session"], r["format"]
    j = fmt == "json"
    ans = dict(zip(r["requests"], r["answers"]))
    want = {"none": [], "wrong": ["481"], "vault": ["281"],
            "board": ["281"], "both": ["281", "281"]}[s]
    tap([a[:3] for a in r["auth"]] == want,
        "%s/%s: AUTH answers %s" % (s, fmt, " ".join(want) or "-"),
        r["auth"])

    leaks = {c: [] for c in cmds}
    for q, a in ans.items():
        cmd = q.split()[0]
        text = a
        named = names_in(q)
        if named and all(is_hidden(k, s) for k in named):
            # About a hidden thing: answered as about nothing at all,
            # the request's own words echoed at most.
            q2 = with_decoys(q, named)
            if with_decoys(a, named) != ans[q2]:
                leaks[cmd].append("%r answered unlike %r: %r vs %r" % (
                    q, q2, a[:160], ans[q2][:160]))
            text = ans[q2]
        if cmd == "RAW":
            text = strip_refs(text)
        for needle in hidden[s]:
            if needle.lower() in text.lower():
                leaks[cmd].append("%r in the answer to %r: %r" % (
                    needle, q, a[:240]))
    if hidden[s]:
        for c in cmds:
            tap(not leaks[c], "%s/%s: nothing hidden in any %s answer" %
                (s, fmt, c), leaks[c])
    if shown[s]:
        blob = "".join(r["answers"]).lower()
        missing = [x for x in shown[s] if x.lower() not in blob]
        tap(not missing, "%s/%s: every unlocked id, subject, author, list "
            "and word appears" % (s, fmt), missing)

    # The figures as each session may see them.
    def status(q):
        return ans[q].split("\r\n")[0]

    def rows(q):
        lines = ans[q].split("\r\n")[1:-2]
        return [json.loads(l) for l in lines] if j else lines

    n = {"none": 3, "wrong": 3, "vault": 7, "board": 4, "both": 8}[s]
    tap(status("COUNT -- commonword").startswith("210 %d " % n),
        "%s/%s: COUNT of a word every message has: %d" % (s, fmt, n),
        [status("COUNT -- commonword")])
    nt = {"none": 2, "wrong": 2, "vault": 3, "board": 3, "both": 4}[s]
    tap(status("COUNT THREADS -- commonword").startswith("210 %d " % nt),
        "%s/%s: COUNT THREADS: %d" % (s, fmt, nt),
        [status("COUNT THREADS -- commonword")])
    st = rows("STATS")
    got = st[0]["messages"] if j else int(
        [l for l in st if l.startswith("messages ")][0].split()[1])
    # p4 has no commonword: one message more.
    tap(got == n + 1, "%s/%s: STATS messages %d" % (s, fmt, n + 1),
        [str(got)])
    if j:
        lists = sorted((o["name"], o["messages"]) for o in rows("LISTS"))
    else:
        lists = sorted((l.split("\t")[0], int(l.split("\t")[1]))
                       for l in rows("LISTS"))
    want_lists = {"none": [("forum-open", 4)],
                  "wrong": [("forum-open", 4)],
                  "vault": [("forum-open", 5), ("vault-internal", 4)],
                  "board": [("board-secret", 1), ("forum-open", 4)],
                  "both": [("board-secret", 1), ("forum-open", 5),
                           ("vault-internal", 4)]}[s]
    tap(lists == want_lists, "%s/%s: LISTS %s" % (s, fmt, " ".join(
        "%s:%d" % x for x in want_lists)), [str(lists)])
    if not j:
        continue
    sees = s in sees_vault
    th = [(o["mid"], o["depth"], o["parent"]) for o in rows("THREAD p3@pub")]
    want_th = [("s1@sec", 0, None), ("p2@pub", 1, "s1@sec"),
               ("p3@pub", 2, "p2@pub"), ("s3@sec", 1, "s1@sec")] if sees \
        else [("p2@pub", 0, None), ("p3@pub", 1, "p2@pub")]
    tap(th == want_th, "%s/json: THREAD of the mixed thread: %s" %
        (s, " ".join("%s@%d" % (m, d) for m, d, _ in want_th)), [str(th)])
    # Its depth counts the ghost, not the hidden message above it; while
    # anything is hidden, nothing above a ghost is counted.
    th = [(o["mid"], o["depth"]) for o in rows("THREAD p4@pub")]
    want_th = [("b1@board", 0), ("p4@pub", 2)] if s == "both" else \
        [("b1@board", 0), ("p4@pub", 1)] if s == "board" else [("p4@pub", 1)]
    tap(sorted(th) == sorted(want_th), "%s/json: THREAD of a reply to a "
        "ghost under a private message: %s" % (s, " ".join(
            "%s@%d" % x for x in want_th)), [str(th)])
    o = rows("SHOW p2@pub")[0]
    got = (o["parent"], o["headers"]["in_reply_to"], o["quote_sources"])
    want_show = ("s1@sec", "s1@sec", ["s1@sec"]) if sees else \
        (None, None, [None])
    tap(got == want_show, "%s/json: SHOW of a public reply quoting a "
        "private message: parent, In-Reply-To, quote source %s" %
        (s, "given" if sees else "null"), [str(got)])
    o = rows("SUMMARY p1@pub")[0]
    want_n = 2 if sees else 1
    tap(o["messages"] == want_n and len(o["items"]) == want_n,
        "%s/json: SUMMARY of a public thread with a private reply: %d "
        "messages" % (s, want_n), [str(o)[:300]])

# RAW of a visible message is the same bytes for everyone.
raws = {r["session"]: dict(zip(r["requests"], r["answers"]))["RAW p2@pub"]
        for r in runs if r["format"] == "text"}
tap(len(set(raws.values())) == 1 and
    list(raws.values())[0].startswith("220 "),
    "RAW of a public message: the same bytes with and without a token")
PY
python3 "$work/check.py" "$work/probe.jsonl" >"$work/checks" 2>"$work/check.err"
ok $? "the answers could be checked"
sed 's/^/# /' "$work/check.err"
while IFS=$'\t' read -r -a f; do
	_tap_report "${f[0]}" "${f[1]}" "${f[@]:2}"
done <"$work/checks"

# py CODE: runs CODE with larchc, os, sys, time, threading imported and
# ADDR, VAULT_TOKEN, VAULT_TOKEN2 in the environment.
py() {
	PYTHONPATH="$tests" ADDR="$addr" VAULT_TOKEN=$VAULT_TOKEN \
		VAULT_TOKEN2=$VAULT_TOKEN2 python3 -c "
import os, sys, threading, time, larchc
A = os.environ['ADDR']
def conn():
    c = larchc.Client(A, timeout=60)
    c.greeting()
    return c
def guessers(n, name):
    # n connections at once, each sending five wrong tokens
    def guess(i):
        c = conn()
        c.send(\"\".join(\"AUTH %s-%d-%d\\r\\n\" % (name, i, k)
                       for k in range(5)))
        for _ in range(5):
            c.read_reply()
    ts = [threading.Thread(target=guess, args=(i,)) for i in range(n)]
    for t in ts: t.start()
    for t in ts: t.join()
$1" "${@:2}"
}

# --- the client: LARCH_TOKEN is sent with AUTH before the request --------------
LC="$LARCH_BUILD/client/larch"
lists=$("$LC" -c "$addr" lists | cut -f1 | tr '\n' ' ')
is "$lists" "forum-open " "larch without LARCH_TOKEN: the public list only"
lists=$(LARCH_TOKEN=$VAULT_TOKEN "$LC" -c "$addr" lists | cut -f1 | tr '\n' ' ')
is "$lists" "forum-open vault-internal " "larch with LARCH_TOKEN: its list too"
is "$(LARCH_TOKEN=" $VAULT_TOKEN	$BOARD_TOKEN " "$LC" -c "$addr" --json count \
	commonword)" 8 "several blank-separated tokens add up; --json still works"
is "$(LARCH_TOKEN="$VAULT_TOKEN $BOARD_TOKEN" "$LC" -c "$addr" lists | wc -l)" 3 \
	"each token unlocks its own list"
err=$(LARCH_TOKEN=not-a-token "$LC" -c "$addr" lists 2>&1 >/dev/null)
is "$?" 2 "larch with a rejected token: exit 2"
like "$err" "rejected token 1 of LARCH_TOKEN (481" "and says which token and why"

# A private thread's id names nothing without the token, as an id of no
# thread does; with it, the thread.  x1 is alone in its thread.
tid=$(LARCH_TOKEN=$VAULT_TOKEN "$LC" -c "$addr" search mid:x1@cross | cut -f6)
grep -qxE 't[0-9a-f]{12}' <<<"$tid"
ok $? "a row gives the thread id of x1@cross ($tid)"
is "$("$LC" -c "$addr" thread "$tid" 2>&1 >/dev/null;
	"$LC" -c "$addr" summary t000000000000 2>&1 >/dev/null)" \
	"larch: thread: 430 no message or thread '$tid'
larch: summary: 430 no message or thread 't000000000000'" \
	"THREAD of a private thread's id without the token: as for no thread"
is "$(LARCH_TOKEN=$VAULT_TOKEN "$LC" -c "$addr" thread "$tid" | cut -f6)" \
	"x1@cross" "with it: the thread"

# --- SIGHUP: a token taken out of the configuration locks again ----------------
write_conf "$(sha "$VAULT_TOKEN")" >"$work/larchd.conf.new"
is "$(py '
import signal
a, b = conn(), conn()
print(a.command("AUTH " + os.environ["VAULT_TOKEN2"]).code,
      b.command("AUTH " + os.environ["VAULT_TOKEN"]).code,
      a.command("COUNT -- commonword").fields[0])
conf, log, pid = sys.argv[1:]
seen = open(log).read().count("SIGHUP: reloading")
os.replace(conf + ".new", conf)
os.kill(int(pid), signal.SIGHUP)
for _ in range(600):
    if open(log).read().count("SIGHUP: reloading") > seen:
        break
    time.sleep(0.1)
time.sleep(0.2)
print(a.command("COUNT -- commonword").fields[0],
      b.command("COUNT -- commonword").fields[0],
      a.command("STATS vault-internal").code)
' "$work/larchd.conf" "$work/larchd.log" "$dpid" | tr '\n' ' ')" "281 281 7 3 7 430 " \
	"SIGHUP dropping a token locks its lists again on an open connection; other tokens stay"

# --- rejected AUTH: slowed, closed, limited server-wide, logged -------------------
res=$(py '
c = conn()
print(c.command("AUTH wrong-token-a").status)
t0 = time.monotonic()
r = c.command("COUNT -- commonword")
print(r.code, "%.2f" % (time.monotonic() - t0))
')
like "$res" "481 authentication rejected" "a wrong token: 481"
held=$(tail -1 <<<"$res" | cut -d' ' -f2)
is "$(tail -1 <<<"$res" | cut -d' ' -f1) $(python3 -c "print($held >= 0.9)")" \
	"210 True" "the request after a rejected AUTH waits a second ($held s)"

is "$(py '
c = conn()
c.send("".join("AUTH wrong-token-%d\r\n" % i for i in range(5)) +
       "COUNT -- commonword\r\n")
codes = [c.read_reply().status for _ in range(5)]
print(" ".join(s[:3] for s in codes), "closing" in codes[-1], c.wait_close(10))
')" "481 481 481 481 481 True True" \
	"the fifth rejection on a connection says so and closes it"

# The tokens are never logged; every rejection is.
logged=$(grep -c 'AUTH rejected' "$work/larchd.log")
is "$(python3 -c "print($logged >= 8)")" True "every rejected AUTH is logged ($logged lines)"
if grep -q -e "$VAULT_TOKEN" -e "$BOARD_TOKEN" -e "$VAULT_TOKEN2" -e wrong-token \
	-e not-a-token "$work/larchd.log"; then
	ok 1 "no token, right or wrong, is in the log"
else
	ok 0 "no token, right or wrong, is in the log"
fi
like "$(grep 'AUTH unlocked' "$work/larchd.log" | head -1)" "unlocked vault-internal" \
	"an accepted AUTH is logged with the lists it unlocked"

# Beyond 30 rejections a minute server-wide even the right token is
# refused (seven connections fail five times each, in parallel).
is "$(py '
guessers(7, "guess")
c = conn()
print(c.command("AUTH " + os.environ["VAULT_TOKEN"]).code,
      c.command("COUNT -- commonword").fields[0])
')" "481 3" "after 30 rejections in a minute the right token is refused too"
like "$(grep 'AUTH rejected' "$work/larchd.log" | tail -1)" "too many failures server-wide" \
	"and the log says why"
# While locked, a guesser is refused as fast as it sends: those lines
# are capped (ten a minute), the others were 30 a minute at most anyway.
py 'guessers(6, "locked")' >/dev/null
locked=$(grep -c 'too many failures server-wide' "$work/larchd.log")
ok "$([ "$locked" -le 10 ]; echo $?)" \
	"refusals while locked are logged ten times a minute at most ($locked lines for 36)"

# --- the unix socket is owner-only; unix_mode is honoured ----------------------------
is "$(stat -c %a "$sock")" 600 "the unix socket is created mode 0600 by default"
tcp=$(grep -o 'listening on 127[^ ]*' "$work/larchd.log" | head -1)
like "$tcp" "listening on 127.0.0.1:" "TCP as configured: 127.0.0.1 ($tcp)"

write_conf "$(sha "$VAULT_TOKEN")" "unix_mode = 0660" >"$work/larchd.conf"
if start "$work/larchd.conf" "$work/other.sock" "$work/other.log" \
	--listen "unix:$work/other.sock"; then
	is "$(stat -c %a "$work/other.sock")" 660 "unix_mode = 0660 gives mode 0660"
	stop "$spid"
	is "$stopped" 0 "and that larchd stops with exit 0"
else
	ok 1 "a larchd with unix_mode = 0660 starts"
fi

# --- TCP binds to loopback by default ---------------------------------------------
# No listen anywhere: larchd's default, 127.0.0.1:4119.  Its listening
# sockets are found through /proc (their inodes among its descriptors).
if ! python3 -c '
import socket
for fam, host in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET, "127.0.0.1")):
    s = socket.socket(fam)
    s.bind((host, 4119))
    s.close()' 2>/dev/null; then
	skip "with no listen given, TCP binds 127.0.0.1:4119 only" "port 4119 is in use here"
else
	write_conf "$(sha "$VAULT_TOKEN")" >"$work/larchd.conf"
	start "$work/larchd.conf" "" "$work/default.log"
	for _ in $(seq $tries); do
		grep -q 'serving index' "$work/default.log" && break
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.1
	done
	is "$(python3 - "$spid" <<'PY'
import os, sys
pid = sys.argv[1]
inodes = set()
for fd in os.listdir("/proc/%s/fd" % pid):
    try:
        t = os.readlink("/proc/%s/fd/%s" % (pid, fd))
    except OSError:
        continue
    if t.startswith("socket:["):
        inodes.add(t[8:-1])
found = []
for name in ("tcp", "tcp6"):
    for line in open("/proc/%s/net/%s" % (pid, name)).readlines()[1:]:
        f = line.split()
        if f[3] != "0A" or f[9] not in inodes:	# 0A: LISTEN
            continue
        host, port = f[1].split(":")
        if name == "tcp":
            host = ".".join(str(int(host[i:i + 2], 16)) for i in (6, 4, 2, 0))
        print(name, host, int(port, 16))
PY
)" "tcp 127.0.0.1 4119" "with no listen given, TCP binds 127.0.0.1:4119 only"
	stop "$spid"
	is "$stopped" 0 "and that larchd stops with exit 0"
fi

# --- article pages of a private list ----------------------------------------------
# A page tail that a public and a private list share names the public
# page (the private one answered 430); one that only a private list has
# is answered as one that exists nowhere.
src="$tests/data/pipermail-html/policy-forum/2016-May/000002.html"
page() {	# list number mid
	mkdir -p "$work/pm/$1/2016-May"
	sed -e "s/c-only%40example.net/$3%40x/g" "$src" \
		>"$work/pm/$1/2016-May/$2.html"
}
page vault-internal 000001 privpage
page vault-internal 000007 privonly
page forum-open 000001 pubpage
"$LI" --index "$work/pmidx" --quiet "$work/pm/vault-internal" \
	"$work/pm/forum-open" 2>>"$work/pm.log"
ok $? "pipermail pages of a public and a private list are indexed"
write_conf "$(sha "$VAULT_TOKEN")" >"$work/larchd.conf"
main_idx=$idx
idx="$work/pmidx"
if start "$work/larchd.conf" "$work/pm.sock" "$work/pm-larchd.log" \
	--listen "unix:$work/pm.sock"; then
	out=$(python3 "$tests/larchc.py" "unix:$work/pm.sock" --no-greeting \
		'SHOW 2016-May/000001.html' 'SHOW 2016-May/000007.html' \
		'SHOW 2016-May/000099.html' |
		grep -E '^(Message-ID|[0-9]{3} )' | tr -d '\r')
	like "$(sed -n 2p <<<"$out")" "pubpage@x" \
		"a tail both lists have shows the public page without AUTH"
	nowhere=$(sed -n 4p <<<"$out")
	like "$nowhere" "430 no message on article page" \
		"a page that exists nowhere: 430"
	is "$(sed -n 3p <<<"$out" | sed 's/000007/000099/')" "$nowhere" \
		"a page only the private list has: the very same answer"
	stop "$spid"
else
	ok 1 "a larchd serving the pipermail index starts"
fi
idx=$main_idx

# --- the end ----------------------------------------------------------------------
stop "$dpid"
is "$stopped" 0 "larchd exits 0 on SIGTERM${wrapped:+ (and its wrapper found nothing)}"
if grep -q -E 'Sanitizer|runtime error|CRITICAL|ERROR SUMMARY: [1-9]' \
	"$work"/*.log; then
	ok 1 "no sanitizer, valgrind or GLib critical report in larchd's logs"
	grep -h -E -A20 'Sanitizer|runtime error|CRITICAL|ERROR SUMMARY: [1-9]' \
		"$work"/*.log | head -60 | sed 's/^/#   /'
else
	ok 0 "no sanitizer, valgrind or GLib critical report in larchd's logs"
fi

done_testing
