#!/usr/bin/env bash
# End-to-end tests of archives that change between runs, each against a
# clean run over the final archive where that applies: a last message read
# while it was still being written (also when a whole copy came from
# elsewhere meanwhile), headers edited in a rewritten file, an edit that
# keeps the file's size, a removed message that replies quoted, another
# --list, the same list read as pipermail and as mbox in either order, and
# larchd's RAW of a file rewritten since it was indexed; larchd's checks of
# its private lists, and its answer when the index is gone.  TAP.
set -u
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/larchd.sh"

tests=$(cd "$(dirname "$0")" && pwd)
LI="$LARCH_BUILD/indexer/larch-index"
LD="$LARCH_BUILD/daemon/larchd"
skip_unless_built "larch-index and larchd" "$LI" "$LD"
work=$(mktemp -d)
dpid=
trap '[ -n "$dpid" ] && kill "$dpid" 2>/dev/null; rm -rf "$work"' EXIT

# msg N [BODY-LINES]: one mboxrd message with a text attachment whose last
# line names the message.
msg() {
	printf 'From a@example.org Mon Jan  5 10:00:00 2015\n'
	printf 'From: Ann <a@example.org>\nTo: l@example.org\n'
	printf 'Subject: build log %s\nMessage-ID: <m%s@example.org>\n' "$1" "$1"
	printf 'Date: Mon, 5 Jan 2015 10:00:0%s +0000\nMIME-Version: 1.0\n' "$1"
	printf 'Content-Type: multipart/mixed; boundary="XX"\n\n--XX\n'
	printf 'Content-Type: text/plain\n\nHere is the log of build %s.\n\n' "$1"
	printf -- '--XX\nContent-Type: text/plain; name="build.log"\n'
	printf 'Content-Disposition: attachment; filename="build.log"\n\n'
	for i in $(seq 1 "${2:-40}"); do printf 'line %s compiling ok\n' "$i"; done
	printf 'final line: zebrafinch%s failed\n--XX--\n\n' "$1"
}

# exported IDX: the export without what differs between any two runs.
exported() {
	"$LI" --index "$1" --export | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    for k in ("thread",):
        r.pop(k, None)
    print(json.dumps(r, sort_keys=True))' | sort
}

# same_as_clean IDX FILE... DESCRIPTION: IDX's export is what one run over
# FILE... gives.
same_as_clean() {
	local idx=$1 what=${*: -1} clean="$work/clean-$RANDOM"
	"$LI" --index "$clean" --list l -q "${@:2:$#-2}"
	exported "$idx" >"$work/got"
	exported "$clean" >"$work/want"
	cmp -s "$work/got" "$work/want"
	ok $? "$what"
	diff "$work/got" "$work/want" | head -6 | sed 's/^/#   /'
	rm -rf "$clean"
}

# --- a last message read half-written, completed later --------------------
mkdir -p "$work/a"
{ msg 1; msg 2; } >"$work/full.mbox"
# Cut at a line end inside the second message's attachment, as a list
# server writing it line by line leaves it.
python3 - "$work/full.mbox" "$work/a/l.mbox" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
second = data.index(b"From a@example.org", 1)
cut = data.index(b"line 20 compiling", second)
open(sys.argv[2], "wb").write(data[:cut])
PY
"$LI" --index "$work/i1" --list l -q "$work/a/l.mbox"
cp "$work/full.mbox" "$work/a/l.mbox"
"$LI" --index "$work/i1" --list l "$work/a/l.mbox" 2>"$work/err"
ok "$(grep -q 'was rewritten' "$work/err"; [ $? = 1 ]; echo $?)" \
	"a grown last message is not taken for a rewritten file"
like "$(cat "$work/err")" "0 new messages, 0 new copies" \
	"and it is neither a new message nor a new copy"
same_as_clean "$work/i1" "$work/a/l.mbox" \
	"its whole attachment replaces what was read of it"

# Only the blank line after the last message came since: its source's
# length grows by that byte.
head -c -1 "$work/full.mbox" >"$work/a/l.mbox"
rm -rf "$work/i1"
"$LI" --index "$work/i1" --list l -q "$work/a/l.mbox"
cp "$work/full.mbox" "$work/a/l.mbox"
"$LI" --index "$work/i1" --list l -q "$work/a/l.mbox"
same_as_clean "$work/i1" "$work/a/l.mbox" \
	"a last message's missing blank line, added later: its length follows"

