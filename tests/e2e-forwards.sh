#!/usr/bin/env bash
# End-to-end tests of forwards and name signatures with the real
# larch-index, on the hand-written tests/data/thread/forwards.mbox: a
# forward without reference headers starts a conversation (the subject
# fallback leaves it alone) and its quote is linked to the forwarded
# message of its list and subject; a reply to the forward is linked by
# subject; an Outlook top-post's name line (the From header's "Last,
# First" written "First Last") is a signature; a forward on another
# list (forwards-board.mbox) is linked to the message it forwards.  TAP.
set -u
. "$(dirname "$0")/tap.sh"

LI="$LARCH_BUILD/indexer/larch-index"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
idx="$work/index"

"$LI" --index "$idx" --list forum --quiet \
	"$LARCH_TEST_DATA/thread/forwards.mbox"
"$LI" --index "$idx" --list board --quiet \
	"$LARCH_TEST_DATA/thread/forwards-board.mbox"
"$LI" --index "$idx" --export >"$work/export.jsonl"

field() {	# mid python-expression-on-record-r
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["mid"] == sys.argv[2]:
        print(eval(sys.argv[3]))' "$work/export.jsonl" "$1" "$2"
}

is "$(field c1@example.org 'r["parent"]')" None \
	"a forward without references is not linked by subject"
is "$(field c1@example.org '[q["source"] for q in r["quotes"]]')" \
	"['b1@example.org']" \
	"its quote comes from the forwarded message of its list and subject"
ok "$([ "$(field c1@example.org 'r["thread"]')" != \
	"$(field b1@example.org 'r["thread"]')" ]; echo $?)" \
	"and it starts a thread of its own"
is "$(field d1@example.org 'r["parent"], r["inferred_parent"]')" \
	"('c1@example.org', True)" \
	"a reply to the forward without references is linked by subject"
is "$(field e1@example.org 'r["new_text"]')" \
	"The contract is renewed until next March." \
	"the author's full name under their text is not new text"
is "$(field e1@example.org 'r["signature"]')" "Rebecca Brown" \
	"it is the signature (From: \"Brown, Rebecca\")"
is "$(field e1@example.org '[q["source"] for q in r["quotes"]]')" \
	"['d1@example.org']" \
	"the top-post's original message comes from its parent"
is "$(field x1@example.org '[q["source"] for q in r["quotes"]]')" \
	"['a1@example.org']" \
	"a forward on another list: its quote comes from the forwarded message"
is "$(field y1@example.org '[q["source"] for q in r["quotes"]]')" "[None]" \
	"a quote without a forward's subject is not looked for on other lists"

done_testing
