#!/usr/bin/env bash
# End-to-end tests of the larch client against tests/fake-larchd.py, a
# canned, scriptable stand-in for larchd: what it sends, exit codes,
# --json pass-through, dot-unstuffing, RAW's exact bytes, the terminal
# form in a pseudo-terminal (with the message-id line under each row,
# pasted back into the shell), and hostile servers (bad greetings, early
# closes, overlong lines, stalls).  Also checks that the binary links
# neither GMime nor Xapian.  Owned by the client's engineer.  TAP.
set -u
. "$(dirname "$0")/tap.sh"

LC="$LARCH_BUILD/client/larch"
tests=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
fake=
cleanup() {
	[ -n "$fake" ] && kill "$fake" 2>/dev/null && wait "$fake" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# --- the binary links no GMime, no Xapian ------------------------------------
needed=$(readelf -d "$LC" 2>/dev/null | grep NEEDED || ldd "$LC")
like "$needed" "glib" "larch links GLib"
case "$needed" in
*gmime* | *xapian* | *stdc++*) ok 1 "larch links neither GMime nor Xapian" ;;
*) ok 0 "larch links neither GMime nor Xapian" ;;
esac

python3 "$tests/fake-larchd.py" "$work" 2>"$work/fake.err" &
fake=$!
for _ in $(seq 100); do [ -f "$work/ready" ] && break; sleep 0.1; done
[ -f "$work/ready" ] || { echo "Bail out! fake-larchd did not start"; exit 1; }

export LARCH_CONNECT="unix:$work/normal.sock"
log="$work/requests.log"

# run ARGS...: the client's stdout in $out, stderr in $err, status in $st.
run() {
	"$LC" "$@" >"$work/out" 2>"$work/err"
	st=$?
	out=$(tr -d '\0' <"$work/out")	# RAW may hold NULs
	err=$(cat "$work/err")
}
# The request lines of the last run, without the mode prefix.
last_requests() {
	tail -n "$1" "$log" | sed 's/^[a-z0-9]* //'
}

# --- search, text form (not a terminal) --------------------------------------
run search best practice
is "$st" 0 "search: exit 0 when something is found"
is "$(last_requests 2)" $'SEARCH LIMIT 20 -- best practice\nQUIT' \
	"search sends LIMIT 20, the words joined after --, then QUIT"
is "$(wc -l <"$work/out")" 3 "search: one row per line, no header"
is "$(head -1 "$work/out")" \
	$'2019-05-02\tAnn Example\tRe: best practice forum\tAgreed; the draft is fine.\t.dot@x\troot@x' \
	"search: date, author, subject, summary, mid, thread; '..' unstuffed"
is "$(sed -n 2p "$work/out" | cut -f2,3)" \
	$'王小明\t会议纪要：最佳实践论坛的讨论结果与下一步计划安排' \
	"search: UTF-8 fields whole when not on a terminal"
is "$(sed -n 3p "$work/out" | cut -f2,3,4)" \
	$'bob@example.org\t?[31mred alert?[0m\tbell? here' \
	"search: the address without a name; control bytes never reach the output"
is "$err" "" "search: nothing on stderr"

run search --limit 2 --offset 1 --sort newest --threads --quotes x
is "$(last_requests 2 | head -1)" \
	"SEARCH OFFSET 1 LIMIT 2 SORT newest THREADS QUOTES -- x" \
	"search options become protocol options"
run search x -n 1 y
is "$(last_requests 2 | head -1)" "SEARCH LIMIT 1 -- x y" \
	"options may come after the command and between words"
run search -- -draft '"best practice"'
is "$(last_requests 2 | head -1)" 'SEARCH LIMIT 20 -- -draft "best practice"' \
	"after --, words starting with '-' are query words"
run search $'two\nlines\tand tab'
is "$(last_requests 2 | head -1)" "SEARCH LIMIT 20 -- two lines and tab" \
	"line breaks in a query become spaces, never a second request"
run search nothing
is "$st|$out|$err" "1||" "search: exit 1 and no output when nothing matches"

# --- count -------------------------------------------------------------------
run count x
is "$st $out" "0 42" "count prints the number, exit 0"
run count --threads x
is "$st $out $(last_requests 2 | head -1)" "0 7 COUNT THREADS -- x" \
	"count --threads"
