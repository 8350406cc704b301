#!/usr/bin/env bash
# End-to-end tests of larchd and larch with the real binaries: a fixture
# archive is indexed, larchd serves it on a private unix socket (and a TCP
# port), and every command of docs/protocol.md is checked in text and JSON
# with raw bytes (tests/larchc.py) and with the client: error codes and a
# usable connection after each, dot-stuffing, RAW's exact bytes,
# pipelining, garbage input, an index run showing up live, SIGHUP, SIGTERM
# with answers in flight, and the client's exit codes.  TAP.
set -u
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/larchd.sh"

tests=$(cd "$(dirname "$0")" && pwd)
LI="$LARCH_BUILD/indexer/larch-index"
LD="$LARCH_BUILD/daemon/larchd"
LC="$LARCH_BUILD/client/larch"
skip_unless_built "larchd and larch" "$LD" "$LC"

work=$(mktemp -d)
dpid=
stop_daemon() {
	if [ -n "$dpid" ] && kill -0 "$dpid" 2>/dev/null; then
		kill -TERM "$dpid" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$dpid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$dpid" 2>/dev/null
		wait "$dpid" 2>/dev/null
	fi
	dpid=
}
trap 'stop_daemon; rm -rf "$work"' EXIT
idx="$work/index"
sock="$work/larchd.sock"
addr="unix:$sock"

lc() { python3 "$tests/larchc.py" "$addr" "$@"; }
codes() { lc --no-greeting --codes --step "$@"; }
# py CODE: runs CODE with c, a connected larchc.Client past its greeting,
# q(line) sending one request, and json/sys imported.
py() {
	local code=$1
	shift
	PYTHONPATH="$tests" ADDR="$addr" python3 -c "
import json, os, sys, time, larchc
c = larchc.Client(os.environ['ADDR'])
greeting = c.greeting()
q = c.command
$code" "$@"
}
export_field() {	# mid python-expression-on-record-r
	"$LI" --index "$idx" --export | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r["mid"] == sys.argv[1]:
        print(eval(sys.argv[2]))' "$1" "$2"
}

# start_daemon [ARG...]: larchd in the foreground on $sock and a TCP port,
# logging to $work/larchd.log; waits for its greeting (10 s at most, 60 s
# under a wrapper).  LARCH_DAEMON_WRAPPER, a command prefix such as
# "valgrind --error-exitcode=99", runs larchd under it (its reports go to
# the log, which is checked at the end).
start_daemon() {
	rm -f "$sock"
	port=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	${LARCH_DAEMON_WRAPPER:-} "$LD" --foreground --config "$work/larchd.conf" \
		--index "$idx" --listen "$addr" --listen "127.0.0.1:$port" "$@" \
		2>>"$work/larchd.log" &
	dpid=$!
	wait_greeting "$addr" "$dpid" "$work/larchd.log"
}

# --- the fixture: two lists, threads, 25 dated messages, a Latin-1 .eml ------
python3 - "$work" <<'EOF'
import sys
w = sys.argv[1]

def msg(mid, date, subject, body, frm="Ann Example <ann@example.org>",
        extra=()):
    addr = frm.split("<")[1].rstrip(">")
    out = f"From {addr} Mon Jan  1 10:00:00 2024\n"
    out += f"From: {frm}\nDate: {date}\nSubject: {subject}\n"
    out += f"Message-ID: <{mid}>\n"
    for e in extra:
        out += e + "\n"
    return out + "\n" + body + "\n\n"

forum = msg("b1@t", "Mon, 1 Jan 2024 10:00:00 +0000",
            "Zebrafish budget for 2024",
            "Dear all,\n\n"
            "here is the zebrafish budget proposal with marmalade costs.\n"
            ".hidden line starting with a dot\n"
            ".\n"
            "Thanks,\nAnn")
forum += msg("b2@t", "Tue, 2 Jan 2024 10:00:00 +0000",
             "Re: Zebrafish budget for 2024",
             "Ann Example wrote:\n"
             "> here is the zebrafish budget proposal with marmalade costs.\n"
             "\nI support the zebrafish budget.",
             frm="Bob Builder <bob@example.org>",
             extra=("In-Reply-To: <b1@t>", "References: <b1@t>"))
forum += msg("b3@t", "Wed, 3 Jan 2024 10:00:00 +0000",
             "Re: Zebrafish budget for 2024",
             "Agreed, with one change to travel.",
             frm="Carol Chair <carol@example.org>",
             extra=("In-Reply-To: <b2@t>", "References: <b1@t> <b2@t>"))
forum += msg("b4@t", "Thu, 4 Jan 2024 10:00:00 +0000",
             "Re: Zebrafish budget for 2024",
             "A second branch: the numbers look fine to me.",
             frm="Dan Delegate <dan@example.org>",
             extra=("In-Reply-To: <b1@t>", "References: <b1@t>"))
for n in range(1, 26):
    forum += msg(f"w{n:02d}@t", f"Wed, {n} Feb 2023 12:00:00 +0000",
                 f"Widget report {n:02d}",
                 f"Weekly gizmoplex status number {n}.",
                 frm="Dave Widget <dave@example.org>")
open(f"{w}/forum.mbox", "w").write(forum)

import os
os.makedirs(f"{w}/infra")
open(f"{w}/infra/note.eml", "wb").write(
    b"From: Erin Admin <erin@example.org>\n"
    b"To: infra@lists.example.org\n"
    b"Date: Fri, 5 Jan 2024 09:30:00 +0000\n"
    b"Subject: Server migration\n"
    b"Message-ID: <e1@t>\n"
    b"MIME-Version: 1.0\n"
    b"Content-Type: text/plain; charset=iso-8859-1\n"
    b"Content-Transfer-Encoding: 8bit\n"
    b"\n"
    b"The caf\xe9 server moves on Friday; expect a short outage.\n"
    b".leading dot line\n"
    b"..two leading dots\n"
    b".\n"
    b"Erin\n")

open(f"{w}/live.mbox", "w").write(
    msg("l1@t", "Sat, 6 Jan 2024 08:00:00 +0000", "Quokkaflux arrives",
        "The quokkaflux report is here.", frm="Fay Late <fay@example.org>") +
    msg("l2@t", "Sat, 6 Jan 2024 09:00:00 +0000",
        "Line\u2028separator\u2029subject",
        "Wombatrix text with a line\u2028separator inside.",
        frm="Fay Late <fay@example.org>"))
EOF
# Our own configuration: nothing of the machine's is read.
printf '[larchd]\nlog = stderr\nline_max = 8192\n' >"$work/larchd.conf"
"$LI" --index "$idx" --list forum --quiet "$work/forum.mbox" &&
	"$LI" --index "$idx" --list infra --quiet "$work/infra"
ok $? "the fixture archive is indexed"
thread_b=$(export_field b1@t 'r["thread"]')

if ! start_daemon; then
	ok 1 "larchd starts and greets"
	done_testing
	exit
fi

# --- greeting, over the unix socket and TCP ----------------------------------
greet=$(lc)
like "$greet" "200 larch 1" "the greeting is 200, service larch, protocol 1"
is "$(python3 "$tests/larchc.py" "127.0.0.1:$port" --codes)" 200 \
	"larchd also greets on its TCP listener"
is "$(python3 "$tests/larchc.py" "127.0.0.1:$port" --no-greeting --codes \
	'COUNT -- gizmoplex')" 210 "and answers there"

