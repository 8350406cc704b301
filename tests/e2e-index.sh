#!/usr/bin/env bash
# End-to-end tests of larch-index with the real binary: incremental runs,
# grown and rewritten files, copies and clashes, vanished sources, list
# names, --stats/--export forms, exit codes and kill -9 recovery.  TAP.
set -u
. "$(dirname "$0")/tap.sh"

LI="$LARCH_BUILD/indexer/larch-index"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
idx="$work/index"

# msg ID SUBJECT BODY [EXTRA-HEADER]: one mboxrd message with separator.
msg() {
	printf 'From %s@example.org Thu May 26 19:05:00 2016\n' "${1%%@*}"
	printf 'From: Ann Example <%s@example.org>\n' "${1%%@*}"
	printf 'Date: Thu, 26 May 2016 19:05:00 +0000\n'
	printf 'Subject: %s\n' "$2"
	[ -n "$1" ] && printf 'Message-ID: <%s>\n' "$1"
	[ -n "${4:-}" ] && printf '%s\n' "$4"
	printf '\n%s\n\n' "$3"
}

stat_json() { "$LI" --index "$idx" --stats --json; }
count_of() { "$LI" --index "$1" --stats --json | python3 -c \
	'import json,sys; print(json.load(sys.stdin)["messages"])'; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# --- first run, re-run adds nothing --------------------------------------
mkdir -p "$work/a"
{ msg one@x "first" "alpha body"; msg two@x "second" "beta body"
  msg three@x "Re: first" "gamma body" "In-Reply-To: <one@x>"; } \
	>"$work/a/list.mbox"
"$LI" --index "$idx" --list demo "$work/a" 2>"$work/err"
is "$?" 0 "indexing a small mbox exits 0"
is "$(stat_json | field "['messages']")" 3 "three messages indexed"
is "$(stat_json | field "['threads']")" 2 "two threads (reply joined)"
"$LI" --index "$idx" --list demo "$work/a" 2>"$work/err"
is "$(stat_json | field "['messages']")" 3 "a second run adds nothing"
like "$(cat "$work/err")" "0 new messages" "second run reports 0 new"
like "$(cat "$work/err")" "1 unchanged" "the unchanged file is not read"

# --- grown file: only the new message is read -----------------------------
msg four@x "fourth" "delta body" >>"$work/a/list.mbox"
touch -d '+1 minute' "$work/a/list.mbox"
"$LI" --index "$idx" --list demo --verbose "$work/a" 2>"$work/err"
is "$(stat_json | field "['messages']")" 4 "a grown mbox adds its new message"
like "$(cat "$work/err")" "1 new messages" "only one new message reported"
like "$(cat "$work/err")" "has changed: reading on from its last message" \
	"--verbose says what happens to the file"
is "$(stat_json | field "['sources'][0]['messages']")" 4 \
	"source counts every message once"

# --- rewritten file: re-read, vanished messages removed --------------------
{ msg one@x "first" "alpha body"; msg five@x "fifth" "epsilon body"; } \
	>"$work/a/list.mbox"
"$LI" --index "$idx" --list demo "$work/a" 2>"$work/err"
like "$(cat "$work/err")" "was rewritten" "a rewritten file is detected"
is "$(stat_json | field "['messages']")" 2 \
	"messages gone from the rewritten file are removed"
"$LI" --index "$idx" --export >"$work/export"
is "$(grep -c '"mid":"five@x"' "$work/export")" 1 "the new message is there"

# --- copies, clashes, missing ids ----------------------------------------
rm -rf "$idx" "$work/a"
mkdir -p "$work/b"
{ msg same@x "copy" "identical text here"; } >"$work/b/one.mbox"
{ msg same@x "copy" "identical   text
here"; msg same@x "other" "a completely different message body"; } \
	>"$work/b/two.mbox"
{ msg "" "no id" "a message that has no message id at all"; } \
	>"$work/b/three.mbox"
"$LI" --index "$idx" --list demo "$work/b" 2>"$work/err"
is "$(stat_json | field "['messages']")" 3 \
	"a copy merges, a clash is kept, an id-less message is indexed"
like "$(cat "$work/err")" "reuses the id <same@x>" "the clash is logged"
is "$(stat_json | field "['copies']")" 4 "all four copies are recorded"
"$LI" --index "$idx" --export >"$work/export"
is "$(python3 -c '
import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["mid"] == "same@x": print(len(r["sources"]))' "$work/export")" 2 \
	"the merged message lists both sources"
rm "$work/b/one.mbox"
touch -d '+1 minute' "$work/b/three.mbox"
"$LI" --index "$idx" --list demo "$work/b" 2>"$work/err"
is "$(stat_json | field "['messages']")" 3 \
	"re-reading does not duplicate the id-less message"
like "$(cat "$work/err")" "has vanished" "a vanished source is reported"
is "$(stat_json | field "['sources'][0]['vanished']")" True \
	"stats mark the vanished source"
# A folder where a file was: the file has vanished, and the folder's files
# are sources of their own.
mv "$work/b/three.mbox" "$work/three.mbox"
mkdir "$work/b/three.mbox"
mv "$work/three.mbox" "$work/b/three.mbox/"
"$LI" --index "$idx" --list demo "$work/b" 2>"$work/err"
like "$(cat "$work/err")" "source '$work/b/three.mbox' has vanished" \
	"a file replaced by a folder has vanished"
is "$(stat_json | field "['messages']")" 3 \
	"and the copy in the folder is the same message"
# A folder that cannot be read: its files are unreadable, not vanished.
# Root reads every folder, so as root the run is another user's.
as_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	chmod 755 "$work"
	chown -R 65534 "$idx" "$work/b"
fi
if [ "$(id -u)" != 0 ] || "${as_user[@]}" "$LI" --version >/dev/null 2>&1; then
	chmod 000 "$work/b"
	"${as_user[@]}" "$LI" --index "$idx" --list demo "$work/b" 2>"$work/err"
	chmod 755 "$work/b"
	like "$(cat "$work/err")" "cannot read '$work/b': Permission denied" \
		"an unreadable folder is said to be"
	ok "$(grep -q 'has vanished' "$work/err"; [ $? = 1 ]; echo $?)" \
		"and its files have not vanished"
	chown -R "$(id -u)" "$idx" "$work/b"
else
	skip "an unreadable folder's files have not vanished" "root reads all"
	skip "an unreadable folder's files have not vanished" "root reads all"
fi

# --- a clash's second copy joins it, whichever fingerprint it matches --------
rm -rf "$idx" "$work/k"
mkdir -p "$work/k"
long="the working group agreed on the charter text and the timeline for"
msg same@x "A" "an entirely different first message about travel" \
	>"$work/k/1.mbox"
msg same@x "B" "$long the caf\xc3\xa9 meeting" \
	"Content-Type: text/plain; charset=utf-8" >>"$work/k/1.mbox"
printf "$(cat "$work/k/1.mbox")\n" >"$work/k/1.mbox.tmp"
mv "$work/k/1.mbox.tmp" "$work/k/1.mbox"
msg same@x "B" "$long the caf? meeting" >"$work/k/2.mbox"
"$LI" --index "$idx" --list demo "$work/k" 2>"$work/err"
is "$(stat_json | field "['messages']"), $(stat_json | field "['copies']")" \
	"2, 3" "a copy of the second message under a reused id is one more source"

# --- posts with no text under one id: each its own, copies join it ---------
# Every empty body has the same fingerprint, so the derived id alone
# would take the third post for a copy of the second.
rm -rf "$idx" "$work/n"
mkdir -p "$work/n"
for s in alpha beta gamma; do msg same@x "$s" ""; done >"$work/n/1.mbox"
for s in gamma alpha beta; do msg same@x "$s" "" "X-Copy: yes"; done \
	>"$work/n/2.mbox"
"$LI" --index "$idx" --list demo "$work/n" 2>"$work/err"
is "$(stat_json | field "['messages']"), $(stat_json | field "['copies']")" \
	"3, 6" "three empty posts under one id stay three, their copies join"
"$LI" --index "$idx" --export >"$work/export"
is "$(python3 -c '
import json,sys
print(sorted((json.loads(l)["subject"], len(json.loads(l)["sources"]))
    for l in open(sys.argv[1])))' "$work/export")" \
	"[('alpha', 2), ('beta', 2), ('gamma', 2)]" \
	"each empty post keeps its subject and both its copies"
for s in beta gamma alpha; do msg same@x "$s" ""; done >"$work/n/2.mbox"
touch -d '+1 minute' "$work/n/2.mbox"
"$LI" --index "$idx" --list demo "$work/n" 2>"$work/err"
is "$(stat_json | field "['messages']")" 3 \
	"re-reading a rewritten file of them adds none"

# --- a Maildir message renamed by its client: the source moves ------------
rm -rf "$idx" "$work/r"
mkdir -p "$work/r/new" "$work/r/cur" "$work/r/tmp"
printf 'From: a@example.org\nSubject: flags\nMessage-ID: <ren@x>\n\nhi\n' \
	>"$work/r/new/1464289500.M1P1.host"
"$LI" --index "$idx" --list demo "$work/r" 2>/dev/null
mv "$work/r/new/1464289500.M1P1.host" "$work/r/cur/1464289500.M1P1.host:2,S"
"$LI" --index "$idx" --list demo "$work/r" 2>"$work/err"
mv "$work/r/cur/1464289500.M1P1.host:2,S" \
	"$work/r/cur/1464289500.M1P1.host:2,RS"
"$LI" --index "$idx" --list demo "$work/r" 2>>"$work/err"
ok "$(grep -q 'vanished' "$work/err"; [ $? = 1 ]; echo $?)" \
	"moving to cur/ and changing flags is no vanished source"
is "$(stat_json | field "['copies']"), $(stat_json | field \
	"['sources'][0]['file'].split('/')[-1]")" \
	"1, 1464289500.M1P1.host:2,RS" "the message's one source is its new name"
rm "$work/r/cur/1464289500.M1P1.host:2,RS"
"$LI" --index "$idx" --list demo "$work/r" 2>"$work/err"
like "$(cat "$work/err")" "has vanished" "a deleted one still vanishes"
# A deleted folder of many: ten named, the rest summed up in one line.
for i in $(seq 1 14); do
	printf 'From: a@example.org\nSubject: s\nMessage-ID: <v%s@x>\n\nhi\n' \
		"$i" >"$work/r/cur/$i.M1P1.host:2,S"
done
"$LI" --index "$idx" --list demo "$work/r" 2>/dev/null
rm "$work"/r/cur/*
"$LI" --index "$idx" --list demo "$work/r" 2>"$work/err"
is "$(grep -c 'has vanished' "$work/err"):$(grep -o 'and 4 more sources have vanished: their 4 messages' "$work/err")" \
	"10:and 4 more sources have vanished: their 4 messages" \
	"many vanished sources: ten named, the rest counted in one line"

# --- one message in a subscriber's mbox and in the list's pipermail ---------
# The archive gave the id-less message a Mailman id, wrapped a line before
# an obfuscated " at ", and wrote the Russian post in an English list's
# charset: one '?' a character.  Either order gives two messages.
mkdir -p "$work/p/demo"
python3 - "$work/p" <<'PY'
import sys
d = sys.argv[1]
ru = "\u041f\u0440\u0438\u0432\u0435\u0442 \u0432\u0441\u0435\u043c, " * 6 + "ok"
agenda = "the agenda for the meeting is attached, write to bob%s" \
    "example.org with changes before friday"
open(d + "/sub.mbox", "w", encoding="utf-8").write(
    "From ann@example.org Thu May 26 19:05:00 2016\n"
    "From: Ann Example <ann@example.org>\n"
    "Date: Thu, 26 May 2016 19:05:00 +0000\n"
    "Subject: [Demo] agenda\n\n" + agenda % "@" + "\n\n"
    "From ivan@example.org Thu May 26 20:05:00 2016\n"
    "From: Ivan Example <ivan@example.org>\n"
    "Date: Thu, 26 May 2016 20:05:00 +0000\n"
    "Subject: [Demo] hello\nMessage-ID: <ru1@x>\n"
    "Content-Type: text/plain; charset=utf-8\n\n" + ru + "\n\n")
open(d + "/demo/2016-May.txt", "w", encoding="ascii").write(
    "From ann at example.org  Thu May 26 19:05:00 2016\n"
    "From: ann at example.org (Ann Example)\n"
    "Date: Thu, 26 May 2016 19:05:00 +0000\n"
    "Subject: [Demo] agenda\n"
    "Message-ID: <mailman.12.1464289500.4102.demo@lists.example.org>\n\n"
    + agenda % " at\n" + "\n\n"
    "From ivan at example.org  Thu May 26 20:05:00 2016\n"
    "From: ivan at example.org (Ivan Example)\n"
    "Date: Thu, 26 May 2016 20:05:00 +0000\n"
    "Subject: [Demo] hello\nMessage-ID: <ru1@x>\n\n"
    + "".join("?" if ord(c) > 127 else c for c in ru) + "\n\n")
PY
# The id-less message again, in another mbox, without a Date: dated by
# its envelope, two seconds later, it derives another id.
python3 - "$work/p" <<'PY'
import sys
d = sys.argv[1]
text = open(d + "/sub.mbox", encoding="utf-8").read().split("\n\nFrom ivan")[0]
open(d + "/late.mbox", "w", encoding="utf-8").write(
    text.replace("19:05:00 2016", "19:05:02 2016").replace(
    "Date: Thu, 26 May 2016 19:05:00 +0000\n", "") + "\n\n")
PY
for order in "sub.mbox demo late.mbox" "late.mbox demo sub.mbox"; do
	rm -rf "$idx"
	(cd "$work/p" && "$LI" --index "$idx" --list demo $order) 2>"$work/err"
	"$LI" --index "$idx" --export >"$work/export"
	is "$(python3 -c '
import json,sys
print(sorted(len(json.loads(l)["sources"]) for l in open(sys.argv[1])))' \
	    "$work/export")" "[2, 3]" \
		"mbox and pipermail copies are two messages ($order)"
	(cd "$work/p" && "$LI" --index "$idx" --list demo $order) 2>"$work/err"
	is "$(stat_json | field "['messages']")" 2 "and a re-run adds none"
done

# --- a rewritten file with an edited message: no false clash ----------------
rm -rf "$idx" "$work/e"
mkdir -p "$work/e"
{ msg e1@x "one" "first text"; msg e2@x "two" "second text"; } \
	>"$work/e/1.mbox"
"$LI" --index "$idx" --list demo "$work/e" 2>/dev/null
{ msg e1@x "one" "first text"; msg e2@x "two" "second text, corrected"; } \
	>"$work/e/1.mbox"
"$LI" --index "$idx" --list demo "$work/e" 2>"$work/err"
ok "$(grep -q 'reuses the id' "$work/err"; [ $? = 1 ]; echo $?)" \
	"an edited message in a rewritten file is not a clash"
"$LI" --index "$idx" --export >"$work/export"
is "$(grep -c '"mid":"e2@x"' "$work/export")" 1 "it keeps its own id"

# --- export form ---------------------------------------------------------
python3 - "$work/export" >"$work/keys" <<'PY'
import json, sys
need = {"mid", "list", "date", "from", "from_name", "subject",
        "in_reply_to", "references", "attachments", "sources"}
for line in open(sys.argv[1]):
    r = json.loads(line)
    missing = need - r.keys()
    if missing:
        print("missing", sorted(missing))
    s = r["sources"][0]
    if not {"file", "offset", "length"} <= s.keys():
        print("bad source", s)
    if r["date"] is not None and not r["date"].endswith("Z"):
        print("date not UTC", r["date"])
print("ok")
PY
is "$(cat "$work/keys")" "ok" "export records carry every documented key"

# --- list names ------------------------------------------------------------
rm -rf "$idx"
mkdir -p "$work/c/forum" "$work/c/md/cur" "$work/c/md/new" "$work/c/md/tmp"
{ msg l1@x "with list-id" "body one" \
	"List-Id: Policy talk <policy.lists.example.org>"; } >"$work/c/lid.mbox"
printf 'From: a@example.org\nSubject: maildir\nMessage-ID: <md1@x>\n\nhi\n' \
	>"$work/c/md/cur/1.eml:2,S"
printf 'From: a@example.org\nSubject: half\nMessage-ID: <md2@x>\n\nhi\n' \
	>"$work/c/md/tmp/2"
printf 'not mail at all\n' >"$work/c/README"
"$LI" --index "$idx" "$work/c" 2>"$work/err"
lists=$(stat_json | python3 -c '
import json, sys
print(" ".join("%s=%d" % (l["name"], l["messages"])
               for l in json.load(sys.stdin)["lists"]))')
is "$lists" "md=1 policy=1" "list from List-Id and from the Maildir folder"

# --- a cross-post is one message in both lists -----------------------------
rm -rf "$idx" "$work/x"
mkdir -p "$work/x"
msg cross@x "[A] agenda" "the agenda for both lists" \
	"List-Id: <alpha.lists.example.org>" >"$work/x/a.mbox"
msg cross@x "[B] agenda" "the agenda for both lists" \
	"List-Id: <beta.lists.example.org>" >"$work/x/b.mbox"
"$LI" --index "$idx" "$work/x" 2>/dev/null
is "$(stat_json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["messages"], " ".join("%s=%d" % (l["name"], l["messages"])
                             for l in d["lists"]))')" "1 alpha=1 beta=1" \
	"a cross-posted message counts in both lists"
is "$("$LI" --index "$idx" --export | python3 -c '
import json, sys; print(json.loads(sys.stdin.readline())["lists"])')" \
	"['alpha', 'beta']" "and its record names both"

# A cross-post known first from one list's pipermail archive: the mail
# copy from the other list replaces that record and keeps its list, in
# the counts and searches (the L terms) as in the record.
mkdir -p "$work/x/alpha"
printf 'From ann at example.org  Thu May 26 19:05:00 2016\nFrom: ann at \
example.org (Ann Example)\nDate: Thu, 26 May 2016 19:05:00 +0000\nSubject: \
[A] agenda\nMessage-ID: <cross@x>\n\nthe agenda for both lists\n\n' \
	>"$work/x/alpha/2016-May.txt"
for order in "alpha b.mbox" "b.mbox alpha"; do
	rm -rf "$idx"
	(cd "$work/x" && "$LI" --index "$idx" $order) 2>/dev/null
	is "$(stat_json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["messages"], " ".join("%s=%d" % (l["name"], l["messages"])
                             for l in d["lists"]))')" "1 alpha=1 beta=1" \
		"a cross-post read from pipermail and mbox counts in both lists ($order)"
done

# A pipermail archive that shows the list's address on every post, with
# the author's name only: each name is its own author.
rm -rf "$idx"
mkdir -p "$work/lw/web"
printf '%s\n' "From web at example.org  Thu May 26 19:05:00 2016" \
	"From: web at example.org (Ann Example)" \
	"Date: Thu, 26 May 2016 19:05:00 +0000" "Subject: [Web] fcgi" \
	"Message-ID: <lw1@x>" "" "the bridge works" "" \
	"From web at example.org  Thu May 26 20:05:00 2016" \
	"From: web at example.org (Bob Example)" \
	"Date: Thu, 26 May 2016 20:05:00 +0000" "Subject: [Web] fcgi" \
	"Message-ID: <lw2@x>" "In-Reply-To: <lw1@x>" "" "thanks" "" \
	>"$work/lw/web/2016-May.txt"
"$LI" --index "$idx" "$work/lw/web" 2>/dev/null
is "$("$LI" --index "$idx" --thread lw1@x | sed -n 2p | cut -d, -f2)" \
	" 2 participants" "posts under the list's address are told apart by name"
is "$("$LI" --index "$idx" --export | python3 -c '
import json, sys
print(sorted({json.loads(l)["from_is_list"] for l in sys.stdin}))')" \
	"[True]" "and their records say the address is the list's"

# --- usage and errors ------------------------------------------------------
"$LI" --stats >/dev/null 2>&1
is "$?" 2 "missing --index is a usage error (2)"
"$LI" --index "$idx" --bogus >/dev/null 2>&1
is "$?" 2 "an unknown option is a usage error (2)"
"$LI" --index "$idx" --stats --export >/dev/null 2>"$work/err"
is "$?:$(cat "$work/err")" \
	"2:larch-index: --stats, --export and --thread cannot be combined
Try 'larch-index --help'." "a usage error says what is wrong and where to read more"
"$LI" --index "$idx" --jobs -5 "$work/does-not-exist" >/dev/null 2>&1
is "$?" 2 "a negative --jobs is a usage error (2)"
"$LI" --index "$idx" --jobs -1 "$work/does-not-exist" >/dev/null 2>&1
is "$?" 2 "--jobs -1 is a usage error too (2)"
"$LI" --index '' --stats >/dev/null 2>&1
is "$?" 2 "an empty --index is a usage error (2)"
"$LI" --index "$idx" --list ' ' "$work/does-not-exist" >/dev/null 2>&1
is "$?" 2 "a blank --list is a usage error (2)"
"$LI" --index "$idx" --list "$(printf 'a\nb')" "$work/does-not-exist" \
	>/dev/null 2>&1
is "$?" 2 "a --list of two lines is a usage error (2)"
is "$("$LI" --help | sed -n 2p | grep -o 'PATH\.\.\.' | wc -l)" 1 \
	"--help names PATH... once"
"$LI" --index "$work/none" --stats >/dev/null 2>"$work/err"
is "$?" 1 "stats of a missing index fail with 1"
like "$(cat "$work/err")" "cannot open index" "and say so"
"$LI" --index "$idx" "$work/does-not-exist" >/dev/null 2>"$work/err"
is "$?" 1 "a missing path fails with 1"
# With stderr closed, the warnings go nowhere: not into the next file
# opened, Xapian's lock file or a table of the index.
rm -rf "$work/fd"
mkdir -p "$work/fd"
{ msg dup@x "one" "first text"; msg dup@x "two" "another text"; } \
	>"$work/fd/clash.mbox"
"$LI" --index "$work/fd/idx" "$work/fd/clash.mbox" 2>&-
is "$?:$(grep -rl 'larch-index' "$work/fd/idx")" "0:" \
	"with stderr closed, no warning is written into the index"
# A report that cannot be written is no report.
for report in --stats --export; do
	"$LI" --index "$idx" $report >/dev/full 2>"$work/err"
	is "$?" 1 "$report to a full disk fails with 1"
	like "$(cat "$work/err")" "cannot write the output" "and says why"
done

# --- a huge message: indexed with bounded memory -----------------------------
if [ -x /usr/bin/time ] && [ "${LARCH_SANITIZER:-none}" = none ]; then
	python3 - "$work/huge.mbox" <<'PY'
import base64, os, sys
with open(sys.argv[1], "w") as f:
    for k in range(2):
        f.write("From a@example.org Thu May 26 19:05:00 2016\n"
                "From: a@example.org\nSubject: huge %d\n"
                "Message-ID: <huge%d@example.org>\nMIME-Version: 1.0\n"
                "Content-Type: multipart/mixed; boundary=zz\n\n--zz\n"
                "Content-Type: text/plain\n\nsee the data\n--zz\n"
                "Content-Type: application/octet-stream\n"
                "Content-Transfer-Encoding: base64\n\n" % (k, k))
        f.write(base64.encodebytes(os.urandom(40 << 20)).decode())
        f.write("--zz--\n\n")
PY
	rm -rf "$work/hi"
	/usr/bin/time -f "%M" -o "$work/rss" "$LI" --index "$work/hi" \
		--list demo --quiet "$work/huge.mbox"
	is "$(count_of "$work/hi")" 2 "two 55 MB messages are indexed"
	ok "$([ "$(cat "$work/rss")" -lt 300000 ]; echo $?)" \
		"with peak RSS under 300 MB ($(($(cat "$work/rss") / 1024)) MB)"
	rm -f "$work/huge.mbox"
else
	skip "a huge message" "no GNU time, or a sanitizer build"
	skip "its peak RSS" "no GNU time, or a sanitizer build"
fi

# --- kill -9 at random points: the next run completes exactly ---------------
rm -rf "$idx"
python3 - "$work/big.mbox" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(6000):
        f.write(f"From u{i}@example.org Thu May 26 19:05:00 2016\n"
                f"From: U {i} <u{i}@example.org>\nSubject: message {i}\n"
                f"Message-ID: <m{i}@example.org>\n\n"
                + f"line {i} of a body that says something\n" * 20 + "\n")
PY
for delay in 0.15 0.3 0.5 0.8; do
	"$LI" --index "$idx" --list big --quiet "$work/big.mbox" &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
done
"$LI" --index "$idx" --list big --quiet "$work/big.mbox"
is "$?" 0 "the run after the kills completes"
is "$(stat_json | field "['messages']")" 6000 "no message lost or doubled"
is "$(stat_json | field "['copies']")" 6000 "no copy recorded twice"
if command -v xapian-check >/dev/null; then
	xapian-check "$idx/shard-0" >/dev/null 2>&1
	is "$?" 0 "xapian-check passes"
fi

# --- Maildir++ folders (Courier, Dovecot) are walked, hidden files not ------
rm -rf "$work/mpp" "$work/mpp-idx"
mkdir -p "$work/mpp/Mail/cur" "$work/mpp/Mail/new" "$work/mpp/Mail/tmp" \
	"$work/mpp/Mail/.Lists.policy/cur" "$work/mpp/Mail/.Lists.policy/new" \
	"$work/mpp/Mail/.Lists.policy/tmp" "$work/mpp/Mail/.git"
for i in 0 1 2; do
	printf 'From: a@example.org\nSubject: inbox %s\nMessage-ID: <in%s@x>\n\nhi\n' \
		"$i" "$i" >"$work/mpp/Mail/cur/167260000$i.M${i}P1.host:2,S"
	printf 'From: b@example.org\nSubject: policy %s\nMessage-ID: <po%s@x>\n\nhi\n' \
		"$i" "$i" \
		>"$work/mpp/Mail/.Lists.policy/cur/167260010$i.M${i}P1.host:2,S"
done
msg hidden@x "hidden" "swap" >"$work/mpp/Mail/.DS_Store"
printf '[core]\n' >"$work/mpp/Mail/.git/config"
"$LI" --index "$work/mpp-idx" --verbose "$work/mpp/Mail" 2>"$work/err"
is "$(count_of "$work/mpp-idx")" 6 "a Maildir++ folder's messages are indexed"
"$LI" --index "$work/mpp-idx" --export >"$work/export"
is "$(grep -c '"list":"policy"' "$work/export")" 3 \
	"a Maildir++ folder '.Lists.policy' is the list 'policy'"
is "$(grep -c '"list":"Mail"' "$work/export")" 3 "the inbox is its folder's list"
like "$(cat "$work/err")" ".DS_Store': hidden" "--verbose says a hidden file is skipped"
like "$(cat "$work/err")" ".git': hidden" "--verbose says a hidden folder is skipped"
# Each message file after the first was handed to the read-ahead thread
# (which asks the kernel for those the indexer has not reached yet: how
# many depends on the threads' timing); a second run reads none of them,
# so hands none over.
like "$(cat "$work/err")" "handed 5 new files to read ahead" \
	"new Maildir files are read ahead"
"$LI" --index "$work/mpp-idx" --verbose "$work/mpp/Mail" 2>"$work/err"
like "$(cat "$work/err")" "handed 0 new files to read ahead" \
	"files read before are not read ahead again"
for i in 3 4; do
	printf 'From: a@example.org\nSubject: inbox %s\nMessage-ID: <in%s@x>\n\nhi\n' \
		"$i" "$i" >"$work/mpp/Mail/cur/167260000$i.M${i}P1.host:2,S"
done
"$LI" --index "$work/mpp-idx" --verbose "$work/mpp/Mail" 2>"$work/err"
like "$(cat "$work/err")" "handed 2 new files to read ahead" \
	"new files beside files read before are read ahead"
rm -rf "$work/mpp-idx"
"$LI" --index "$work/mpp-idx" -q "$work/mpp/Mail/.Lists.policy"
"$LI" --index "$work/mpp-idx" --export >"$work/export"
is "$(grep -c '"list":"policy"' "$work/export")" 3 \
	"a Maildir++ folder given alone is the list 'policy' too"
rm -rf "$work/mpp" "$work/mpp-idx"

# --- an mbox in a folder named new is an mbox; a Maildir message is one -----
rm -rf "$work/nw" "$work/nw-idx"
mkdir -p "$work/nw/archives/new" "$work/nw/md/cur" "$work/nw/md/new" \
	"$work/nw/md/tmp"
for i in 0 1 2 3 4; do msg "n$i@x" "mbox $i" "body $i"; done \
	>"$work/nw/archives/new/list.mbox"
# Some MDAs write an envelope line on each message.
msg md1@x "maildir" "From here on, a body" >"$work/nw/md/new/1464289500.M1P1.host"
"$LI" --index "$work/nw-idx" -q "$work/nw"
is "$(count_of "$work/nw-idx")" 6 \
	"an mbox in a folder named new is split (5), a Maildir message is one"
"$LI" --index "$work/nw-idx" --export >"$work/export"
is "$(grep -c '"list":"md"' "$work/export")" 1 "the Maildir message's list is its folder"
rm -rf "$work/nw" "$work/nw-idx"

# --- a rewritten file's lost copies leave their lists as a clean run would ---
rm -rf "$work/rw" "$work/rw-idx" "$work/rw-clean"
mkdir -p "$work/rw"
{ msg s1@x "one" "first body"; msg s3@x "three" "third body"
  msg s4@x "four" "fourth body" "List-Id: Alpha <alpha.lists.example.org>"
  msg s5@x "five" "fifth body"; } >"$work/rw/a.mbox"
{ msg s3@x "three" "third body"
  msg s4@x "four" "fourth body" "List-Id: Beta <beta.lists.example.org>"
  msg s5@x "five" "fifth body"; } >"$work/rw/b.mbox"
"$LI" --index "$work/rw-idx" -q "$work/rw"
# The moderator of a removed s3 and s4; s5 stays in both.
{ msg s1@x "one" "first body"; msg s5@x "five" "fifth body"; } \
	>"$work/rw/a.mbox"
"$LI" --index "$work/rw-idx" "$work/rw" 2>"$work/err"
like "$(cat "$work/err")" "was rewritten" "the rewritten file is read again"
"$LI" --index "$work/rw-clean" -q "$work/rw"
lists_of() { "$LI" --index "$1" --export | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    print(r["mid"], r["list"], ",".join(r["lists"]))' | sort; }
is "$(lists_of "$work/rw-idx" | grep '^s3@x')" "s3@x b b" \
	"a copy left only in b.mbox is list b, as in a clean run"
is "$(lists_of "$work/rw-idx" | grep '^s4@x')" "s4@x beta beta" \
	"its lists come from the copy left's List-Id"
is "$(lists_of "$work/rw-idx" | grep '^s5@x')" "s5@x a a,b" \
	"a message still in both files keeps both lists"
lists_stats() { "$LI" --index "$1" --stats --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(json.dumps([s["messages"], s.get("lists")], sort_keys=True))'; }
is "$(lists_stats "$work/rw-idx")" "$(lists_stats "$work/rw-clean")" \
	"--stats --json per-list counts agree with a clean run"
is "$(lists_of "$work/rw-idx" | grep -v '^s5@x')" \
	"$(lists_of "$work/rw-clean" | grep -v '^s5@x')" \
	"--export lists agree with a clean run"
rm -rf "$work/rw" "$work/rw-idx" "$work/rw-clean"

# --- files that are not mail in an archive folder ---------------------------
# Lines of "name: value" are not a header block unless one is a mail field:
# JSON Lines, YAML and notes beside the archive are not messages.
mkdir -p "$work/nm"
printf '{"seq": 0, "message_id": "<a@x>"}\n{"seq": 1, "message_id": "<b@x>"}\n' \
	>"$work/nm/truth.jsonl"
printf 'mirror: rsync://example.org/archive\nschedule: daily\n' \
	>"$work/nm/mirror.yaml"
printf 'From: Ann <ann@example.org>\nSubject: hi\nMessage-ID: <nm1@x>\n\nhello\n' \
	>"$work/nm/1.eml"
"$LI" --index "$work/nm-idx" -q "$work/nm"
is "$(count_of "$work/nm-idx")" 1 "JSON Lines and YAML files are not taken for messages"
rm -rf "$work/nm" "$work/nm-idx"

done_testing