run count nothing
is "$st $out" "1 0" "count: 0 and exit 1 when nothing matches"

# --- --json ------------------------------------------------------------------
run --json search x
is "$(last_requests 3)" $'FORMAT json 1\nSEARCH LIMIT 20 -- x\nQUIT' \
	"--json sends FORMAT json 1 first, pipelined"
expected=$(python3 - "$tests" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import importlib.util
spec = importlib.util.spec_from_file_location("fake", sys.argv[1] + "/fake-larchd.py")
fake = importlib.util.module_from_spec(spec)
sys.argv = ["fake", "/nonexistent"]
spec.loader.exec_module(fake)
for r in fake.ROWS:
    print(fake.json_line(r))
EOF
)
is "$st" 0 "--json search: exit 0"
is "$out" "$expected" "--json passes the daemon's JSON Lines through unchanged"
python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if [r["mid"] for r in rows] == [".dot@x", "cjk@x", "esc@x"] else 1)' \
	"$work/out"
ok $? "--json: every line is a JSON object"
run --json count x
is "$out" "42" "--json count: the number, a JSON value"
run search --json nothing
is "$st|$out" "1|" "--json search: exit 1, no lines when nothing matches"
run --json thread a@x
is "$(wc -l <"$work/out") $(head -c 30 "$work/out")" '3 {"v":1,"mid":".dot@x","thread"' \
	"--json thread: the rows through"
run --json raw a@x
is "$(last_requests 2 | head -1)" "RAW a@x" "--json raw sends no FORMAT"
cmp -s "$work/out" "$work/raw.expected"
ok $? "--json raw: the bytes as they are"
run --json show huge@x
is "$st $(wc -l <"$work/out")" "0 1" \
	"--json show: a 3.2 MiB JSON line (1.2 MiB of text, escaped) is passed through"
python3 -c '
import json, sys
o = json.loads(open(sys.argv[1]).read())
sys.exit(0 if o["text"] == "\t\"\x01." * (300 * 1024) else 1)' "$work/out"
ok $? "... whole, as one JSON object"
run show huge@x
is "$st $(wc -l <"$work/out") $(sed -n 3p "$work/out" | wc -c)" "0 4 1228801" \
	"show: a 1.2 MiB text line is passed through whole"
run --json -c "unix:$work/nojson.sock" search x
is "$st" 4 "a server refusing FORMAT json: exit 4"
like "$err" "refused JSON" "... and says so"

# --- thread, show, raw, summary, lists, stats --------------------------------
run thread a@x
is "$st $(cut -f1,6 "$work/out" | tr '\t\n' ':,')" "0 0:.dot@x,1:cjk@x,2:esc@x," \
	"thread: depth first, then the search columns"
run thread missing@x
is "$st|$out" "1|" "thread of an unknown message: exit 1, no output"
like "$err" "430" "... with the server's reply on stderr"
run show a@x
is "$st" 0 "show: exit 0"
is "$out" "$(printf '%s\n' "From: Ann Example <ann@example.org>" \
	"Date: 2019-05-02T10:11:12Z" "Subject: Re: best practice forum" \
	"Message-ID: <.dot@x>" "List: mag" "" "I agree with the draft." \
	".a line that starts with a dot" "..and one with two" "" \
	"> The draft is attached." "> .quoted dot")" \
	"show: headers, blank line, text and quotes, dot-unstuffed"
url="https://mail.example.org/pipermail/mag/2016-May/003251.html"
run show "$url"
is "$st $(last_requests 2 | head -1)" "0 SHOW $url" "show URL: passed as is"
run show 2016-May/003251.html
is "$(last_requests 2 | head -1)" "SHOW 2016-May/003251.html" \
	"show YYYY-Month/NNNNNN.html: passed as is"
run show 'two words'
is "$st" 2 "show with a blank in the message-id: usage error"
run raw a@x
is "$st" 0 "raw: exit 0"
cmp -s "$work/out" "$work/raw.expected"
ok $? "raw: the exact bytes, a 3 MiB line, dots, CR, NUL and Latin-1 included"
run summary a@x
is "$st $out" "0 $(printf '%s\n' "Thread: best practice forum" \
	"3 messages from 2 people" ".dotted summary line")" "summary: the text lines"