# --- CAPABILITIES and HELP ------------------------------------------------------
caps=$(lc --no-greeting --unstuff CAPABILITIES)
is "$(head -1 <<<"$caps" | cut -c1-3)" 101 "CAPABILITIES answers 101"
like "$caps" $'\nVERSION 1\n' "CAPABILITIES: VERSION 1"
like "$caps" $'\nSCHEMA 1\n' "CAPABILITIES: SCHEMA 1"
like "$caps" $'\nLINE-MAX 8192\n' "CAPABILITIES: LINE-MAX 8192 by default"
like "$caps" $'\nFORMAT text json\n' "CAPABILITIES: FORMAT text json"
is "$(python3 -c '
import sys
want = "CAPABILITIES SEARCH COUNT THREAD SHOW RAW SUMMARY LISTS STATS FORMAT HELP QUIT".split()
for l in sys.stdin.read().splitlines():
    w = l.split()
    if w and w[0] == "COMMANDS":
        print(sorted(set(want) - set(w[1:])) or "all")
    if w and w[0] == "SEARCH":
        print(sorted({"OFFSET", "LIMIT", "SORT", "THREADS"} - set(w[1:])) or "all")
' <<<"$caps")" $'all\nall' "CAPABILITIES names every command and SEARCH option"
if grep -q '^SEARCH .*QUOTES' <<<"$caps"; then have_quotes=1; else have_quotes=; fi

help=$(lc --no-greeting --unstuff HELP)
is "$(head -1 <<<"$help" | cut -c1-3)" 100 "HELP answers 100"
is "$(python3 -c '
import sys
want = "CAPABILITIES SEARCH COUNT THREAD SHOW RAW SUMMARY LISTS STATS FORMAT HELP QUIT".split()
first = {l.split()[0].upper() for l in sys.stdin.read().splitlines()[1:] if l.split()}
print(sorted(set(want) - first) or "all")' <<<"$help")" all \
	"HELP has a usage line for every command"
is "$(lc --no-greeting --codes 'FORMAT json' HELP CAPABILITIES)" \
	"206 100 101" "HELP and CAPABILITIES answer the same under FORMAT json"

# --- SEARCH in text: rows, totals, LIMIT, OFFSET, SORT, THREADS ---------------
out=$(lc --no-greeting --unstuff 'SEARCH LIMIT 1 -- marmalade')
is "$(head -1 <<<"$out" | cut -d' ' -f1-4)" "211 1 1 0" \
	"SEARCH: 211 total returned offset"
row=$(sed -n 2p <<<"$out")
is "$(awk -F'\t' '{print NF}' <<<"$row")" 8 "a text row has 8 TAB-separated fields"
is "$(cut -f1-7 <<<"$row" | tr '\t' '|')" \
	"b1@t|$thread_b|2024-01-01T10:00:00Z|forum|ann@example.org|Ann Example|Zebrafish budget for 2024" \
	"row: mid, thread, UTC date, list, from, from_name, subject"
like "$(cut -f8 <<<"$row")" "zebrafish budget proposal" "row: the summary is the new text"
is "$(tail -1 <<<"$out")" "." "the block ends with a lone dot"

out=$(lc --no-greeting --unstuff 'SEARCH -- gizmoplex')
is "$(head -1 <<<"$out" | cut -d' ' -f1-4)" "211 25 20 0" \
	"25 matches; LIMIT defaults to 20"
is "$(sed '1d;$d' <<<"$out" | wc -l)" 20 "20 rows follow"
is "$(lc --no-greeting 'SEARCH EXACT LIMIT 1 -- gizmoplex' | head -1 |
	cut -d' ' -f1-5)" "211 25 1 0 exact" "EXACT: the total counts every match"
is "$(lc --no-greeting 'SEARCH LIMIT 1 -- marmalade' | head -1 |
	cut -d' ' -f5-)" "exact results follow" "a total Xapian bounds exactly says exact"
is "$(lc --no-greeting 'SEARCH LIMIT 1 -- gizmoplex OR marmalade' | head -1 |
	cut -d' ' -f5 | grep -cxE 'exact|estimated')" 1 \
	"the fifth word says whether the total is exact"
is "$(lc --no-greeting --codes 'COUNT EXACT -- gizmoplex')" 504 \
	"COUNT refuses EXACT: it is always exact"
is "$(lc --no-greeting --unstuff 'SEARCH LIMIT 5 OFFSET 20 SORT oldest -- gizmoplex' |
	sed '1d;$d' | cut -f1 | tr '\n' ' ')" "w21@t w22@t w23@t w24@t w25@t " \
	"OFFSET 20 LIMIT 5 SORT oldest: the last five by date"
is "$(lc --no-greeting 'SEARCH LIMIT 5 OFFSET 20 SORT oldest -- gizmoplex' |
	head -1 | cut -d' ' -f1-4)" "211 25 5 20" "the status line echoes the offset"
is "$(lc --no-greeting --unstuff 'search sort NEWEST limit 3 -- gizmoplex' |
	sed '1d;$d' | cut -f1 | tr '\n' ' ')" "w25@t w24@t w23@t " \
	"lowercase command and options, SORT newest"
is "$(lc --no-greeting --unstuff 'SEARCH SORT oldest LIMIT 1000 -- gizmoplex' |
	sed '1d;$d' | cut -f3 | sort -c && echo sorted)" sorted \
	"SORT oldest: dates ascend"
is "$(lc --no-greeting 'SEARCH OFFSET 30 -- gizmoplex' | sed -n '1s/ results.*//p;2p')" \
	$'211 25 0 30 exact\n.' "OFFSET past the end: total kept, empty block"
is "$(lc --no-greeting 'SEARCH -- nosuchwordanywhere' | sed -n '1s/^\(211 0 0 0\) .*/\1/p;2p')" \
	$'211 0 0 0\n.' "no match: 211 0 0 0 and an empty block"
# THREADS: the best-matching message of each thread stands for it.
best=$(lc --no-greeting --unstuff 'SEARCH LIMIT 1 -- zebrafish' | sed -n 2p | cut -f1)
is "$(lc --no-greeting --unstuff 'SEARCH THREADS -- zebrafish' |
	sed '$d' | cut -d' ' -f1-3 | cut -f1 | tr '\n' ' ')" "211 1 1 $best " \
	"THREADS: one row, the best match, for the 4 matching messages of one thread"
is "$(lc --no-greeting --unstuff 'SEARCH -- zebrafish' | sed '1d;$d' |
	cut -f2 | sort -u)" "$thread_b" "every message of a thread carries its id"
is "$(lc --no-greeting --unstuff 'SEARCH -- list:infra' | sed '1d;$d' | cut -f1,4)" \
	"e1@t	infra" "list: field query"
# map_index (on by default): the searches above read the index's tables
# through memory maps (daemon/index_reads.h), so Xapian still opens them
# with open() and larchd's own stands in front of it.
is "$(grep -c '/shard-0/postlist\.glass$' "/proc/$dpid/maps" | awk '{print ($1 > 0)}')" 1 \
	"larchd reads the index's tables through memory maps"
is "$(lc --no-greeting --unstuff 'SEARCH -- from:carol@example.org' | sed '1d;$d' | cut -f1)" \
	"b3@t" "from: field query"
is "$(lc --no-greeting --unstuff 'SEARCH LIMIT 30 -- subject:widget' | head -1 |
	cut -d' ' -f1-2)" "211 25" "subject: field query"
is "$(lc --no-greeting --unstuff 'SEARCH -- café' | sed '1d;$d' | cut -f1)" \
	"e1@t" "an 8-bit Latin-1 body is found by its decoded word"
is "$(lc --no-greeting 'COUNT -- "zebrafish -- budget"' | cut -d' ' -f1-2)" \
	"210 4" "everything after the first -- is the query, even another --"
