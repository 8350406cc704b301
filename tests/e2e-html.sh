#!/usr/bin/env bash
# End-to-end tests of pipermail HTML article pages with the real
# larch-index: pages and the text archive in either order give one
# document per message with its pages recorded; page-only messages are
# indexed from the page; index pages are ignored; rewritten and
# renumbered pages; --list; the real twisted-web pages when
# ../shared/corpora is there.  TAP.
set -u
. "$(dirname "$0")/tap.sh"

LI="$LARCH_BUILD/indexer/larch-index"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$LARCH_TEST_DATA/pipermail-html" "$work/pm"
list="$work/pm/policy-forum"
month="$list/2016-May"

export_of() { "$LI" --index "$1" --export; }
count_of() { "$LI" --index "$1" --stats --json | python3 -c \
	'import json,sys; print(json.load(sys.stdin)["messages"])'; }

# What must not depend on the order things were read in: every record
# but its thread id, and which messages share a thread.
canon() {
	python3 -c '
import json, sys
recs = [json.loads(l) for l in sys.stdin]
threads = {}
for r in recs:
    threads.setdefault(r["thread"], []).append(r["mid"])
for r in sorted(recs, key=lambda r: r["mid"]):
    r["thread"] = sorted(threads[r["thread"]])[0]
    for s in r["sources"]:
        s["file"] = s["file"].rsplit("/pm/", 1)[-1].rsplit("/", 2)[-1]
    print(json.dumps(r, sort_keys=True))
'
}

# field MID EXPR: a Python expression over the record r of MID.
field() {
	export_of "$idx" | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["mid"] == sys.argv[1]:
        print(eval(sys.argv[2]))
' "$1" "$2"
}

A=20160526170500.GA1234@example.org
B=5746F1A0.3050001@example.fr
C=c-only@example.net
D=CAD+x7=abc@mail.example.com
E=e-txt-only@example.org

# --- pages first, then the text archive ---------------------------------
idx="$work/i1"
"$LI" --index "$idx" "$month" 2>"$work/err"
is "$?" 0 "indexing a month of pages exits 0"
like "$(cat "$work/err")" "5 new messages" "five article pages, five messages"
like "$(cat "$work/err")" "5 files not mail" \
	"date, thread, author, subject and index.html are not articles"
is "$(count_of "$idx")" 5 "five messages from the pages alone"
is "$(field $C 'r["from"], r["from_name"], r["date"], r["subject"]')" \
	"('chen@example.net', 'Chen Wei', '2016-05-27T14:00:00Z', '[Policy-forum] Remote participation guide')" \
	"a page-only message: author, date (CST read), subject"
like "$(field $C 'r["new_text"]')" "The MAG decided — 会议 决定 — to publish" \
	"a page-only message: its body, UTF-8"
is "$(field $C 'r["articles"]')" \
	"[{'list': 'policy-forum', 'month': '2016-May', 'number': 2}]" \
	"a page-only message records its page"
is "$(field $C '[s["format"] for s in r["sources"]]')" "['pipermail-html']" \
	"its source is the page"
is "$(field $C 'r["sources"][0]["length"]')" \
	"$(stat -c %s "$month/000002.html")" "the source's bytes are the page"
"$LI" --index "$idx" "$list/2016-May.txt" 2>"$work/err"
like "$(cat "$work/err")" "1 new messages, 3 new copies" \
	"the text archive adds one message and three copies"
is "$(count_of "$idx")" 6 "one document per message"
is "$(field $A '[s["format"] for s in r["sources"]]')" \
	"['pipermail', 'pipermail-html']" "mail source first, then the page"
is "$(field $A 'r["articles"][0]["number"]')" 0 "the page's number"
is "$(field $D 'r["articles"][0]["number"], r["header_mid"]')" \
	"(3, 'CAD+x7=abc@mail.example.com')" \
	"an old page without an id joins its mail copy (author, subject, text)"
is "$(field $D 'r["parent"]')" "$A" "the mail copy's headers thread it"
is "$(field $E 'r["parent"], r["articles"]')" "('$C', [])" \
	"a text-only reply threads under a page-only message"
is "$(export_of "$idx" | grep -c '@larch.invalid')" 1 \
	"only the page-only old page keeps a derived id"
export_of "$idx" | canon >"$work/pages-first"

# --- the text archive first, then the pages ----------------------------
idx="$work/i2"
"$LI" -q --index "$idx" "$list/2016-May.txt"
"$LI" --index "$idx" "$month" 2>"$work/err"
like "$(cat "$work/err")" "2 new messages, 3 new copies" \
	"the pages add two messages and three copies"
export_of "$idx" | canon >"$work/text-first"
is "$(diff "$work/pages-first" "$work/text-first" && echo same)" same \
	"either order gives the same records"

# --- one run over the list folder --------------------------------------
idx="$work/i3"
"$LI" -q --index "$idx" "$list"
export_of "$idx" | canon >"$work/together"
is "$(diff "$work/pages-first" "$work/together" && echo same)" same \
	"one run over the folder gives the same records"
"$LI" --index "$idx" "$list" 2>"$work/err"
like "$(cat "$work/err")" "0 new messages, 0 new copies" "a re-run adds nothing"
# The index pages are looked at again (a non-mail file keeps no state).
like "$(cat "$work/err")" "(6 unchanged)" "and opens no article page or archive"