run lists
is "$st $out" "0 $(printf 'mag\t120\t40\t2016-01-04\t2019-05-04\nbpf\t8\t3\t2017-02-01\t2018-12-24')" \
	"lists: TAB-separated, dates as days"
run stats
is "$st $(head -1 "$work/out")" "0 $(printf 'messages\t128')" "stats: key TAB value"
run stats mag
is "$(last_requests 2 | head -1)" "STATS mag" "stats LIST"
run stats " Board  Minutes "
is "$(last_requests 2 | head -1)" "STATS Board  Minutes" \
	"stats LIST: a list name with blanks, trimmed"
run stats "$(printf 'a\tb')"
is "$st" 2 "stats LIST: a control character is a usage error"
run stats nosuch
is "$st" 1 "stats of an unknown list: exit 1"

# --- requests the user got wrong ---------------------------------------------
run
is "$st" 2 "no command: exit 2"
run frobnicate
is "$st" 2 "unknown command: exit 2"
like "$err" "larch: unknown command 'frobnicate'" "... named in the message"
run search
is "$st" 2 "search without a query: exit 2"
run --bogus search x
is "$st" 2 "unknown option: exit 2"
n=$(wc -l <"$log")
run search --limit 0 x
is "$st $(wc -l <"$log")" "2 $n" "--limit 0: exit 2 before connecting"
like "$err" "LIMIT must be 1..1000 '0'" "... with the protocol's own reason"
run search --limit 1001 x
is "$st" 2 "--limit 1001: exit 2"
run search --sort sideways x
is "$st" 2 "--sort sideways: exit 2"
run search --sort 'newest -- y' x
is "$st" 2 "an option value cannot smuggle a second query"
run count --limit 5 x
is "$st" 2 "--limit with count: exit 2"
run thread --threads a@x
is "$st" 2 "--threads with thread: exit 2"
run thread a@x b@x
is "$st" 2 "thread with two message-ids: exit 2"
run --timeout 0 count x
is "$st" 2 "--timeout 0: exit 2"
run search "$(head -c 9000 /dev/zero | tr '\0' a)"
is "$st" 2 "a query longer than the server's line limit (506): exit 2"
like "$err" "506 line too long" "... with the server's message"
run search 'a "b'
is "$st" 2 "a query the server refuses (505): exit 2"
is "$err" "$(printf '%s\n' "larch: search: 505 2: unbalanced quote" '  a "b' '    ^')" \
	"505: the server's reason and a caret under the place"
run search "$(printf 'w%d ' $(seq 40))"'"x'
is "$st" 2 "505 in a long query: exit 2"
is "$(sed -n 2,3p "$work/err")" "$(printf '%s\n' \
	'  …3 w34 w35 w36 w37 w38 w39 w40 "x' \
	'                                 ^')" \
	"505 in a long query: shown around the caret, which stays on the screen"
run search -draft policy
is "$st" 2 "a query word starting with '-' before --: exit 2"
like "$err" "goes after '--': larch search -- -draft" "... saying where it goes"
run search badlimit
is "$st" 2 "504 from the server: exit 2"
like "$err" "504 LIMIT must be 1..1000" "... with the server's message"
run search --quotes noquotes
is "$st" 4 "503 (QUOTES not supported): exit 4"

# --- connecting ----------------------------------------------------------------
run -c "unix:$work/nothing-here" count x
is "$st" 3 "a missing socket: exit 3"
like "$err" "cannot connect to 'unix:$work/nothing-here'" "... saying where"
like "$err" "is larchd running there?" "... and what to check"
run -c 127.0.0.1:1 count x
is "$st" 3 "a closed TCP port: exit 3"
run -c "127.0.0.1:$(cat "$work/tcp4.port")" count x
is "$st $out" "0 42" "HOST:PORT over IPv4"
if [ -f "$work/tcp6.port" ]; then
	run -c "[::1]:$(cat "$work/tcp6.port")" count x
	is "$st $out" "0 42" "[V6]:PORT over IPv6"
else
	skip "[V6]:PORT over IPv6" "no IPv6 on this host"