is "$(lc --no-greeting --unstuff 'SEARCH -- LIMIT' | head -1 | cut -d' ' -f1-2)" \
	"211 0" "an option word after -- is query text, not an option"
q_codes=$(codes 'SEARCH QUOTES -- marmalade' 'COUNT QUOTES -- marmalade')
if [ -n "$have_quotes" ]; then
	is "$(lc --no-greeting 'COUNT QUOTES -- marmalade' | cut -d' ' -f1-2)" "210 2" \
		"QUOTES (advertised): quoted text matches too"
	# Quoted text's positions are not Xapian's (lib/store_phrase.cc):
	# phrases there still match, in order only, attributions too.
	is "$(lc --no-greeting 'COUNT QUOTES -- "proposal with marmalade"' \
		'COUNT QUOTES -- "marmalade with proposal"' \
		'COUNT QUOTES -- "ann example wrote"' \
		'COUNT -- "proposal with marmalade"' | cut -d' ' -f1-2)" \
		$'210 2\n210 0\n210 1\n210 1' \
		"QUOTES: a phrase matches in quoted text and attributions, in order"
else
	is "$q_codes" "503 503" "QUOTES (not advertised) answers 503"
fi
is "$(lc --no-greeting 'COUNT -- marmalade' | cut -d' ' -f1-2)" "210 1" \
	"without QUOTES, quoted text does not match"

# --- SEARCH in JSON ---------------------------------------------------------------
is "$(lc --no-greeting 'FORMAT json')" "206 json 1" "FORMAT json answers 206 json 1"
is "$(lc --no-greeting 'FORMAT JSON 1' 'format TEXT')" $'206 json 1\n206 text 1' \
	"FORMAT with a version, case-insensitive, and back to text"
lc --no-greeting --json 'FORMAT json' 'SEARCH LIMIT 1000 -- gizmoplex' \
	'SEARCH THREADS -- zebrafish' 'THREAD b1@t' 'SHOW b2@t' 'SUMMARY b1@t' \
	LISTS STATS 'STATS forum' >/dev/null
ok $? "under FORMAT json every block line is a JSON object with \"v\":1"
is "$(py '
q("FORMAT json")
r = q("SEARCH LIMIT 1 -- marmalade")
o = r.json()[0]
want = {"v", "mid", "thread", "date", "from", "from_name", "subject", "list", "summary"}
print(r.status.split()[:4], sorted(want - set(o)) or "all fields",
      o["mid"], o["thread"],
      o["date"], o["from"], o["from_name"], o["subject"], o["list"],
      "zebrafish budget proposal" in o["summary"],
      isinstance(o.get("score"), int) and 0 <= o["score"] <= 100)
')" "['211', '1', '1', '0'] all fields b1@t $thread_b 2024-01-01T10:00:00Z ann@example.org Ann Example Zebrafish budget for 2024 forum True True" \
	"a JSON search row carries the schema's fields and a score 0..100"
is "$(py '
q("FORMAT json")
r = q("SEARCH SORT newest LIMIT 3 -- gizmoplex")
print([o["mid"] for o in r.json()], ["score" in o for o in r.json()])
')" "['w25@t', 'w24@t', 'w23@t'] [False, False, False]" \
	"JSON rows sorted by date, without a score"
is "$(py '
q("FORMAT json")
print([(o["mid"], o.get("messages")) for o in q("SEARCH THREADS -- zebrafish").json()])
')" "[('$best', 4)]" "JSON THREADS row: messages in the thread"
is "$(py '
q("FORMAT json")
print(sorted({o.get("messages") for o in q("SEARCH -- zebrafish").json()}))
')" "[4]" "JSON search rows: each carries its thread's size too"
is "$(py '
text = q("SEARCH LIMIT 1000 SORT oldest -- gizmoplex OR zebrafish")
q("FORMAT json")
js = q("SEARCH LIMIT 1000 SORT oldest -- gizmoplex OR zebrafish")
print(text.status == js.status, [l.split(b"\t")[0].decode() for l in text.lines] ==
      [o["mid"] for o in js.json()], len(js.lines))
')" "True True 29" "text and JSON give the same rows in the same order"

# --- COUNT -----------------------------------------------------------------------
is "$(lc --no-greeting 'COUNT -- zebrafish' 'COUNT THREADS -- zebrafish' \
	'COUNT -- gizmoplex' 'COUNT -- nosuchwordanywhere' | cut -d' ' -f1-2)" \
	$'210 4\n210 1\n210 25\n210 0' "COUNT: 210 and the number, THREADS counts threads"
is "$(lc --no-greeting 'FORMAT json' 'COUNT -- zebrafish' | cut -d' ' -f1-2)" \
	$'206 json\n210 4' "COUNT is the same status line under FORMAT json"

# --- THREAD ------------------------------------------------------------------------
out=$(lc --no-greeting --unstuff 'THREAD b3@t')
is "$(head -1 <<<"$out" | cut -d' ' -f1-2)" "230 4" "THREAD: 230 and the message count"
is "$(sed '1d;$d' <<<"$out" | cut -f1,2 | tr '\t\n' ': ')" \
	"0:b1@t 1:b2@t 2:b3@t 1:b4@t " \
	"THREAD: parents before replies, siblings by date, with depths"
is "$(sed '1d;$d' <<<"$out" | awk -F'\t' '{print NF}' | sort -u)" 9 \
	"a THREAD row is depth + the 8 fields of a search row"
is "$(lc --no-greeting --unstuff 'THREAD <b3@t>')" "$out" \
	"a message-id in angle brackets names the same message"
is "$(lc --no-greeting --unstuff "THREAD $thread_b")" "$out" \
	"the thread id of a row names its thread too"
is "$(lc --no-greeting "SUMMARY $thread_b" | head -1)" \
	"$(lc --no-greeting 'SUMMARY b3@t' | head -1)" "and SUMMARY takes it"
is "$(lc --no-greeting 'THREAD t000000000000' 'SHOW '"$thread_b")" \
	"430 no message or thread 't000000000000'
430 no message '$thread_b'" "a thread id of no thread: 430; SHOW takes only messages"
is "$(py '
q("FORMAT json")
print([(o["mid"], o["depth"], o["parent"]) for o in q("THREAD b4@t").json()])
')" "[('b1@t', 0, None), ('b2@t', 1, 'b1@t'), ('b3@t', 2, 'b2@t'), ('b4@t', 1, 'b1@t')]" \
	"JSON THREAD rows carry depth and parent (null for the root)"

# --- SHOW --------------------------------------------------------------------------
out=$(lc --no-greeting 'SHOW b1@t')
is "$(head -1 <<<"$out" | cut -d' ' -f1-2)" "221 b1@t" "SHOW: 221 and the mid"
like "$out" $'\nFrom: Ann Example <ann@example.org>\n' "SHOW: From header"
like "$out" $'\nSubject: Zebrafish budget for 2024\n' "SHOW: Subject header"
like "$out" $'\nList: forum\n' "SHOW: List header"
is "$(grep -c -E '^Message-ID: <?b1@t>?$' <<<"$out")" 1 "SHOW: Message-ID header"
like "$out" $'\n\nDear all,' "SHOW: an empty line, then the new text"
like "$out" $'\n..hidden line starting with a dot\n' \
	"SHOW: a text line starting with '.' is dot-stuffed on the wire"
like "$out" $'\n..\n' "SHOW: a text line holding only '.' goes out as '..'"
like "$(lc --no-greeting --unstuff 'SHOW b1@t')" $'\n.hidden line starting with a dot\n.\nThanks,' \
	"unstuffed, the text is the author's"