# Cut inside its headers: before its Message-ID (a derived id) and inside
# the id itself (<m2@exa): the whole copy replaces the cut one, whose id
# differs, and a later message added meanwhile is read too.
{ msg 1; msg 2; msg 3; } >"$work/grown.mbox"
for upto in 'Subject: build log 2' 'Message-ID: <m2@exa'; do
	python3 - "$work/grown.mbox" "$work/a/l.mbox" "$upto" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
second = data.index(b"From a@example.org", 1)
mark = sys.argv[3].encode()
cut = data.index(mark, second)
if mark.startswith(b"Message-ID"):
    cut += len(mark)
open(sys.argv[2], "wb").write(data[:cut])
PY
	rm -rf "$work/i1"
	"$LI" --index "$work/i1" --list l -q "$work/a/l.mbox"
	cp "$work/grown.mbox" "$work/a/l.mbox"
	"$LI" --index "$work/i1" --list l -q "$work/a/l.mbox"
	same_as_clean "$work/i1" "$work/a/l.mbox" \
		"a last message cut at '$upto', completed later: one message"
done

# The file's first message read half-written, twice (cut in its headers,
# then in its attachment): the last message read is at offset 0, and it
# too is recognised grown, not read as a new message beside the cut one.
python3 - "$work/grown.mbox" "$work/a/l.mbox" "$work/cut2.mbox" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(data[:data.index(b"Subject: build log 1")])
open(sys.argv[3], "wb").write(data[:data.index(b"line 20 compiling")])
PY
rm -rf "$work/i1"
"$LI" --index "$work/i1" --list l -q "$work/a/l.mbox"
cp "$work/cut2.mbox" "$work/a/l.mbox"
"$LI" --index "$work/i1" --list l -q "$work/a/l.mbox"
cp "$work/grown.mbox" "$work/a/l.mbox"
"$LI" --index "$work/i1" --list l -q "$work/a/l.mbox"
same_as_clean "$work/i1" "$work/a/l.mbox" \
	"a file's first message read cut twice, completed later: one message, whole"

# Cut before its List-Id, without --list: what was read of it took the
# list of the file's name, which the whole copy's List-Id replaces.
{ msg 1; msg 2; } | sed 's/^Message-ID: .*/&\nList-Id: Dev <dev.lists.example.org>/' \
	>"$work/listid.mbox"
python3 - "$work/listid.mbox" "$work/a/live.mbox" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
second = data.index(b"From a@example.org", 1)
open(sys.argv[2], "wb").write(data[:data.index(b"List-Id", second)])
PY
rm -rf "$work/i1" "$work/i2"
"$LI" --index "$work/i1" -q "$work/a/live.mbox"
cp "$work/listid.mbox" "$work/a/live.mbox"
"$LI" --index "$work/i1" -q "$work/a/live.mbox"
"$LI" --index "$work/i2" -q "$work/a/live.mbox"
exported "$work/i1" >"$work/got"
exported "$work/i2" >"$work/want"
cmp -s "$work/got" "$work/want"
ok $? "a last message cut before its List-Id, completed later: its list is the List-Id's alone"
diff "$work/got" "$work/want" | head -6 | sed 's/^/#   /'
is "$("$LI" --index "$work/i1" --stats --json | python3 -c '
import json, sys
print(" ".join(l["name"] for l in json.load(sys.stdin)["lists"]))')" "dev" \
	"and the file's name counts as no list"
rm -rf "$work/i2"

# --- headers edited in a rewritten file ---------------------------------------
{ msg 1; msg 2; msg 3; } >"$work/a/l.mbox"
rm -rf "$work/i1"
"$LI" --index "$work/i1" --list l -q "$work/a/l.mbox"
sed -i 's/^From: Ann <a@example.org>$/From: Removed <removed@example.org>/;
	s/^Subject: build log 2$/Subject: build log two/' "$work/a/l.mbox"
"$LI" --index "$work/i1" --list l "$work/a/l.mbox" 2>"$work/err"
like "$(cat "$work/err")" "was rewritten" "an edited file is read again"
same_as_clean "$work/i1" "$work/a/l.mbox" \
	"an author and a subject edited in a rewritten file are taken"
is "$("$LI" --index "$work/i1" --export | grep -c 'a@example.org')" 0 \
	"the removed address is gone from every record"