# --- killed after each commit: the next run completes the same records ----
# Pages first (as a folder run reads them), then the text archive takes
# the documents over: every intermediate commit must be resumable.
printf '[larch]\nbatch = 2\n' >"$work/small.conf"
crash_ok=0
for n in 1 2 3 4 5; do
	rm -rf "$work/ic"
	LARCH_FAULT_EXIT_AFTER_COMMIT=$n "$LI" -q --config "$work/small.conf" \
		--index "$work/ic" "$month" "$list/2016-May.txt" 2>/dev/null
	"$LI" -q --config "$work/small.conf" --index "$work/ic" "$month" \
		"$list/2016-May.txt"
	export_of "$work/ic" | canon >"$work/crashed"
	diff -q "$work/together" "$work/crashed" >/dev/null ||
		{ crash_ok=$n; break; }
done
is "$crash_ok" 0 "a run killed after any commit is completed by the next"

# --- a page rewritten: Mailman adds a "Next message" link ----------------
sed -i 's|<LINK REL="Index" HREF="index.html" >|&\n   <LINK REL="Next"  HREF="000005.html">|' \
	"$month/000004.html"
touch -d '+1 minute' "$month/000004.html"
"$LI" --index "$idx" "$list" 2>"$work/err"
is "$?" 0 "re-reading a rewritten page exits 0"
like "$(cat "$work/err")" "0 new messages, 0 new copies" \
	"a rewritten page adds nothing"
is "$(grep -c 'was rewritten' "$work/err")" 0 \
	"a page's new links are not reported as a rewrite"
is "$(export_of "$idx" | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["from"] == "bob@example.com":
        print(r["sources"][0]["length"])')" "$(stat -c %s "$month/000004.html")" \
	"the page's source has its new length (RAW reads by it)"
export_of "$idx" | canon | sed 's/"length": [0-9]*/"length": N/g' \
	>"$work/relinked"
is "$(sed 's/"length": [0-9]*/"length": N/g' "$work/together" |
	diff - "$work/relinked" && echo same)" same \
	"the records are otherwise unchanged"

# --- renumbered: pages 3 and 4 swap their messages ----------------------
mv "$month/000003.html" "$work/three"
mv "$month/000004.html" "$month/000003.html"
mv "$work/three" "$month/000004.html"
touch -d '+2 minutes' "$month/000003.html" "$month/000004.html"
"$LI" --index "$idx" "$list" 2>"$work/err"
is "$(count_of "$idx")" 6 "renumbered pages make no new message"
is "$(field $D 'r["articles"], len(r["sources"])')" \
	"([{'list': 'policy-forum', 'month': '2016-May', 'number': 4}], 2)" \
	"a message follows its page to its new number"
is "$(export_of "$idx" | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["from"] == "bob@example.com":
        print(r["articles"][0]["number"], len(r["sources"]))')" "3 1" \
	"and the other message takes the old number"

# --- a page gone ---------------------------------------------------------
rm "$month/000002.html"
"$LI" --index "$idx" "$list" 2>"$work/err"
like "$(cat "$work/err")" "000002.html' has vanished" "a vanished page is reported"
is "$(count_of "$idx")" 6 "its message stays"

# --- --list names the pages' list ----------------------------------------
idx="$work/i4"
"$LI" -q --index "$idx" --list mag "$month"
is "$(export_of "$idx" | python3 -c '
import json, sys
print(sorted({a["list"] for l in sys.stdin for a in json.loads(l)["articles"]}))')" \
	"['mag']" "--list names the list of the pages' articles"

# --- larch-index --export shows the articles ----------------------------
like "$(export_of "$idx" | head -1)" '"articles":[{"list":"mag","month":"2016-May","number":' \
	"--export prints the articles field"

# --- the real twisted-web pages (Mailman 2.1.5: no ids on pages) ---------
tw="${LARCH_SHARED:-/nonexistent}/corpora/twisted-pipermail/twisted-web"
if [ -d "$tw/2005-July" ]; then
	mkdir -p "$work/tw/twisted-web"
	cp -r "$tw/2005-July" "$tw/2005-July.txt" "$work/tw/twisted-web/"
	t0=$(date +%s.%N)
	"$LI" --index "$work/t1" -q "$work/tw/twisted-web/2005-July"
	t1=$(date +%s.%N)
	"$LI" --index "$work/t1" -q "$work/tw/twisted-web/2005-July.txt"
	"$LI" --index "$work/t2" -q "$work/tw/twisted-web/2005-July.txt"
	"$LI" --index "$work/t2" -q "$work/tw/twisted-web/2005-July"
	echo "# 183 twisted-web pages alone: $(python3 -c \
		"print('%.0f pages/s' % (183 / ($t1 - $t0)))")"
	is "$(count_of "$work/t1"),$(count_of "$work/t2")" "182,182" \
		"twisted-web: 182 messages in either order, as in its text archive"
	for i in t1 t2; do
		export_of "$work/$i" | canon >"$work/$i.canon"
	done
	is "$(diff "$work/t1.canon" "$work/t2.canon" >/dev/null && echo same)" \
		same "twisted-web: either order gives the same records"
	is "$(python3 -c '
import json, sys
rows = []
for l in open(sys.argv[1]):
    r = json.loads(l)
    offs = sorted(s["offset"] for s in r["sources"] if s["format"] == "pipermail")
    nums = sorted(a["number"] for a in r["articles"])
    rows += [(n, offs[min(i, len(offs) - 1)]) for i, n in enumerate(nums)]
rows.sort()
print(len(rows), [o for _, o in rows] == sorted(o for _, o in rows))' \
		"$work/t1.canon")" "183 True" \
		"twisted-web: every page found its message, in archive order"
else
	skip "twisted-web: 182 messages in either order" "no ../shared/corpora"
	skip "twisted-web: either order gives the same records" "no corpora"
	skip "twisted-web: every page found its message" "no corpora"
fi

done_testing