out=$(lc --no-greeting --unstuff 'SHOW b2@t')
like "$out" $'\nIn-Reply-To: ' "SHOW of a reply: In-Reply-To header"
like "$out" $'\nAnn Example wrote:\n> here is the zebrafish budget proposal with marmalade costs.' \
	"SHOW: a quoted passage as lines starting with '> ', under its attribution line"
like "$out" "I support the zebrafish budget." "SHOW: the reply's new text"
is "$(py '
q("FORMAT json")
r = q("SHOW b2@t")
o = r.json()
print(r.status.split()[:2], len(o), sorted({"headers", "text", "quotes", "summary"} - set(o[0])) or "all",
      o[0]["text"].strip(), ["marmalade" in x for x in o[0]["quotes"]], bool(o[0]["summary"]),
      o[0]["quote_attributions"])
')" "['221', 'b2@t'] 1 all I support the zebrafish budget. [True] True ['Ann Example wrote:']" \
	"JSON SHOW: one object with headers, text, quotes, summary, quote attributions"

# --- RAW -------------------------------------------------------------------------
# The source's bytes, every line end as CRLF, dot-stuffed.
expect_raw() {	# file offset length: the wire form of those bytes
	python3 -c '
import sys
b = open(sys.argv[1], "rb").read()[int(sys.argv[2]):][:int(sys.argv[3])]
lines = b.split(b"\n")
if lines[-1] == b"":
    lines.pop()
out = b""
for l in lines:
    if l.endswith(b"\r"):
        l = l[:-1]
    out += (b"." + l if l.startswith(b".") else l) + b"\r\n"
sys.stdout.buffer.write(out + b".\r\n")' "$@"
}
lc --no-greeting --raw 'RAW e1@t' >"$work/raw.got"
{ printf '220 e1@t raw message follows\r\n'; expect_raw "$work/infra/note.eml" 0 100000; } \
	>"$work/raw.want"
is "$(head -c 10 "$work/raw.got")" "220 e1@t r" "RAW answers 220 and the mid"
cmp -s <(sed 1d "$work/raw.got") <(sed 1d "$work/raw.want")
ok $? "RAW of an .eml: the file's exact bytes (8-bit too), CRLF, dot-stuffed"
is "$(lc --no-greeting --raw 'FORMAT json' 'RAW e1@t' | sed 1d | md5sum)" \
	"$(md5sum <"$work/raw.got")" "FORMAT json does not apply to RAW"
src=$(export_field b1@t '"%d %d" % (r["sources"][0]["offset"], r["sources"][0]["length"])')
lc --no-greeting --unstuff 'RAW b1@t' | sed 1d >"$work/raw-mbox.got"
python3 -c '
import sys
f, off, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
b = open(f, "rb").read()[off:off + n]
got = open(sys.argv[4], "rb").read()
# The wire ends in "." and every line in LF (after larchc); the source
# range starts at its "From " line, which RAW may leave out.
got = got[:-2]
body = b.split(b"\n", 1)[1] if b.startswith(b"From ") else b
ok = got.rstrip(b"\n") in (b.rstrip(b"\n"), body.rstrip(b"\n"))
print("same" if ok else "differs: %r" % got[:300])' \
	"$work/forum.mbox" $src "$work/raw-mbox.got" >"$work/raw-mbox.cmp"
is "$(cat "$work/raw-mbox.cmp")" same "RAW of an mbox message: its bytes in the mbox"

# --- SUMMARY, LISTS, STATS ---------------------------------------------------------
out=$(lc --no-greeting --unstuff 'SUMMARY b3@t')
is "$(head -1 <<<"$out" | cut -d' ' -f1-2)" "231 $thread_b" \
	"SUMMARY of any message of a thread: 231 and the thread id"
like "$out" "Zebrafish budget for 2024" "SUMMARY names the subject"
like "$out" "4 messages" "SUMMARY counts the messages"
like "$out" "Carol Chair" "SUMMARY names the participants"
is "$(py '
q("FORMAT json")
r = q("SUMMARY b1@t")
o = r.json()
print(len(o), o[0].get("thread"), o[0].get("messages"))
')" "1 $thread_b 4" "JSON SUMMARY: one object with thread and messages"

out=$(lc --no-greeting --unstuff LISTS)
is "$(head -1 <<<"$out" | cut -d' ' -f1-2)" "215 2" "LISTS: 215 and the number of lists"
is "$(sed '1d;$d' <<<"$out" | awk '{print $1, $2, $3, substr($4, 1, 10), substr($5, 1, 10)}')" \
	$'forum 29 26 2023-02-01 2024-01-04\ninfra 1 1 2024-01-05 2024-01-05' \
	"LISTS: name, messages, threads, first and last date"
is "$(py '
q("FORMAT json")
rows = q("LISTS").json()
print(len(rows), sorted(json.dumps(o) for o in rows)[0].count("forum") >= 1,
      any(29 in o.values() for o in rows))
')" "2 True True" "JSON LISTS: one object per list"

out=$(lc --no-greeting --unstuff STATS)
is "$(head -1 <<<"$out" | cut -c1-3)" 216 "STATS answers 216"
is "$(sed '1d;$d' <<<"$out" | awk '$1 == "messages" {print $2}')" 30 \
	"STATS: messages 30"
is "$(lc --no-greeting --unstuff 'STATS forum' | sed '1d;$d' |
	awk '$1 == "messages" {print $2}')" 29 "STATS forum: that list's 29 messages"
is "$(py '
q("FORMAT json")
r = q("STATS")
print(len(r.lines), r.json()[0].get("messages"))
')" "1 30" "JSON STATS: one object"

# --- error codes, each leaving the connection usable --------------------------------
# The query itself is short (query text has its own, smaller cap).
long="COUNT$(printf '%8175s' '')-- gizmoplex"
is "${#long}" 8192 "(a request line of exactly 8192 bytes)"
errs=( 'FROB' '' '   ' 'THREAD' 'THREAD a@t b@t' 'SEARCH gizmoplex'
	'SEARCH --' 'SEARCH LIMIT 5 --   ' 'COUNT' 'QUIT now' 'CAPABILITIES x'
	'HELP me' 'LISTS x' 'FORMAT' 'FORMAT json 1 x' 'SHOW' 'RAW' 'SUMMARY'
	'SEARCH LIMIT 5000 -- gizmoplex' 'SEARCH LIMIT 0 -- gizmoplex'
	'SEARCH LIMIT x -- gizmoplex' 'SEARCH OFFSET 1000001 -- gizmoplex'
	'SEARCH OFFSET -1 -- gizmoplex' 'SEARCH LIMIT 2 LIMIT 3 -- gizmoplex'
	'SEARCH SORT sideways -- gizmoplex' 'SEARCH BOGUS -- gizmoplex'
	'SEARCH THREADS THREADS -- gizmoplex' 'COUNT LIMIT 5 -- gizmoplex'
	'COUNT SORT newest -- gizmoplex' 'COUNT OFFSET 1 -- gizmoplex'
	'FORMAT xml' 'FORMAT json 2'
	'SEARCH -- "unbalanced' 'COUNT -- (gizmoplex' 'COUNT -- form:ann'
	'THREAD nosuch@t' 'SHOW nosuch@t' 'RAW nosuch@t' 'SUMMARY nosuch@t'
	'STATS nosuchlist'
	"$(printf 'C%.0s' $(seq 8193))" "$long"x
	'COUNT -- caf\xff' 'COUNT\x00 -- x' 'COUNT -- \xc0\xaf' 'COUNT -- \xed\xa0\x80'
	'COUNT -- \xf4\x90\x80\x80' 'COUNT -- \xe2\x82' 'COUNT\r -- x' 'COUNT -- a\x7f' )