# A word corrected in place: the file keeps its size, only its mtime moves.
sed -i 's/zebrafinch2 failed/zebrafinch2 passed/' "$work/a/l.mbox"
touch -d '+1 minute' "$work/a/l.mbox"
"$LI" --index "$work/i1" --list l "$work/a/l.mbox" 2>"$work/err"
like "$(cat "$work/err")" "was rewritten" \
	"a file written to without growing is read again"
same_as_clean "$work/i1" "$work/a/l.mbox" "an edit that keeps the size is taken"

# A pipermail month read while its last message was half-written, that
# message read whole from a subscriber's mbox (a different text then: a
# message of its own, <id>.dup-...), and the month completed: one message.
mkdir -p "$work/h/l"
para() {
	for i in $(seq 1 12); do
		echo "Paragraph line $i of the proposal about caching, number $1."
	done
}
pm() {
	printf 'From ann at example.org  Mon Jan  5 10:00:0%s 2015
' "$1"
	printf 'From: ann at example.org (Ann Smith)
'
	printf 'Date: Mon, 5 Jan 2015 10:00:0%s +0000
' "$1"
	printf 'Subject: [L] proposal %s
Message-ID: <p%s@example.org>

' "$1" "$1"
	para "$1"
	echo
}
{ pm 1; pm 2; } >"$work/h/full.txt"
sed 's/^From ann at example.org  /From ann@example.org /;
	s/^From: ann at example.org (Ann Smith)/From: Ann Smith <ann@example.org>/' \
	"$work/h/full.txt" >"$work/h/sub.mbox"
head -n "$(($(pm 1 | wc -l) + 12))" "$work/h/full.txt" >"$work/h/l/2015-January.txt"
"$LI" --index "$work/i3" -q "$work/h/l"
"$LI" --index "$work/i3" -q --list l "$work/h/sub.mbox"
cp "$work/h/full.txt" "$work/h/l/2015-January.txt"
"$LI" --index "$work/i3" -q "$work/h/l"
is "$("$LI" --index "$work/i3" --export | python3 -c '
import json, sys
print(sorted((json.loads(l)["mid"], len(json.loads(l)["sources"])) for l in sys.stdin))')" \
	"[('p1@example.org', 2), ('p2@example.org', 2)]" \
	"a message cut in one archive and whole in another is one message once whole"

# A message removed from a rewritten file: the reply that quoted it
# names no source for that quote any more, as a run without it.
{ printf 'From a@example.org Mon Jan  5 10:00:00 2015\nFrom: Ann <a@example.org>\n'
  printf 'Subject: plan\nMessage-ID: <q1@example.org>\n'
  printf 'Date: Mon, 5 Jan 2015 10:00:00 +0000\n\n'
  printf 'We should move the meeting to Thursday afternoon.\n\n'
  printf 'From b@example.org Mon Jan  5 11:00:00 2015\nFrom: Bob <b@example.org>\n'
  printf 'Subject: Re: plan\nMessage-ID: <q2@example.org>\n'
  printf 'In-Reply-To: <q1@example.org>\nDate: Mon, 5 Jan 2015 11:00:00 +0000\n\n'
  printf 'Ann wrote:\n> We should move the meeting to Thursday afternoon.\n\n'
  printf 'Thursday works for me.\n\n'; } >"$work/a/q.mbox"
rm -rf "$work/i4"
"$LI" --index "$work/i4" --list l -q "$work/a/q.mbox"
is "$("$LI" --index "$work/i4" --export | grep -c '"source":"q1@example.org"')" 1 \
	"the reply's quote is linked to its source"
python3 - "$work/a/q.mbox" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
open(sys.argv[1], "wb").write(data[data.index(b"From b@example.org"):])
PY
"$LI" --index "$work/i4" --list l -q "$work/a/q.mbox"
same_as_clean "$work/i4" "$work/a/q.mbox" \
	"a removed message is no quote's source any more"

# Another --list on a file read before: said, since only what is new in
# the file would take it.
"$LI" --index "$work/i4" --list other "$work/a/q.mbox" 2>"$work/err"
like "$(cat "$work/err")" "was indexed with --list 'l' and this run has --list 'other'" \
	"another --list than the file was read with is warned about"
"$LI" --index "$work/i4" --list l "$work/a/q.mbox" 2>"$work/err"
ok "$(grep -q warning "$work/err"; [ $? = 1 ]; echo $?)" \
	"the same --list again is not"