fi
run -c "host:" count x
is "$st" 2 "a malformed address: exit 2"
LARCH_CONNECT="127.0.0.1:$(cat "$work/tcp4.port")" run count x
is "$st $out" "0 42" "LARCH_CONNECT is the default address"
LARCH_CONNECT="unix:$work/nothing-here" run -c "unix:$work/normal.sock" count x
is "$st" 0 "--connect wins over LARCH_CONNECT"

# --- hostile greetings ---------------------------------------------------------
greet() {	# mode expected-status description
	run --timeout 1 -c "unix:$work/$1.sock" count x
	is "$st" "$2" "$3"
}
greet greet400 3 "a 400 greeting (service unavailable): exit 3"
like "$err" "400 index missing" "... with the server's text"
greet version2 4 "protocol version 2: exit 4"
like "$err" "protocol version 2" "... saying which"
greet notlarch 4 "a 200 greeting from another service: exit 4"
greet garbage 4 "an HTTP answer for a greeting: exit 4"
greet overlong 4 "a 200 KiB greeting: exit 4, not read to the end"
greet close 3 "closed without a greeting: exit 3"
start=$(date +%s%N)
greet silent 3 "a silent server: exit 3 after --timeout"
elapsed=$((($(date +%s%N) - start) / 1000000))
[ "$elapsed" -ge 900 ] && [ "$elapsed" -lt 5000 ]
ok $? "... after about 1 s ($elapsed ms)"
start=$(date +%s%N)
greet trickle 3 "a greeting trickled a byte every 0.3 s: exit 3"
elapsed=$((($(date +%s%N) - start) / 1000000))
[ "$elapsed" -lt 5000 ]
ok $? "... the deadline is per line, not per byte ($elapsed ms)"
start=$(date +%s%N)
run --timeout 10 -c "unix:$work/linger.sock" count x
elapsed=$((($(date +%s%N) - start) / 1000000))
is "$st $out" "0 42" "a server that never answers QUIT: the answer still counts"
[ "$elapsed" -lt 4000 ]
ok $? "... and the client waits for 205 briefly ($elapsed ms)"

# --- hostile replies -----------------------------------------------------------
reply() {	# query expected-status description
	run --timeout 1 search "$1"
	is "$st" "$2" "$3"
}
reply closemid 3 "the server closes in the middle of a block: exit 3"
like "$err" "closed the connection" "... saying so"
reply overlong 4 "a 2 MiB data line: exit 4"
like "$err" "longer than 1048576 bytes" "... saying so"
reply toomany 4 "more rows than announced: exit 4"
reply badrow 4 "a row with missing fields: exit 4"
reply garbage 4 "a reply that is not a status line: exit 4"
reply wrongcode 4 "another command's success code: exit 4"
reply srverr 4 "403 internal fault: exit 4"
reply qtimeout 4 "432 query timed out: exit 4"
reply reopen 4 "431 index being reopened: exit 4"
start=$(date +%s%N)
reply stall 3 "a server that stalls in the middle of a block: exit 3"
elapsed=$((($(date +%s%N) - start) / 1000000))
[ "$elapsed" -lt 5000 ]
ok $? "... after the timeout ($elapsed ms)"
grep -q Traceback "$work/fake.err"
ok $((!$?)) "the fake server itself did not fail"