want=( 500 500 500 501 501 501 501 501 501 501 501 501 501 501 501 501 501 501
	504 504 504 504 504 504 504 504 504 504 504 504 504 504
	505 505 505 430 430 430 430 430 506 506 507 507 507 507 507 507 507 507 )
is "${#errs[@]}" "${#want[@]}" "(as many expected codes as bad requests)"
args=()
expect=
for i in "${!errs[@]}"; do
	args+=( "${errs[$i]}" 'COUNT -- gizmoplex' )
	expect+="${want[$i]} 210 "
done
is "$(codes "${args[@]}") " "$expect" \
	"each error code, and the next request on the connection answered"
is "$(lc --no-greeting --step "${args[@]}" | grep -c '^210 25 ')" "${#errs[@]}" \
	"after every error COUNT still answers correctly"
is "$(codes "$long" 'COUNT\t--\tgizmoplex' ' COUNT   --   gizmoplex ')" "210 210 210" \
	"a line of exactly 8192 bytes is accepted; TABs and blanks separate words"
is "$(lc --no-greeting "$long" | cut -d' ' -f1-2)" "210 25" \
	"and the 8192-byte line is read whole"
out=$(lc --no-greeting FROB 'SEARCH LIMIT 5000 -- x' 'SEARCH -- "unbalanced')
like "$(sed -n 1p <<<"$out")" "'FROB'" "500 quotes the unknown command"
like "$(sed -n 2p <<<"$out")" "'5000'" "504 quotes the bad value"
is "$(sed -n 3p <<<"$out" | grep -cE '^505 [0-9]+: ')" 1 "505 text starts with the byte offset"
out=$(lc --no-greeting 'THREAD nosuch@t' 'SUMMARY nosuch@t' 'SHOW 2016-May/000001.html')
is "$(sed -n 1,2p <<<"$out" | tr -d '\r' | tr '\n' '|')" \
	"430 no message 'nosuch@t'|430 no message 'nosuch@t'|" \
	"THREAD and SUMMARY of a missing message quote the id, as SHOW does"
like "$(sed -n 3p <<<"$out")" "NNNNNN.html pages" \
	"430 for an article page says which pages larch-index reads"
is "$(python3 -c 'import sys; sys.stdout.write("COUNT -- " + "gizmoplex " * 200000)' |
	PYTHONPATH="$tests" ADDR="$addr" python3 -c '
import os, sys, larchc
c = larchc.Client(os.environ["ADDR"]); c.greeting()
c.send(sys.stdin.buffer.read() + b"\r\nCOUNT -- zebrafish\r\n")
print(c.read_reply().code, c.read_reply().status[:5])')" "506 210 4" \
	"a 2 MB line: 506, then the next request is served"

# A field after '+' or '-' is checked as without them: "+date:abc" reached
# the date processor, whose exception aborted larchd inside Xapian's
# parser (free(): invalid pointer), for any client.
bad=( '+date:abc' '-date:abc' '+date:2016-13' '+date:..' '(+date:abc)'
	'gizmoplex OR +date:abc' '-date:abc gizmoplex' '!date:abc' '+foo:bar'
	'-is:foo' '+has:x' '+date:' 'x -date:2016..2015' )
args=()
for q in "${bad[@]}"; do args+=( "COUNT -- $q" ); done
is "$(codes "${args[@]}" 'COUNT -- gizmoplex -date:2016')" \
	"$(printf '505 %.0s' "${bad[@]}")210" \
	"a bad field value after + or - is a 505, and larchd keeps serving"
is "$(lc --no-greeting 'COUNT -- foo -date:2016-5' | cut -d: -f1)" "505 10" \
	"the 505 of a bad date after '-' points at the date"

# Only excluded words: every message but those (Xapian found the ones
# containing them); a lone '*' and NEAR with a wildcard are refused.
is "$(codes 'COUNT -- -gizmoplex' 'COUNT -- -gizmoplex -zebrafish' 'COUNT -- *' \
	'COUNT -- gizmo* NEAR status')" "210 210 505 505" \
	"excluded words alone are answered, '*' and 'gizmo* NEAR' refused"
is "$(lc --no-greeting 'COUNT -- -gizmoplex' 'COUNT -- -gizmoplex -zebrafish' |
	cut -d' ' -f1-2 | tr '\n' '|')" "210 5|210 1|" \
	"-gizmoplex counts the 5 messages without it, -gizmoplex -zebrafish 1"

# --- binary garbage ------------------------------------------------------------------
is "$(PYTHONPATH="$tests" ADDR="$addr" python3 -c '
import os, random, larchc
rnd = random.Random(4)
junk = bytes(rnd.getrandbits(8) for _ in range(65536))
junk += b"\n"
c = larchc.Client(os.environ["ADDR"]); c.greeting()
c.send(junk + b"COUNT -- gizmoplex\r\n")
codes = [c.read_reply().code for _ in range(junk.count(b"\n"))]
bad = [x for x in codes if x < 500 or x > 507]
last = c.read_reply().status[:6]
print(len(codes), bad, last, c.pending() == b"")
')" "$(python3 -c '
import random
rnd = random.Random(4)
junk = bytes(rnd.getrandbits(8) for _ in range(65536)) + b"\n"
print(junk.count(b"\n"), [], "210 25", True)')" \
	"64 KiB of random bytes: one 5xx per line, then served normally"

# --- pipelining -----------------------------------------------------------------------
pipe=( 'COUNT -- zebrafish' 'SEARCH LIMIT 2 SORT newest -- gizmoplex' FROB
	'FORMAT json' 'SEARCH LIMIT 2 SORT oldest -- gizmoplex' 'THREAD b2@t'
	'COUNT -- gizmoplex' 'SHOW b1@t' 'FORMAT text' 'SHOW b1@t' 'RAW e1@t'
	'SUMMARY b2@t' LISTS 'STATS infra' 'SEARCH LIMIT 5000 -- x' 'COUNT -- marmalade'
	CAPABILITIES HELP 'SEARCH -- nosuchwordanywhere' 'COUNT THREADS -- zebrafish' )
lc --no-greeting --raw "${pipe[@]}" >"$work/pipelined"
p=$?
lc --no-greeting --raw --step "${pipe[@]}" >"$work/stepped"
is "$p $?" "0 0" "pipelined and one-by-one sessions are well framed"
cmp -s "$work/pipelined" "$work/stepped"
ok $? "20 requests in one write: the same answers, in order"
is "$(python3 -c '
import sys
n = int(sys.argv[1])
sys.stdout.write("".join("COUNT -- %s\r\n" % ("gizmoplex", "zebrafish", "marmalade")[i % 3] for i in range(n)))' 1000 |
	PYTHONPATH="$tests" ADDR="$addr" python3 -c '
import os, sys, larchc
c = larchc.Client(os.environ["ADDR"]); c.greeting()
c.send(sys.stdin.buffer.read())
got = [int(c.read_reply().fields[0]) for _ in range(1000)]
print(got == [(25, 4, 1)[i % 3] for i in range(1000)], c.pending() == b"")')" \
	"True True" "1000 pipelined COUNTs: 1000 answers, each in its place"

# --- QUIT ------------------------------------------------------------------------------
is "$(lc --no-greeting --expect-close 'COUNT -- zebrafish' QUIT | cut -c1-3)" \
	$'210\n205' "QUIT answers 205 and the server closes"