# --- one list as pipermail and as mbox, in either order ----------------------
mkdir -p "$work/p/l"
{ msg 4; msg 5; } >"$work/p/sub.mbox"
python3 - "$work/p/sub.mbox" "$work/p/l/2015-January.txt" <<'PY'
import re, sys
# What pipermail makes of it: addresses obfuscated, attachments scrubbed.
out = []
for m in open(sys.argv[1]).read().split("From a@example.org ")[1:]:
    head, body = m.split("\n\n", 1)
    head = "\n".join(l for l in head.split("\n")[1:]
                     if l.split(":")[0] in ("From", "Subject", "Message-ID", "Date"))
    head = head.replace("Ann <a@example.org>", "a at example.org (Ann)")
    text = body.split("--XX\nContent-Type: text/plain\n\n")[1].split("\n--XX")[0]
    out.append("From a at example.org  Mon Jan  5 10:00:00 2015\n" + head +
               "\n\n" + text + "\n-------------- next part --------------\n"
               "An embedded and charset-unspecified text was scrubbed...\n"
               "Name: build.log\n\n")
open(sys.argv[2], "w").write("".join(out))
PY
for order in "l sub.mbox" "sub.mbox l"; do
	rm -rf "$work/i2"
	for f in $order; do
		(cd "$work/p" && "$LI" --index "$work/i2" --list l -q "$f")
	done
	is "$("$LI" --index "$work/i2" --export | python3 -c '
import json, sys
print(sorted(len(json.loads(l)["attachments"]) for l in sys.stdin))')" \
		"[1, 1]" "pipermail and mbox read in two runs ($order): the mail copy is the record"
done
is "$("$LI" --index "$work/i2" --stats --json | python3 -c '
import json, sys; s = json.load(sys.stdin); print(s["messages"], s["copies"])')" \
	"2 4" "two messages, two copies each"

# --- RAW of a file rewritten since it was indexed -------------------------------
{ msg 1; msg 2; msg 3; } >"$work/a/l.mbox"
rm -rf "$work/i1"
"$LI" --index "$work/i1" --list l -q "$work/a/l.mbox"
# A private list named otherwise than the index names it hides nothing:
# larchd says so; a misspelt key of a [list] group is refused.
printf '[larchd]\nlog = stderr\n[list L]\nprivate = true\n' >"$work/larchd.conf"
printf '[larchd]\nlog = stderr\n[list l]\nprivte = true\n' >"$work/bad.conf"
timeout 20 "$LD" --foreground --config "$work/bad.conf" --index "$work/i1" \
	--listen "unix:$work/bad.sock" 2>"$work/bad.log"
is "$?:$(cat "$work/bad.log")" \
	"1:larchd: fatal: config '$work/bad.conf': unknown key 'privte' in [list l]" \
	"larchd refuses a misspelt key of a [list] group"
sock="$work/larchd.sock"
${LARCH_DAEMON_WRAPPER:-} "$LD" --foreground --config "$work/larchd.conf" \
	--index "$work/i1" --listen "unix:$sock" 2>>"$work/larchd.log" &
dpid=$!
if wait_greeting "unix:$sock" "$dpid" "$work/larchd.log"; then
	raw() { python3 "$tests/larchc.py" "unix:$sock" --no-greeting --raw "RAW $1"; }
	like "$(cat "$work/larchd.log")" \
		"private list 'L' is not in the index (it holds 'l')" \
		"larchd warns of a private list the index does not hold"
	like "$(raw m3@example.org | head -8)" "Message-ID: <m3@example.org>" \
		"RAW sends the message"
	# The second message taken out: the third now starts where the
	# second did, and nothing is where the third was.
	python3 - "$work/a/l.mbox" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
a = data.index(b"From a@example.org", 1)
b = data.index(b"From a@example.org", a + 1)
open(sys.argv[1], "wb").write(data[:a] + data[b:] + data[a:b])
PY
	like "$(raw m2@example.org | head -1)" \
		"403 no readable copy of 'm2@example.org': its archive changed" \
		"RAW of a message whose place now holds another: 403, not the other's bytes"
	like "$(raw m1@example.org | head -8)" "Message-ID: <m1@example.org>" \
		"a message still where it was is sent"
	# The index removed to be built again: an error, not "no match".
	mv "$work/i1" "$work/i1.old"
	like "$(python3 "$tests/larchc.py" "unix:$sock" --no-greeting \
		'COUNT -- zebrafinch1' | head -1)" "403 the index cannot be opened" \
		"an index gone while larchd serves it is 403, not 430"
	kill "$dpid"
	wait "$dpid" 2>/dev/null
	dpid=
else
	ok 1 "larchd starts"
fi

done_testing