# --- the terminal form, in a pseudo-terminal -----------------------------------
# tty COLS ARGS...: runs the client on a pty COLS wide; output in $out.
tty() {
	local cols=$1
	shift
	out=$(python3 - "$cols" "$LC" "$@" <<'EOF'
import fcntl, os, pty, struct, sys, termios
cols = int(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    os.execv(sys.argv[2], sys.argv[2:])
data = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.write(data.decode("utf-8", "replace").replace("\r\n", "\n"))
sys.exit(os.waitstatus_to_exitcode(status))
EOF
)
	st=$?
}
# widest LINES...: the most display cells a line takes.
widest() {
	python3 -c '
import sys, unicodedata
def w(c):
    if unicodedata.combining(c): return 0
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1
print(max(sum(w(c) for c in l) for l in sys.stdin.read().split("\n")))'
}
for cols in 40 80 132; do
	tty "$cols" search x
	is "$st $(head -1 <<<"$out")" "0 3 results" "terminal, $cols columns: a header with the total"
	n=$(widest <<<"$out")
	[ "$n" -le "$cols" ]
	ok $? "terminal, $cols columns: no line wider than the terminal ($n)"
done
tty 80 search x
like "$out" "2019-05-02  Ann Example" "terminal: date as YYYY-MM-DD, then the author"
like "$out" "…" "terminal: long CJK text cut with an ellipsis"
case "$out" in *$'\e'*) ok 1 "terminal: no escape byte from the server" ;;
*) ok 0 "terminal: no escape byte from the server" ;; esac
case "$out" in *$'\t'*) ok 1 "terminal: no TABs" ;;
*) ok 0 "terminal: no TABs" ;; esac
tty 80 thread a@x
is "$(head -1 <<<"$out")" "thread of 3 messages" "terminal thread: a header"
# The subject's column, in display cells, on the root and on a reply.
cells=$(python3 -c '
import sys, unicodedata
def w(t): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
                     for c in t)
lines = sys.stdin.read().split("\n")
print(w(lines[1][:lines[1].index("Re: best")]),
      w(lines[3][:lines[3].index("会议")]),
      len(lines[2]) - len(lines[2].lstrip()),
      len(lines[4]) - len(lines[4].lstrip()))' <<<"$out")
read -r root reply rootid replyid <<<"$cells"
is "$((reply - root))" 2 "terminal thread: a reply is indented by two cells"
is "$rootid $replyid" "$root $reply" "terminal thread: each id line is under its subject"

# Every terminal row carries its message-id, whole, on the line under it,
# as a word the shell hands to larch unchanged.
tty 80 search x
is "$(sed -n '3p;5p;7p' <<<"$out" | sed 's/^ *//' | tr '\n' ' ')" \
	".dot@x cjk@x esc@x " "terminal search: the message-id under each row"
tty 40 search oddids
is "$(sed -n 3p <<<"$out")" \
	"CAHk-=wgQx7a1mFh0o3ZkR2pQ9c8yYzLq4VvE5sTnXw6uJ3bA@mail.gmail.com" \
	"terminal: an id wider than the terminal is shown whole, not cut"
ids=$(sed -n '3p;5p;7p' <<<"$out")
is "$(sed -n 5p <<<"$out")" "         'it'\''s\$HOME&(x)*@example.org'" \
	"terminal: an id the shell would split is quoted, moved left to fit"
n=0
shown=
while IFS= read -r idline; do
	eval "run show $idline"
	[ "$st" = 0 ] && n=$((n + 1))
	shown="$shown${shown:+$'\n'}$(last_requests 2 | head -1)"
done <<<"$ids"
is "$n" 3 "terminal: larch show takes each id line pasted as it is"
is "$shown" "$(printf 'SHOW %s\n' \
	"CAHk-=wgQx7a1mFh0o3ZkR2pQ9c8yYzLq4VvE5sTnXw6uJ3bA@mail.gmail.com" \
	"it's\$HOME&(x)*@example.org" "=tilde~star*@x")" \
	"... and sends exactly the row's message-id"
run search oddids
is "$(cut -f5 "$work/out" | sed -n 2p)" "it's\$HOME&(x)*@example.org" \
	"not on a terminal: the id field stays unquoted"
tty 80 --json search x
is "$out" "$expected" "--json on a terminal: still the JSON Lines"
tty 80 raw a@x
is "$st" 0 "raw on a terminal: exit 0"
is "$(grep -c 'y\{1000\}' <<<"$out")" 1 "... its bytes there, the 3 MiB line too"
like "$out" "esc ?]0;owned? and ?31m c1" \
	"... but no escape sequence a sender put in the message (ESC, BEL, C1 CSI)"
tty 80 --json raw a@x
like "$out" "esc ?]0;owned? and ?31m c1" "... also with --json, as without it"
tty 80 lists
is "$(head -1 <<<"$out")" "LIST  MESSAGES  THREADS  FIRST       LAST" \
	"terminal lists: an aligned table with a header"
tty 80 search nothing
is "$st $out" "1 no results" "terminal: 'no results', exit 1"

done_testing