is "$(lc --no-greeting --expect-close --replies 1 'QUIT\r\nCOUNT -- zebrafish' | cut -c1-3)" \
	"205" "requests after QUIT are not answered"

# --- readers that do not read, clients that vanish, half-closed sockets ---------------
# Four connections ask for 2,000 large answers each and read none: output
# is bounded per connection, so the daemon neither grows nor stalls.
res=$(PYTHONPATH="$tests" ADDR="$addr" DPID="$dpid" python3 -c '
import os, time, larchc
def rss():
    for l in open("/proc/%s/status" % os.environ["DPID"]):
        if l.startswith("VmRSS:"):
            return int(l.split()[1]) // 1024
before = rss()
hogs = []
for _ in range(4):
    h = larchc.Client(os.environ["ADDR"]); h.greeting()
    h.send(b"FORMAT json\r\n" +
           b"SEARCH LIMIT 1000 -- gizmoplex OR zebrafish\r\n" * 2000)
    hogs.append(h)
time.sleep(1.5)
c = larchc.Client(os.environ["ADDR"]); c.greeting()
t0 = time.monotonic()
r = c.command("COUNT -- zebrafish")
took = time.monotonic() - t0
grown = rss() - before
print(r.status[:5], took < 1.0, grown < 64, "(%.3f s, %+d MB)" % (took, grown))
# Now read one hog: its answers are whole.
h = hogs[0]
print(h.read_reply().code, h.read_reply().code == 211)
for h in hogs:
    h.close()
')
like "$res" "210 4 True" "four readers that do not read: others are served at once"
# Memory figures mean nothing under a sanitizer (quarantine, shadow).
if [ -n "${LARCH_SANITIZER:-}" ] && [ "$LARCH_SANITIZER" != none ]; then
	skip "and larchd grows by less than 64 MB" "built with $LARCH_SANITIZER"
else
	like "$res" "210 4 True True" "and larchd grows by less than 64 MB"
fi
echo "# $(head -1 <<<"$res" | cut -d' ' -f5-)"
like "$res" $'\n206 True' "a reader that resumes gets whole answers"

is "$(PYTHONPATH="$tests" ADDR="$addr" python3 -c '
import os, socket, larchc
for i in range(50):
    s = socket.socket(socket.AF_UNIX)
    s.connect(os.environ["ADDR"][5:])
    s.sendall(b"SEARCH LIMIT 1000 -- gizmoplex OR zebrafish\r\n" * 20 +
              b"THREAD b1@t\r\nRAW e1@t\r\n")
    if i % 2:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
    s.close()
c = larchc.Client(os.environ["ADDR"]); c.greeting()
print(c.command("COUNT -- zebrafish").status[:5])')" "210 4" \
	"50 clients that vanish with queries in flight: still serving"
kill -0 "$dpid" 2>/dev/null
ok $? "larchd survived them"

is "$(PYTHONPATH="$tests" ADDR="$addr" python3 -c '
import os, socket, larchc
c = larchc.Client(os.environ["ADDR"]); c.greeting()
c.send(b"COUNT -- zebrafish\r\nSEARCH LIMIT 1 SORT oldest -- gizmoplex\r\n")
c.sock.shutdown(socket.SHUT_WR)
a, b = c.read_reply(), c.read_reply()
print(a.status[:5], b.lines[0].split(b"\t")[0].decode(), c.wait_close())')" \
	"210 4 w01@t True" \
	"a client that half-closes after its requests gets its answers, then EOF"

# --- the client -----------------------------------------------------------------------
L() { "$LC" --connect "$addr" "$@"; }
out=$(L search gizmoplex); st=$?
is "$st" 0 "larch search: exit 0 when something is found"
is "$(grep -c 'Widget report' <<<"$out")" 20 "larch search prints 20 results by default"
is "$(L search --limit 5 gizmoplex | grep -c 'Widget report')" 5 "larch search --limit 5"
L --json search --limit 25 gizmoplex >"$work/client.json"
is "$(python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(len(rows), all(r["v"] == 1 for r in rows), sorted(r["mid"] for r in rows)[0])' \
	"$work/client.json")" "25 True w01@t" "larch --json passes the JSON Lines through"
is "$(L --json search --limit 25 gizmoplex | md5sum)" \
	"$(lc --no-greeting --unstuff 'FORMAT json' 'SEARCH LIMIT 25 -- gizmoplex' |
		sed '1,2d;$d' | md5sum)" "larch --json rows are the daemon's rows"
like "$(L search zebrafish budget)" "Zebrafish budget for 2024" \
	"larch search joins its words into one query"
L search nosuchwordanywhere >"$work/out" 2>&1
is "$? $(wc -l <"$work/out")" "1 0" "larch search: exit 1 and no rows when nothing is found"
is "$(L count zebrafish)" 4 "larch count prints the number"
L count nosuchwordanywhere >"$work/out"
is "$? $(cat "$work/out")" "1 0" "larch count: 0 and exit 1 when nothing matches"
out=$(L thread b3@t); st=$?
is "$st $(grep -c 'Zebrafish\|zebrafish\|Agreed\|branch' <<<"$out")" "0 4" \
	"larch thread: the four messages"
out=$(L show b1@t); st=$?
like "$out" $'\n.hidden line starting with a dot' "larch show: '.' lines unstuffed"
is "$st $(grep -c '^\.\.hidden' <<<"$out")" "0 0" "larch show: exit 0, no stuffing left"
L raw e1@t >"$work/raw.client"
is "$?" 0 "larch raw: exit 0"
cmp -s "$work/raw.client" "$work/infra/note.eml"
ok $? "larch raw writes the source file's exact bytes"
like "$(L summary b2@t)" "Zebrafish budget for 2024" "larch summary"
like "$(L lists)" "infra" "larch lists"
like "$(L stats)" "30" "larch stats"
like "$(L stats forum)" "29" "larch stats LIST"
L show nosuch@t >/dev/null 2>&1
is "$?" 1 "larch show of an unknown message: exit 1 (nothing found)"
L search '"unbalanced' >/dev/null 2>"$work/err"
is "$?" 2 "larch search with a bad query: exit 2 (a refused request, as documented)"
like "$(cat "$work/err")" "unbalanced" "the client prints the server's reason"
# A stand-in server for the answers larchd gives only when something
# breaks: 403 (internal fault) must exit 4, a 400 greeting 3.
python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(8)
for greet, answer in ((b"200 larch 1 ready", b"403 internal fault"),
                      (b"400 index missing", None),
                      (b"200 larch 1 ready", b"299 what")):
    c, _ = s.accept()
    c.sendall(greet + b"\r\n")
    if answer:
        c.recv(65536)
        c.sendall(answer + b"\r\n")
    c.close()' "$work/fake.sock" &
fake=$!
for _ in $(seq 50); do [ -S "$work/fake.sock" ] && break; sleep 0.1; done
"$LC" --connect "unix:$work/fake.sock" count zebrafish >/dev/null 2>&1
is "$?" 4 "larch on a 403 (internal fault): exit 4"
"$LC" --connect "unix:$work/fake.sock" count zebrafish >/dev/null 2>&1
is "$?" 3 "larch on a 400 greeting (service unavailable): exit 3"
"$LC" --connect "unix:$work/fake.sock" count zebrafish >/dev/null 2>&1
is "$?" 4 "larch on a reply it does not understand: exit 4"
kill "$fake" 2>/dev/null; wait "$fake" 2>/dev/null
"$LC" --connect "$addr" >/dev/null 2>&1
is "$?" 2 "larch without a command: exit 2"
L frobnicate >/dev/null 2>&1
is "$?" 2 "larch with an unknown command: exit 2"
L search >/dev/null 2>&1
is "$?" 2 "larch search without a query: exit 2"
L --bogus-option search x >/dev/null 2>&1
is "$?" 2 "larch with an unknown option: exit 2"
L search -samba >/dev/null 2>"$work/dash.err"
is "$?:$(grep -c "goes after '--'" "$work/dash.err")" "2:1" \
	"larch search -samba (read as -s): exit 2, and the hint to put words after --"
"$LC" --connect "unix:$work/nothing-here" search x >/dev/null 2>&1
is "$?" 3 "larch on a missing socket: exit 3"
"$LC" --connect "127.0.0.1:1" search x >/dev/null 2>&1
is "$?" 3 "larch on a closed TCP port: exit 3"
out=$("$LC" --connect "127.0.0.1:$port" count zebrafish); st=$?
is "$st $out" "0 4" "larch over TCP"
# Output it cannot write: exit 4, not a death by SIGPIPE, and the socket
# never takes a closed standard output's place.
is "$(python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)		# the reader is gone before larch writes
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
print("%d:%s" % (p.returncode, p.stderr.decode().strip()))' \
	"$LC" --connect "$addr" search -- zebrafish)" "4:" \
	"larch into a pipe nobody reads: exit 4, quietly, not killed by SIGPIPE"
L lists >&- 2>"$work/closed.err"
is "$?:$(cat "$work/closed.err")" \
	"4:larch: cannot write the output: standard output is closed" \
	"larch with standard output closed: exit 4 and says so"
help=$("$LC" --help 2>&1)
like "$help" "search" "larch --help lists the commands"
is "$(grep -cE '^ +[0-4] +[a-z]' <<<"$help")" 5 "larch --help documents the five exit codes"

# --- an index run shows up live ------------------------------------------------------------
is "$(PYTHONPATH="$tests" ADDR="$addr" python3 -c '
import os, subprocess, sys, time, larchc
c = larchc.Client(os.environ["ADDR"]); c.greeting()
before = c.command("COUNT -- quokkaflux").fields[0]
subprocess.run([sys.argv[1], "--index", sys.argv[2], "--list", "forum",
                "--quiet", sys.argv[3]], check=True)
t0 = time.monotonic()
seen = None
while time.monotonic() - t0 < 3:
    r = c.command("COUNT -- quokkaflux")
    if r.code == 210 and r.fields[0] == "1":
        seen = time.monotonic() - t0
        break
    time.sleep(0.02)
d = larchc.Client(os.environ["ADDR"]); d.greeting()
row = d.command("SEARCH -- quokkaflux").lines
print(before, seen is not None and seen < 1.0, row[0].split(b"\t")[0].decode() if row else None)
print("seen after %.3f s" % seen if seen is not None else "never seen", file=sys.stderr)
' "$LI" "$idx" "$work/live.mbox" 2>"$work/live.err")" "0 True l1@t" \
	"new mail indexed while serving is found within 1 s, same connection, no restart"
echo "# $(cat "$work/live.err")"
# U+2028 and U+2029 are valid in JSON strings, but line splitters end
# lines there: every JSON answer escapes them.
is "$(py '
q("FORMAT json")
raw = b"".join(l for cmd in ("SEARCH -- wombatrix", "SHOW l2@t",
    "SUMMARY l2@t") for l in q(cmd).lines)
print(b"\xe2\x80\xa8" in raw or b"\xe2\x80\xa9" in raw,
      raw.count(b"\\u2028") >= 3, json.loads(q("SEARCH -- wombatrix").lines[0])["subject"]
      == "Line\u2028separator\u2029subject")
')" "False True True" "JSON answers escape U+2028 and U+2029"

# --- SIGHUP: reload, still serving ------------------------------------------------------------
# The reload is seen: a smaller line_max applies after it.  Before it the
# rows may come from larchd's copy in memory (the default rows_memory),
# after it (rows_memory = 0) only from the index, read with pread()
# (map_index = false): the same rows.
rows_before=$(lc --no-greeting --unstuff "SEARCH -- zebrafish OR wombatrix")
printf '[larchd]\nlog = stderr\nline_max = 1024\nidle_timeout = 1\nmax_connections = 4\nrows_memory = 0\nmap_index = false\n' \
	>"$work/larchd.conf"
is "$(py '
r1 = q("COUNT -- zebrafish").status[:5]
idle = larchc.Client(os.environ["ADDR"])
idle.greeting()
os.kill(int(sys.argv[1]), 1)
time.sleep(0.5)
r = q("COUNT -- zebrafish")
if r.code == 431:
    time.sleep(0.5)
    r = q("COUNT -- zebrafish")
d = larchc.Client(os.environ["ADDR"])
# The server may say why before it closes (any text); then it must close.
idle.sock.settimeout(3)
try:
    while idle.sock.recv(4096):
        pass
    closed = True
except OSError:
    closed = False
print(r1, r.status[:5], d.greeting().code, d.command("COUNT -- quokkaflux").status[:5],
      closed)
' "$dpid")" "210 4 210 4 200 210 1 True" \
	"after SIGHUP: an open connection and a new one are served; one idle since before it gets the new idle_timeout"
kill -0 "$dpid" 2>/dev/null
ok $? "larchd is still running after SIGHUP"
is "$(lc --no-greeting --unstuff "SEARCH -- zebrafish OR wombatrix")" "$rows_before" \
	"rows_memory = 0, map_index = false (set by SIGHUP): the same rows, now read from the index"
is "$(lc --no-greeting --unstuff CAPABILITIES | grep '^LINE-MAX')" "LINE-MAX 1024" \
	"SIGHUP re-read the configuration: LINE-MAX 1024"
is "$(codes "COUNT$(printf '%1100s' '')-- zebrafish" 'COUNT -- zebrafish')" "506 210" \
	"a line over the new line_max is 506 after SIGHUP"
is "$(py '
before = q("COUNT -- zebrafish").code
time.sleep(2.5)
# The server may say why before it closes (any text); then it must close.
c.sock.settimeout(3)
try:
    while c.sock.recv(4096):
        pass
    print(before, "closed")
except OSError as e:
    print(before, "still open:", e)
')" "210 closed" "idle_timeout 1 (set by SIGHUP): an idle connection is closed"
is "$(PYTHONPATH="$tests" ADDR="$addr" python3 -c '
import os, time, larchc
time.sleep(0.2)		# earlier connections are gone
cs = [larchc.Client(os.environ["ADDR"]) for _ in range(4)]
codes = [x.greeting().code for x in cs]
extra = larchc.Client(os.environ["ADDR"])
codes.append(extra.greeting().code)
closed = extra.wait_close(2)
cs[0].close()
time.sleep(0.3)
again = larchc.Client(os.environ["ADDR"]).greeting().code
print(codes, closed, again)')" "[200, 200, 200, 200, 400] True 200" \
	"max_connections 4 (set by SIGHUP): the fifth is greeted 400 and closed; a freed slot is reused"
# A client refused over and over does not write a log line each time.
before=$(grep -c 'refusing connection' "$work/larchd.log")
is "$(PYTHONPATH="$tests" ADDR="$addr" python3 -c '
import os, time, larchc
time.sleep(0.2)
cs = [larchc.Client(os.environ["ADDR"]) for _ in range(4)]
[x.greeting() for x in cs]
codes = set()
for _ in range(40):
    extra = larchc.Client(os.environ["ADDR"])
    codes.add(extra.greeting().code)
    extra.wait_close(2)
print(sorted(codes))')" "[400]" "forty more connections over max_connections are each greeted 400"
after=$(grep -c 'refusing connection' "$work/larchd.log")
ok "$([ $((after - before)) -ge 1 ] && [ $((after - before)) -le 10 ]; echo $?)" \
	"refused connections are logged, ten times a minute at most ($((after - before)) lines for 40)"

# --- SIGTERM: answers in flight complete, then exit 0 ---------------------------------------
# A reader that does not read makes the daemon hold answers; SIGTERM then
# must let them finish (none cut short), refuse new connections, exit 0.
res=$(PYTHONPATH="$tests" ADDR="$addr" python3 -c '
import os, signal, sys, time, larchc
pid = int(sys.argv[1])
ref = larchc.Client(os.environ["ADDR"]); ref.greeting()
ref.command("FORMAT json")
want = ref.command("SEARCH LIMIT 1000 -- gizmoplex OR zebrafish").raw
ref.close()
c = larchc.Client(os.environ["ADDR"], timeout=20); c.greeting()
c.command("FORMAT json")
n = 1000
c.send(b"SEARCH LIMIT 1000 -- gizmoplex OR zebrafish\r\n" * n)
time.sleep(0.5)		# the daemon reads, answers, blocks on our window
os.kill(pid, signal.SIGTERM)
time.sleep(0.3)
try:
    d = larchc.Client(os.environ["ADDR"], timeout=1)
    late = "greeted %d" % d.greeting().code
except larchc.Closed as e:
    late = "not served"
except OSError:
    late = "refused"
got, bad = 0, 0
try:
    while got < n:
        r = c.read_reply()
        got += 1
        bad += r.raw != want
    end = "all answered"
except larchc.Closed:
    end = "closed"		# after complete answers only
except larchc.ProtocolError as e:
    end = "cut: %s" % e
print(got > 0, bad, end in ("all answered", "closed") and c.buf == b"", late)
print("%d of %d pipelined answers before the close (%s)" % (got, n, end), file=sys.stderr)
' "$dpid" 2>"$work/term.err")
like "$res" "True 0 True" "after SIGTERM the answers in flight arrive whole and correct"
case "$res" in
*" not served"|*" refused") ok 0 "after SIGTERM no new connection is served" ;;
*) ok 1 "after SIGTERM no new connection is served ($res)" ;;
esac
echo "# $(cat "$work/term.err")"
wait_exit "$dpid"
is "$exited" 0 "larchd exits 0 after SIGTERM"
dpid=

# --- SIGINT too, with an idle client connected -------------------------------------------------
if start_daemon; then
	PYTHONPATH="$tests" ADDR="$addr" python3 -c '
import os, time, larchc
c = larchc.Client(os.environ["ADDR"]); c.greeting()
time.sleep(30)' &
	idle=$!
	sleep 0.3
	kill -INT "$dpid"
	wait_exit "$dpid"
	is "$exited" 0 "SIGINT with an idle client connected: exit 0 within 10 s"
	kill "$idle" 2>/dev/null; wait "$idle" 2>/dev/null
	dpid=
else
	ok 1 "larchd restarts"
fi

# --- a malformed --listen is bad usage --------------------------------------------------------
"$LD" --foreground --index "$idx" --listen bogus >/dev/null 2>"$work/usage.err"
is "$?:$(cat "$work/usage.err")" "2:larchd: bad listen address 'bogus': use unix:PATH or HOST:PORT" \
	"larchd --listen with a malformed address: exit 2 (bad usage) and says the forms"

# --- a configuration value of the wrong kind stops the start -----------------------------------
printf '[larchd]\nmap_index = maybe\n' >"$work/bad-bool.conf"
"$LD" --foreground --config "$work/bad-bool.conf" --index "$idx" \
	--listen "unix:$work/bad-bool.sock" >/dev/null 2>"$work/bad-bool.err"
is "$?:$(grep -c "bad value for 'map_index' in \[larchd\]: use true or false" "$work/bad-bool.err")" "1:1" \
	"map_index = maybe: larchd refuses to start and says what the key takes"

# --- a pid file it cannot write stops the start, before detaching --------------------------------
"$LD" --index "$idx" --listen "unix:$work/pid.sock" \
	--pidfile "$work/no-such-dir/larchd.pid" >/dev/null 2>&1
is "$?:$([ -e "$work/pid.sock" ] && echo socket-left)" "1:" \
	"larchd with an unwritable --pidfile: exit 1 before detaching, no socket left"

# --- an index that cannot be served ------------------------------------------------------------
"$LD" --foreground --config "$work/larchd.conf" --index "$work/no-such-index" \
	--listen "unix:$work/bad.sock" \
	2>"$work/bad.log" &
bad=$!
res=
for _ in $(seq 50); do
	if ! kill -0 "$bad" 2>/dev/null; then
		wait "$bad"; res="exit $?"
		break
	fi
	if [ -S "$work/bad.sock" ]; then
		res=$(python3 "$tests/larchc.py" "unix:$work/bad.sock" --expect-close 2>&1 | cut -c1-3)
		break
	fi
	sleep 0.1
done
kill -TERM "$bad" 2>/dev/null; wait "$bad" 2>/dev/null
case "$res" in
"exit 0"|"") ok 1 "a missing index: larchd neither refused to start nor greeted 400 ($res)" ;;
"exit "*) ok 0 "a missing index: larchd refuses to start ($res)" ;;
*) is "$res" 400 "a missing index: greeting 400, then close" ;;
esac

# --- the stemming language recorded in the index wins over a default --------
# An index written with language = french, then a file added without the
# configuration: its French words are still found (the run used to record
# English for everything).  A configuration naming another language than
# the index holds is refused.
stop_daemon
mkdir -p "$work/lang"
printf '[larch]\nlanguage = french\n' >"$work/lang/fr.conf"
printf '[larch]\nlanguage = english\n' >"$work/lang/en.conf"
cat >"$work/lang/fr.mbox" <<'MBOX'
From a@x.org Mon Jan  4 10:00:00 2021
From: Alice <a@x.org>
Subject: Les chevaux
Message-ID: <fr1@x.org>

Nous parlerons des chevaux.

MBOX
sed -e 's/fr1@/fr2@/' -e 's/Alice/Bruno/' "$work/lang/fr.mbox" \
	>"$work/lang/later.mbox"
"$LI" --index "$work/lang/idx" --config "$work/lang/fr.conf" --quiet \
	"$work/lang/fr.mbox" &&
	"$LI" --index "$work/lang/idx" --quiet "$work/lang/later.mbox"
ok $? "a French index takes a file added without its configuration"
"$LI" --index "$work/lang/idx" --config "$work/lang/en.conf" --quiet \
	"$work/lang/later.mbox" 2>"$work/lang/err"
is "$?" 1 "a configuration naming another language is refused"
like "$(cat "$work/lang/err")" "stemmed in french in this index" \
	"and says which language the index holds"
main_idx=$idx
idx="$work/lang/idx"
start_daemon
is "$(L search chevaux | cut -f5 | sort | tr '\n' ' ')" "fr1@x.org fr2@x.org " \
	"both messages are found by their French words"
stop_daemon
idx=$main_idx

if grep -q -E 'Sanitizer|runtime error|CRITICAL|ERROR SUMMARY: [1-9]' "$work/larchd.log"; then
	ok 1 "larchd's log has no sanitizer report or critical"
	sed 's/^/#   /' "$work/larchd.log" | head -40
else
	ok 0 "larchd's log has no sanitizer report or critical"
fi

done_testing
